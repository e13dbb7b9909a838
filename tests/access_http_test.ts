import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";
import { TestClient } from "./_access_client.ts";
import { TAX_CODE_MESSAGES } from "../domain/codice_fiscale.ts";
import { listQueue } from "../db/access_requests.ts";

const CF = "RSSMRA85T10A562S";

function form(record: string, overrides: Record<string, string> = {}) {
  return {
    record,
    requesterName: "Mario Rossi",
    taxCode: CF,
    email: "mario@example.it",
    regime: "documentale",
    motivation: "Compravendita dell'appartamento",
    requesterTitle: "Proprietario",
    mode: "view",
    privacyAck: "1",
    confirm: "1",
    ...overrides,
  };
}

Deno.test("a citizen files a request from a record page and gets a slip with code, QR and due date", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  const kiosk = new TestClient(world.app);
  const page = await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  const html = await page.text();
  assert.match(html, new RegExp(`CE ${d.number}/1987`));
  assert.match(html, /Accesso civico generalizzato/);
  const res = await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`));
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/richieste/ricevuta");
  const slip = await kiosk.get("/richieste/ricevuta");
  assert.equal(slip.status, 200);
  const text = await slip.text();
  const code = /data-testid="receipt-code">([^<]+)</.exec(text)?.[1] ?? "";
  assert.match(code, /^K2[2-9A-HJ-NP-Z]{2}-[2-9A-HJ-NP-Z]{4}$/);
  assert.match(text, /src="data:image\/svg\+xml;base64,/);
  assert.match(text, /2 aprile 2025/, "filed 3 Mar 2025 → due 2 Apr");
  for (const secret of ["Rossi", CF, "mario@example.it", "Compravendita"]) {
    assert.ok(!text.includes(secret), `slip shows ${secret}`);
  }
  // The status lookup: code + tax code → state and due date only.
  const status = await kiosk.post("/richieste/stato", { code: code.toLowerCase(), taxCode: CF });
  assert.equal(status.status, 200);
  const answer = await status.text();
  assert.match(answer, /Ricevuta/);
  assert.match(answer, /2 aprile 2025/);
  assert.ok(!answer.includes("Rossi"));
  const wrong = await kiosk.post("/richieste/stato", { code, taxCode: "MRTMTT91D08F205J" });
  assert.equal(wrong.status, 404);
  assert.match(await wrong.text(), /Nessuna richiesta con questo codice e questo codice fiscale/);
});

Deno.test("a wrong codice fiscale comes back beside its field with the rest of the form kept", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  const cases: [string, string][] = [
    ["", TAX_CODE_MESSAGES.empty],
    ["RSSMRA85T10", TAX_CODE_MESSAGES.length(11)],
    ["RSSMRA85T10A562A", TAX_CODE_MESSAGES.check],
    ["RSSMRA85T32A562S", TAX_CODE_MESSAGES.date],
    ["RSSMRA85T10A56*S", TAX_CODE_MESSAGES.character(15)],
  ];
  for (const [taxCode, message] of cases) {
    const res = await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`, { taxCode }), {
      headers: { "HX-Request": "true" },
    });
    assert.equal(res.status, 422, taxCode);
    const html = await res.text();
    assert.ok(html.includes(message.replaceAll("'", "&#39;")), `${taxCode}: ${message}`);
    assert.match(
      html,
      /id="taxCode"[^>]*aria-invalid="true"[^>]*aria-describedby="taxCode-hint taxCode-error"/,
    );
    assert.match(html, /value="Mario Rossi"/);
    assert.match(html, new RegExp(`name="record" value="dossier:${d.id}"`), "records kept");
    assert.match(html, /Compravendita dell&#39;appartamento/);
    assert.doesNotMatch(html, /<html/, "htmx gets the form alone");
  }
  const check = await kiosk.post("/richieste/verifica-cf", { taxCode: "rssmra85t10a562a" });
  assert.equal(check.status, 200);
  assert.ok((await check.text()).includes("L&#39;ultimo carattere non corrisponde"));
});

