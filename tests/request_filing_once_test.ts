/**
 * «Conferma e invia» pressed twice (a double click, a double Enter, the browser resending
 * the POST) files one access request: the confirm page's filing key is honoured once.
 */
import assert from "node:assert/strict";
import { count } from "drizzle-orm";
import { accessRequests } from "../db/schema.ts";
import { TestClient } from "./_access_client.ts";
import { dossier } from "./fixtures.ts";
import { createTestWorld } from "./_world.ts";

const FIELDS = {
  requesterName: "Mario Rossi",
  taxCode: "RSSMRA85T10A562S",
  regime: "documentale",
  motivation: "Compravendita dell'appartamento",
  requesterTitle: "Proprietario",
  mode: "view",
  privacyAck: "1",
};

Deno.test("two presses of «Conferma e invia» on one summary file one request, with one code", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  const filed = async () => (await world.db.select({ n: count() }).from(accessRequests))[0]?.n;
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  const summary = await kiosk.post("/richieste/nuova", { ...FIELDS, record: `dossier:${d.id}` });
  const key = /name="filing" value="([^"]+)"/.exec(await summary.text())?.[1];
  assert.ok(key, "the summary carries a filing key");
  const send = { ...FIELDS, record: `dossier:${d.id}`, confirm: "1", filing: key };
  // Both presses in flight at once, as a double click sends them.
  const [a, b] = await Promise.all([
    kiosk.post("/richieste/nuova", send),
    kiosk.post("/richieste/nuova", send),
  ]);
  assert.deepEqual([a.status, b.status], [303, 303]);
  assert.equal(await filed(), 1);
  // The browser resending the same POST later (Back, then «Invia di nuovo»): still one.
  const again = await kiosk.post("/richieste/nuova", send);
  assert.equal(again.status, 303);
  assert.equal(await filed(), 1);
  // A new summary is a new request.
  await kiosk.post("/richieste/nuova", { ...FIELDS, record: `dossier:${d.id}` });
  await kiosk.post("/richieste/nuova", { ...send, filing: crypto.randomUUID() });
  assert.equal(await filed(), 2);
});
