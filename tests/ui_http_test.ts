/**
 * Issue 15's points that HTTP alone can pin down: staff pages never cached, the privacy
 * notice checked on the server, the receipt's QR and content, the Comune's name, API facet
 * labels, audit and registro by receipt code, a titled 403.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { listQueue } from "../db/access_requests.ts";
import { receiptQrDataUri } from "../views/receipt_qr.ts";

const CF = "RSSMRA85T10A562S";

function form(record: string, overrides: Record<string, string> = {}) {
  return {
    record,
    requesterName: "Mario Rossi",
    taxCode: CF,
    regime: "documentale",
    motivation: "Compravendita dell'appartamento",
    mode: "view",
    privacyAck: "1",
    confirm: "1",
    ...overrides,
  };
}

Deno.test("every page a signed-in clerk or admin gets is Cache-Control: no-store", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  await addUser(world.db, "capo", "admin", world.clock());
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`));
  const [request] = await listQueue(world.db, {});
  const admin = new TestClient(world.app);
  await admin.login("capo");
  const paths = [
    "/sportello",
    "/sportello/cerca",
    `/sportello/richieste/${request?.id}`,
    `/sportello/pratiche/dossier:${d.id}`,
    "/audit",
    "/audit.csv",
    "/registro-accessi",
    "/admin/utenti",
    "/admin/impostazioni",
    "/admin/sync",
    "/",
  ];
  for (const path of paths) {
    const res = await admin.get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get("cache-control"), "no-store", path);
  }
  // Unsigned, the staff pages send the visitor to the login, also uncached.
  const anon = await new TestClient(world.app).get("/sportello");
  assert.equal(anon.status, 303);
});

Deno.test("the request needs the privacy notice acknowledged, checked on the server", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  const kiosk = new TestClient(world.app);
  const page = await (await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`)).text();
  assert.match(page, /Informativa sul trattamento dei dati personali/);
  assert.match(page, /Titolare del trattamento<\/strong>: Comune di Borgo Esempio/);
  const res = await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`, { privacyAck: "" }));
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /id="privacyAck-error"[^>]*>Per presentare la richiesta conferma/);
  assert.match(html, /value="Mario Rossi"/, "the rest of the form is kept");
  assert.equal((await listQueue(world.db, {})).length, 0);
});

Deno.test("the summary has its own URL, refilled from the draft; filing drops the draft", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  const step = await kiosk.post(
    "/richieste/nuova",
    form(`dossier:${d.id}`, { confirm: "" }),
    { headers: { "HX-Request": "true" } },
  );
  assert.equal(step.headers.get("hx-redirect"), "/richieste/conferma");
  const summary = await kiosk.get("/richieste/conferma");
  assert.equal(summary.headers.get("cache-control"), "no-store");
  assert.match(await summary.text(), /RSS•••••••••562S/);
  const back = await (await kiosk.get("/richieste/nuova")).text();
  assert.match(back, /value="Mario Rossi"/);
  assert.match(back, /Compravendita dell&#39;appartamento/);
  assert.equal((await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`))).status, 303);
  const after = await kiosk.get("/richieste/conferma");
  assert.equal(after.status, 303, "no draft left after filing");
  assert.doesNotMatch(await (await kiosk.get("/richieste/nuova")).text(), /Mario Rossi/);
});

Deno.test("«aggiungi e cerca altre» keeps the draft and the home page shows the basket", async () => {
  const a = dossier();
  await using world = await createTestWorld({ records: [a] });
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${a.id}`);
  const res = await kiosk.post("/richieste/cestino", {
    ...form(`dossier:${a.id}`, { confirm: "" }),
    action: "add_and_search",
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/");
  const home = await (await kiosk.get("/")).text();
  assert.match(home, /La tua richiesta di accesso<\/strong>: 1 pratica scelta, dati già inseriti/);
  const again = await (await kiosk.get("/richieste/nuova")).text();
  assert.match(again, /value="Mario Rossi"/);
  // The idle reset forgets both.
  await kiosk.get("/richieste/azzera");
  assert.doesNotMatch(await (await kiosk.get("/")).text(), /La tua richiesta di accesso/);
});

Deno.test("the receipt: what, who (masked), where, when, the Comune, and a QR to the status page", async () => {
  const d = dossier();
  await using world = await createTestWorld({
    records: [d],
    config: { comuneName: "Comune di Vallalta", publicUrl: "https://kiosk.vallalta.it/" },
  });
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`));
  const html = await (await kiosk.get("/richieste/ricevuta")).text();
  const code = /data-testid="receipt-code">([^<]+)</.exec(html)?.[1] ?? "";
  const statusUrl = `https://kiosk.vallalta.it/richieste/stato?codice=${code}`;
  assert.ok(html.includes(`src="${await receiptQrDataUri(statusUrl)}"`), "QR encodes the URL");
  assert.ok(html.includes(statusUrl));
  assert.match(html, new RegExp(`data-testid="receipt-records">CE ${d.number}/1987<`));
  assert.match(html, /M\. R\. \(codice fiscale RSS•+562S\)/);
  assert.match(html, /Comune di Vallalta, Ufficio Edilizia privata, piano terra del Municipio/);
  assert.match(html, /<button type="button" class="btn btn-primary" data-print="true">Stampa/);
  assert.match(html, /<span class="navbar-brand">Comune di Vallalta · Ufficio Edilizia/);
  const status = await (await kiosk.get(`/richieste/stato?codice=${code}`)).text();
  assert.match(
    status,
    new RegExp(`name="code"[^>]*value="${code}"|value="${code}"[^>]*name="code"`),
  );
});

Deno.test("API facets label dossier types in words, not codes", async () => {
  await using world = await createTestWorld({ records: [dossier({ type: "PDC", year: 2005 })] });
  const body = await (await world.app.request("/api/search?q=ampliamento")).json();
  assert.deepEqual(body.facets.type, [{ value: "PDC", label: "Permesso di costruire", count: 1 }]);
});

Deno.test("audit and registro name requests by receipt code; a 403 page is titled as such", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  await addUser(world.db, "anna", "clerk", world.clock());
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`));
  const [request] = await listQueue(world.db, {});
  assert.ok(request);
  const clerk = new TestClient(world.app);
  await clerk.login("anna");
  await clerk.get(`/sportello/richieste/${request.id}`);
  await clerk.post(`/sportello/richieste/${request.id}/azione`, { action: "start_review" });
  const audit = await (await clerk.get("/audit")).text();
  assert.ok(audit.includes(`>${request.receiptCode}</a>`));
  assert.match(audit, /Istruttoria avviata/);
  assert.match(audit, /Consultazione dati del richiedente/);
  const shown = audit.replace(/<[^>]+>/g, " ");
  assert.ok(!shown.includes(request.id), "the request's UUID only in links, never shown");
  const registro = await (await clerk.get("/registro-accessi")).text();
  assert.match(registro, new RegExp(`richiesta ${request.receiptCode}</a>`));
  const publicRegistro = await (await kiosk.get("/registro-accessi")).text();
  assert.ok(!publicRegistro.includes(request.receiptCode), "the public registro has no codes");
  const denied = await clerk.get("/admin/utenti");
  assert.equal(denied.status, 403);
  const page = await denied.text();
  assert.match(page, /<title>Accesso non consentito/);
  assert.match(page, /<h1>Accesso non consentito<\/h1>/);
});
