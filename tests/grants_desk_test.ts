/**
 * The desk's title check and grants over real HTTP on loopback: the title before acceptance,
 * the grant an acceptance creates with the admin's default length, a grant of chosen
 * documents, refusals as htmx partials with Italian messages, revocation with its reason,
 * and each grant's state as the clock moves.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { createTestWorld, FIXED_NOW } from "./_world.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { fileDocumentale, scannedDossier } from "./_grant_world.ts";
import { grantsForRequest } from "../db/access_grants.ts";
import { listAudit } from "../db/audit.ts";

const HTMX = { headers: { "HX-Request": "true" } };

/** A TestClient whose requests go over real HTTP to `url`. */
function overHttp(url: string): TestClient {
  const transport = {
    request: (path: string, init?: RequestInit) =>
      fetch(`${url}${path}`, { ...init, redirect: "manual" }),
  } as unknown as Hono;
  return new TestClient(transport);
}

Deno.test("the desk records the title, accepts with a grant, grants chosen documents and revokes with a reason", async () => {
  let now = new Date(FIXED_NOW);
  const d = scannedDossier();
  await using world = await createTestWorld({ records: [d], clock: () => new Date(now) });
  await addUser(world.db, "anna", "clerk", world.clock());
  await addUser(world.db, "capo", "admin", world.clock());
  const served = await world.serve();
  const req = await fileDocumentale(world, [d.id]);
  const other = await fileDocumentale(world, [d.id]);
  const page = `/sportello/richieste/${req.id}`;

  // The admin sets grants to last 60 days.
  const admin = overHttp(served.url);
  await admin.login("capo");
  await admin.get("/admin/impostazioni");
  const saved = await admin.post("/admin/impostazioni", { idleSeconds: "120", grantDays: "0" });
  assert.equal(saved.status, 422);
  assert.match(await saved.text(), /Durata delle concessioni: un numero di giorni tra 1 e 3650/);
  const ok = await admin.post("/admin/impostazioni", { idleSeconds: "120", grantDays: "60" });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /name="grantDays"[^>]*value="60"/);

  const clerk = overHttp(served.url);
  await clerk.login("anna");
  const first = await (await clerk.get(page)).text();
  assert.match(first, /Titolo del richiedente/);
  assert.match(first, /Titolo non ancora verificato/);
  assert.equal((await clerk.post(`${page}/azione`, { action: "start_review" })).status, 303);
  await clerk.get(page);

  // Accepting before the title is refused, the form coming back; nothing is granted.
  const early = await clerk.post(`${page}/azione`, {
    action: "decide",
    outcome: "accepted",
    consultationPlace: "Ufficio tecnico",
    consultationFrom: "2025-03-10",
    consultationTo: "2025-03-31",
  });
  assert.equal(early.status, 422);
  assert.match(await early.text(), /Registra prima il titolo del richiedente/);
  assert.equal((await grantsForRequest(world.db, req.id)).length, 0);

  // The title form refuses in place (htmx partial), then records.
  const noKind = await clerk.post(`${page}/titolo`, { titleBasis: "Atto" }, HTMX);
  assert.equal(noKind.status, 422);
  const noKindHtml = await noKind.text();
  assert.doesNotMatch(noKindHtml, /<html/);
  assert.match(noKindHtml, /<section id="titolo"/);
  assert.match(noKindHtml, /role="alert"[^>]*>Scegli il titolo del richiedente dall&#39;elenco/);
  const noBasis = await clerk.post(`${page}/titolo`, { titleKind: "owner", titleBasis: " " }, HTMX);
  assert.equal(noBasis.status, 422);
  assert.match(await noBasis.text(), /Indica su cosa si fonda il titolo/);
  const titled = await clerk.post(`${page}/titolo`, {
    titleKind: "technician",
    titleBasis: "Delega del proprietario, 1 marzo 2025",
  }, HTMX);
  assert.equal(titled.status, 200);
  const titledHtml = await titled.text();
  assert.match(titledHtml, /Titolo registrato/);
  assert.match(titledHtml, /Tecnico incaricato con delega — Delega del proprietario, 1 marzo 2025/);

  // Accepted with the grant fields left as they come: the whole dossier, view, 60 days.
  await clerk.get(page);
  const accepted = await clerk.post(`${page}/azione`, {
    action: "decide",
    outcome: "accepted",
    consultationPlace: "Ufficio tecnico",
    consultationFrom: "2025-03-10",
    consultationTo: "2025-03-31",
  });
  assert.equal(accepted.status, 303);
  const [made] = await grantsForRequest(world.db, req.id);
  assert.equal(made?.grant.scope, "whole");
  assert.equal(made?.grant.mode, "view");
  assert.equal(made?.grant.validUntil, "2025-05-02");
  assert.equal(made?.grant.createdBy, "anna");
  const shown = await (await clerk.get(page)).text();
  assert.match(shown, /data-state="active"[^>]*>\s*<strong>attiva<\/strong> · tutta la pratica/);
  assert.match(shown, /valida fino al 2 maggio 2025/);
  // The new-grant form lists the dossier's scans.
  assert.match(shown, /name="grantDocuments"[^>]*value="dossier:[^"]+:a{64}"/);

  // A grant of chosen documents: none chosen is refused in place; two chosen, with copies.
  const none = await clerk.post(`${page}/concessioni`, { grantScope: "documents" }, HTMX);
  assert.equal(none.status, 422);
  const noneHtml = await none.text();
  assert.doesNotMatch(noneHtml, /<html/);
  assert.match(noneHtml, /Scegli almeno un documento, oppure concedi tutta la pratica/);
  const guessed = await clerk.post(`${page}/concessioni`, {
    grantScope: "documents",
    grantDocuments: `dossier:${d.id}:${"f".repeat(64)}`,
  }, HTMX);
  assert.equal(guessed.status, 422);
  assert.match(await guessed.text(), /non appartiene alle pratiche richieste/);
  const chosen = await clerk.post(`${page}/concessioni`, {
    grantScope: "documents",
    grantDocuments: [`dossier:${d.id}:${"a".repeat(64)}`, `dossier:${d.id}:${"c".repeat(64)}`],
    grantMode: "copy",
    grantValidUntil: "2025-04-30",
  }, HTMX);
  assert.equal(chosen.status, 200);
  const chosenHtml = await chosen.text();
  assert.match(chosenHtml, /Concessione registrata/);
  assert.match(
    chosenHtml,
    /2 documenti: Tavola 1, Tavola 3 · Visione e copia · valida fino al 30 aprile 2025/,
  );

  // Revocation: the reason is required; another request's path or a guessed id finds nothing.
  const revoke = `${page}/concessioni/${made?.grant.id}/revoca`;
  const noReason = await clerk.post(revoke, { reason: "" }, HTMX);
  assert.equal(noReason.status, 422);
  assert.match(await noReason.text(), /Indica il motivo della revoca/);
  assert.equal((await grantsForRequest(world.db, req.id))[1]?.grant.revokedAt, null);
  const wrongRequest = await clerk.post(
    `/sportello/richieste/${other.id}/concessioni/${made?.grant.id}/revoca`,
    { reason: "Motivo" },
    HTMX,
  );
  assert.equal(wrongRequest.status, 404);
  const guessedId = await clerk.post(
    `${page}/concessioni/nessuna/revoca`,
    { reason: "Motivo" },
    HTMX,
  );
  assert.equal(guessedId.status, 404);
  const revoked = await clerk.post(revoke, { reason: "Delega ritirata dal proprietario" }, HTMX);
  assert.equal(revoked.status, 200);
  const revokedHtml = await revoked.text();
  assert.match(revokedHtml, /Concessione revocata/);
  assert.match(
    revokedHtml,
    /data-state="revoked"[\s\S]*revocata da anna il [^<]*: Delega ritirata dal proprietario/,
  );
  const again = await clerk.post(revoke, { reason: "Ancora" }, HTMX);
  assert.equal(again.status, 422);
  assert.match(await again.text(), /già stata revocata/);

  // On 1 May the chosen grant has ended: the page says so.
  now = new Date("2025-05-01T08:00:00Z");
  await clerk.login("anna"); // the morning's session has long expired
  const later = await (await clerk.get(page)).text();
  assert.match(later, /data-state="expired"[^>]*>\s*<strong>scaduta<\/strong> · 2 documenti/);
  assert.match(later, /data-state="revoked"[^>]*>\s*<strong>revocata<\/strong> · tutta la pratica/);

  const actions = (await listAudit(world.db, { actor: "anna" })).map((e) => e.action);
  for (const a of ["record_title", "decide", "grant_create", "grant_revoke"]) {
    assert.ok(actions.includes(a), `audit entry ${a}`);
  }
});