Deno.test("documentale needs a motivation, civico generalizzato never asks one", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  const kiosk = new TestClient(world.app);
  await kiosk.get("/richieste/nuova");
  const res = await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`, { motivation: "" }));
  assert.equal(res.status, 422);
  assert.match(await res.text(), /scrivi il motivo della richiesta/);
  const civico = await kiosk.post(
    "/richieste/nuova",
    form(`dossier:${d.id}`, {
      motivation: "",
      regime: "civico_generalizzato",
    }),
  );
  assert.equal(civico.status, 303);
});

Deno.test("a basket gathers several records into one request", async () => {
  const a = dossier();
  const b = dossier();
  await using world = await createTestWorld({ records: [a, b] });
  const kiosk = new TestClient(world.app);
  const first = await (await kiosk.get(`/richieste/nuova?record=dossier:${a.id}`)).text();
  assert.match(first, /Aggiungi alla richiesta e cerca altre pratiche/);
  assert.equal((await kiosk.post("/richieste/cestino", { record: `dossier:${a.id}` })).status, 303);
  assert.equal((await kiosk.post("/richieste/cestino", { record: `dossier:${b.id}` })).status, 303);
  const basket = await (await kiosk.get("/richieste/cestino")).text();
  assert.match(basket, new RegExp(`CE ${a.number}/1987`));
  assert.match(basket, new RegExp(`CE ${b.number}/1987`));
  const page = await (await kiosk.get("/richieste/nuova")).text();
  assert.match(page, new RegExp(`value="dossier:${a.id}"`));
  assert.match(page, new RegExp(`value="dossier:${b.id}"`));
  const res = await kiosk.post("/richieste/nuova", form(`dossier:${a.id}`, {}));
  assert.equal(res.status, 303);
  assert.ok(!kiosk.cookies.has("faldone_basket"), "filing empties the basket");
});

Deno.test("a mistyped receipt code is caught before any lookup", async () => {
  await using world = await createTestWorld();
  const kiosk = new TestClient(world.app);
  await kiosk.get("/richieste/stato");
  const res = await kiosk.post("/richieste/stato", { code: "K2AB-CD0E", taxCode: CF });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /Carattere non valido in posizione 7/);
});

Deno.test("a restricted or unknown record cannot be requested by id", async () => {
  const hidden = dossier({ restricted: true });
  await using world = await createTestWorld({ records: [hidden] });
  const kiosk = new TestClient(world.app);
  const page = await (await kiosk.get(`/richieste/nuova?record=dossier:${hidden.id}`)).text();
  assert.ok(!page.includes(hidden.number));
  const res = await kiosk.post("/richieste/nuova", form(`dossier:${hidden.id}`));
  assert.equal(res.status, 422);
  assert.match(await res.text(), /non è disponibile/);
});

Deno.test("the registro page takes a period and refuses a malformed date with 400", async () => {
  await using world = await createTestWorld();
  const ok = await world.app.request("/registro-accessi?dal=2025-01-01&al=2025-06-30");
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /registro-accessi\.csv\?dal=2025-01-01&amp;al=2025-06-30/);
  const bad = await world.app.request("/registro-accessi?dal=ieri");
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /usa AAAA-MM-GG/);
  const csv = await world.app.request("/registro-accessi.csv?al=2025-06-30");
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
  assert.match(await csv.text(), /Tipologia di accesso;Oggetto della richiesta/);
});

Deno.test("the citizen checks a summary with the tax code masked before the request is filed", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  const first = await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`, { confirm: "" }));
  assert.equal(first.status, 200);
  const summary = await first.text();
  assert.match(summary, /Controlla i dati prima di inviare/);
  assert.match(summary, /RSS•••••••••562S/);
  assert.match(summary, new RegExp(`CE ${d.number}/1987`));
  assert.match(summary, /Conferma e invia/);
  assert.equal((await listQueue(world.db, {})).length, 0, "nothing filed yet");
  const back = await kiosk.post("/richieste/modifica", form(`dossier:${d.id}`, { confirm: "" }));
  assert.equal(back.status, 200);
  const again = await back.text();
  assert.match(again, /value="Mario Rossi"/);
  assert.match(again, new RegExp(`name="record" value="dossier:${d.id}"`));
  const filed = await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`));
  assert.equal(filed.status, 303);
  assert.equal((await listQueue(world.db, {})).length, 1);
});
