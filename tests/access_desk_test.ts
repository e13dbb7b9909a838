import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "./_world.ts";
import { dossier, person } from "./fixtures.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { createAccessRequest, readAccessRequest } from "../db/access_requests.ts";
import { listAudit } from "../db/audit.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";

async function file(
  world: TestWorld,
  at: string,
  records: { kind: "dossier"; id: string }[] = [],
  regime: "civico_generalizzato" | "documentale" = "civico_generalizzato",
) {
  return await createAccessRequest(world.db, {
    regime,
    requesterName: "Lucia Verdi",
    taxCode: "MRTMTT91D08F205J",
    mode: "copy",
    records,
    recordsDescription: records.length ? undefined : "Licenza del 1965",
    ...(regime === "documentale" ? { motivation: "Proprietaria dell'immobile" } : {}),
  }, {
    now: new Date(at),
    branch: "sede-K2",
    branchCode: "K2",
    outbox: true,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
}

Deno.test("the queue lists the soonest due first and marks the overdue in red and in words", async () => {
  // The world's clock says 3 Mar 2025.
  await using world = await createTestWorld();
  await addUser(world.db, "anna", "clerk", world.clock());
  const late = await file(world, "2025-01-20T10:00:00Z"); // due 19 Feb: overdue
  const soon = await file(world, "2025-02-20T10:00:00Z"); // due 22 Mar
  const clerk = new TestClient(world.app);
  await clerk.login("anna");
  const res = await clerk.get("/sportello");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.indexOf(late.receiptCode) < html.indexOf(soon.receiptCode));
  assert.match(html, /<tr [^>]*class="overdue"/);
  assert.match(html, /Scaduta da 12 gg/);
  const filtered = await (await clerk.get("/sportello?regime=documentale")).text();
  assert.ok(!filtered.includes(late.receiptCode));
});

Deno.test("a clerk opens a request (audited), notifies parties, and accepts it with a window", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  await addUser(world.db, "anna", "clerk", world.clock());
  const req = await file(world, "2025-03-03T08:00:00Z", [{ kind: "dossier", id: d.id }]);
  const clerk = new TestClient(world.app);
  await clerk.login("anna");
  const page = await (await clerk.get(`/sportello/richieste/${req.id}`)).text();
  assert.match(page, /Lucia Verdi/);
  assert.match(page, /MRTMTT91D08F205J/);
  assert.match(page, new RegExp(`CE ${d.number}/1987`));
  const action = `/sportello/richieste/${req.id}/azione`;
  assert.equal((await clerk.post(action, { action: "start_review" })).status, 303);
  await clerk.get(`/sportello/richieste/${req.id}`);
  assert.equal(
    (await clerk.post(action, { action: "notify_counterparties", on: "2025-03-10" })).status,
    303,
  );
  assert.equal((await readAccessRequest(world.db, req.id))?.request.dueOn, "2025-04-12");
  const refused = await clerk.post(action, { action: "decide", outcome: "refused", reason: "" });
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /Indica la motivazione/);
  const ok = await clerk.post(action, {
    action: "decide",
    outcome: "partially_accepted",
    reason: "Escluse le tavole con dati di terzi",
    legalBasis: "d.lgs. 33/2013 art. 5-bis c.2 lett. a (protezione dei dati personali)",
    consultationPlace: "Ufficio tecnico, piano terra",
    consultationFrom: "2025-03-10",
    consultationTo: "2025-03-24",
  });
  assert.equal(ok.status, 303);
  const snap = await readAccessRequest(world.db, req.id);
  assert.equal(snap?.request.state, "partially_accepted");
  assert.equal(snap?.request.decidedBy, "anna");
  const audit = await listAudit(world.db, { actor: "anna" });
  assert.ok(audit.some((e) => e.action === "view_request" && e.recordId === req.id));
  assert.ok(audit.some((e) => e.action === "decide"));
  assert.ok(audit.some((e) => e.action === "login_ok"));
  // A riesame filed by a counter-party is recorded, and published as a plain "sì".
  await clerk.get(`/sportello/richieste/${req.id}`);
  assert.equal(
    (await clerk.post(action, { action: "record_appeal", appeal: "Riesame RPCT del 2 aprile" }))
      .status,
    303,
  );
  assert.equal(
    (await readAccessRequest(world.db, req.id))?.request.appeal,
    "Riesame RPCT del 2 aprile",
  );
  // The registro shows the outcome and its legal basis, not the name or the reason's words.
  const registro = await (await clerk.get("/registro-accessi")).text();
  assert.match(registro, /Accolta in parte/);
  assert.match(registro, /5-bis c.2/);
  assert.ok(!registro.includes("Verdi") && !registro.includes("tavole con dati"));
  assert.match(registro, /<td>sì<\/td><\/tr>/);
  assert.ok(!registro.includes("RPCT del 2 aprile"));
});

Deno.test("the clerk search finds a surname the public search cannot, and opening the record is audited", async () => {
  const d = dossier({ people: [person({ surname: "Zanardelli", taxCode: "RSSMRA85T10A562S" })] });
  await using world = await createTestWorld({ records: [d] });
  await addUser(world.db, "anna", "clerk", world.clock());
  const pub = await (await world.app.request("/cerca?q=Zanardelli")).text();
  assert.ok(!pub.includes(`${d.number}/1987`), "public search must not match people");
  const clerk = new TestClient(world.app);
  await clerk.login("anna");
  await clerk.get("/sportello/cerca");
  const found = await (await clerk.post("/sportello/cerca", { q: "Zanardelli" })).text();
  assert.match(found, new RegExp(`CE ${d.number}/1987`));
  const rec = await clerk.get(`/sportello/pratiche/${encodeURIComponent(`dossier:${d.id}`)}`);
  assert.equal(rec.status, 200);
  assert.match(await rec.text(), /Zanardelli/);
  const audit = await listAudit(world.db, {});
  assert.ok(
    audit.some((e) => e.action === "view_people" && e.recordId === d.id && e.actor === "anna"),
  );
});

Deno.test("clerks see their own audit entries, admins everyone's, both as CSV", async () => {
  await using world = await createTestWorld();
  await addUser(world.db, "anna", "clerk", world.clock());
  await addUser(world.db, "capo", "admin", world.clock());
  const clerk = new TestClient(world.app);
  await clerk.login("anna");
  const admin = new TestClient(world.app);
  await admin.login("capo");
  const own = await (await clerk.get("/audit")).text();
  assert.match(own, /anna/);
  assert.ok(!own.includes(">capo<"));
  const all = await (await admin.get("/audit")).text();
  assert.match(all, />anna</);
  assert.match(all, />capo</);
  const onlyAnna = await (await admin.get("/audit?operatore=anna&dal=2025-03-03&al=2025-03-03"))
    .text();
  assert.match(onlyAnna, />anna</);
  assert.ok(!onlyAnna.includes(">capo<"));
  assert.ok(!(await (await admin.get("/audit?dal=2025-03-04")).text()).includes(">anna<"));
  // A clerk asking for someone else's entries still gets only their own.
  assert.ok(!(await (await clerk.get("/audit?operatore=capo")).text()).includes(">capo<"));
  assert.equal((await admin.get("/audit?dal=ieri")).status, 400);
  const csv = await admin.get("/audit.csv");
  assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
  assert.match(await csv.text(), /login_ok/);
  // Admin creates and disables an account through the UI.
  await admin.get("/admin/utenti");
  const created = await admin.post("/admin/utenti", {
    username: "nuovo",
    role: "clerk",
    password: "una password nuova",
  });
  assert.equal(created.status, 200);
  assert.match(await created.text(), /Utente «nuovo» creato/);
  assert.equal(
    (await admin.post("/admin/utenti/ruolo", { username: "nuovo", role: "admin" })).status,
    303,
  );
  const reset = await admin.post("/admin/utenti/password", {
    username: "nuovo",
    password: "corta",
  });
  assert.equal(reset.status, 422);
  const resetOk = await admin.post("/admin/utenti/password", {
    username: "nuovo",
    password: "ancora più lunga",
  });
  assert.equal(resetOk.status, 200);
  assert.equal(
    (await admin.post("/admin/utenti/stato", { username: "nuovo", disabled: "1" })).status,
    303,
  );
  const listed = await (await admin.get("/admin/utenti")).text();
  assert.match(listed, /nuovo<\/td><td>Amministratore<\/td><td>Disattivato/);
  const settings = await admin.get("/admin/impostazioni");
  assert.equal(settings.status, 200);
  const saved = await admin.post("/admin/impostazioni", {
    fixed: "01-01 12-25",
    easterMonday: "1",
    patron: "06-24",
    extra: "",
    documentaleSuspension: "1",
    idleSeconds: "90",
  });
  assert.equal(saved.status, 200);
  assert.equal((await (await world.app.request("/kiosk.json")).json()).idleSeconds, 90);
});

Deno.test("the desk shows the 10-day completion window and offers completion only within it", async () => {
  // The world's clock says 3 Mar 2025.
  await using world = await createTestWorld();
  await addUser(world.db, "anna", "clerk", world.clock());
  const open = await file(world, "2025-02-27T10:00:00Z", [], "documentale"); // by 10 Mar
  const past = await file(world, "2025-02-10T10:00:00Z", [], "documentale"); // by 20 Feb
  const clerk = new TestClient(world.app);
  await clerk.login("anna");
  const queue = await (await clerk.get("/sportello")).text();
  assert.match(queue, /integrazione entro il 10 marzo 2025/);
  assert.match(queue, /integrazione scaduto il 20 febbraio 2025/);
  const openPage = await (await clerk.get(`/sportello/richieste/${open.id}`)).text();
  assert.match(openPage, /Chiedi integrazione \(entro il 10 marzo 2025\)/);
  const pastPage = await (await clerk.get(`/sportello/richieste/${past.id}`)).text();
  assert.ok(!pastPage.includes("Chiedi integrazione"));
  assert.match(pastPage, /scaduto il 20 febbraio 2025: la\s+richiesta si considera completa/);
  // Posting the action anyway is refused with the reason, and nothing changes.
  const refused = await clerk.post(`/sportello/richieste/${past.id}/azione`, {
    action: "request_completion",
  });
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /integrazione è scaduto il 20 febbraio 2025/);
  assert.equal((await readAccessRequest(world.db, past.id))?.request.state, "received");
});
