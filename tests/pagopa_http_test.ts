import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { startGpdContractServer } from "./_gpd_contract_server.ts";
import { ENTE_CF, jobDeps, seedFeeTable } from "./_pagopa_setup.ts";
import { listAudit } from "../db/audit.ts";
import { readFeeTable } from "../db/fees.ts";
import { findByReceiptCode } from "../db/access_requests.ts";
import { findNotice } from "../db/payment_notices.ts";
import { runNoticeRound } from "../pagopa/notice_job.ts";
import { formatNoticeNumber } from "../domain/pagopa_notice.ts";

const CF = "RSSMRA85T10A562S";

function form(record: string, overrides: Record<string, string> = {}) {
  return {
    record,
    requesterName: "Mario Rossi",
    taxCode: CF,
    regime: "documentale",
    motivation: "Compravendita dell'appartamento",
    requesterTitle: "Proprietario",
    mode: "view",
    privacyAck: "1",
    ...overrides,
  };
}

Deno.test("an admin keeps the fee table; each change is audited and bad input explained", async () => {
  await using world = await createTestWorld({ config: { role: "archive" } });
  await addUser(world.db, "anna", "admin", world.clock());
  await addUser(world.db, "carlo", "clerk", world.clock());
  const admin = new TestClient(world.app);
  await admin.login("anna");
  const page = await admin.get("/admin/tariffe");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(await page.text(), /Nessuna voce: le richieste non pagano diritti/);
  const added = await admin.post("/admin/tariffe", {
    item: "research",
    yearFrom: "",
    yearTo: "1989",
    amount: "100,00",
  });
  assert.equal(added.status, 303);
  const overlap = await admin.post("/admin/tariffe", {
    item: "research",
    yearFrom: "1980",
    yearTo: "1995",
    amount: "50",
  });
  assert.equal(overlap.status, 422);
  assert.match(await overlap.text(), /Esiste già una tariffa per questa voce e questi anni/);
  const badAmount = await admin.post("/admin/tariffe", { item: "viewing", amount: "dieci" });
  assert.equal(badAmount.status, 422);
  assert.match(await badAmount.text(), /Importo non valido/);
  const badYears = await admin.post("/admin/tariffe", {
    item: "copy_page",
    yearFrom: "1990",
    amount: "0,10",
  });
  assert.equal(badYears.status, 422);
  assert.match(await badYears.text(), /Gli anni valgono solo per ricerca e visura/);
  assert.equal(
    (await admin.post("/admin/tariffe/esenzioni", { reason: "Autorità giudiziaria" })).status,
    303,
  );
  const table = await readFeeTable(world.db);
  assert.deepEqual(table.rules.map((r) => [r.item, r.yearFrom, r.yearTo, r.amountCents]), [[
    "research",
    null,
    1989,
    10000,
  ]]);
  const shown = await (await admin.get("/admin/tariffe")).text();
  assert.match(shown, /fino al 1989/);
  assert.match(shown, /€ 100,00/);
  assert.match(shown, /Autorità giudiziaria/);
  assert.match(shown, /Avvisi pagoPA/);
  const removed = await admin.post("/admin/tariffe/elimina", { id: table.rules[0]?.id ?? "" });
  assert.equal(removed.status, 303);
  assert.equal((await readFeeTable(world.db)).rules.length, 0);
  const actions = (await listAudit(world.db, { actor: "anna" })).map((e) => e.action);
  for (const a of ["fee_rule_add", "fee_exemption_add", "fee_rule_remove"]) {
    assert.ok(actions.includes(a), `audited: ${a}`);
  }
  // A clerk cannot touch the table.
  const clerk = new TestClient(world.app);
  await clerk.login("carlo");
  assert.equal((await clerk.get("/admin/tariffe")).status, 403);
});

Deno.test("a synced branch shows the archive's fee table read-only", async () => {
  await using world = await createTestWorld({
    config: { archiveUrl: "http://127.0.0.1:9", token: "t" },
  });
  await addUser(world.db, "anna", "admin", world.clock());
  const admin = new TestClient(world.app);
  await admin.login("anna");
  const page = await (await admin.get("/admin/tariffe")).text();
  assert.match(page, /si modifica all(&#39;|')archivio centrale/);
  assert.doesNotMatch(page, /Aggiungi esenzione/);
  const refused = await admin.post("/admin/tariffe/esenzioni", { reason: "Qualcosa" });
  assert.equal(refused.status, 409);
  assert.equal((await readFeeTable(world.db)).exemptions.length, 0);
});

Deno.test("the kiosk shows the fee before filing, then the notice on the status page", async () => {
  const old = dossier({ year: 1987 }), recent = dossier({ year: 2019 });
  await using world = await createTestWorld({
    records: [old, recent],
    config: { role: "archive" },
  });
  await using gpd = await startGpdContractServer();
  await seedFeeTable(world.db, world.clock());
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${old.id}`);
  const records = [`dossier:${old.id}`, `dossier:${recent.id}`];
  const summary = await kiosk.post("/richieste/nuova", form("", { record: records } as never));
  assert.equal(summary.status, 200);
  const html = await summary.text();
  // Research 100,00 (1987) + 30,00 (2019) + viewing 2 × 2,50.
  assert.match(html, /data-testid="fee-total">€ 135,00</);
  assert.match(html, /avviso di pagamento pagoPA di € 135,00/);
  assert.match(html, /Diritti di ricerca \(per pratica\) \(€ 100,00\)/);
  const filed = await kiosk.post("/richieste/nuova", {
    ...form(""),
    record: records,
    confirm: "1",
  });
  assert.equal(filed.status, 303);
  const slip = await (await kiosk.get("/richieste/ricevuta")).text();
  const code = /data-testid="receipt-code">([^<]+)</.exec(slip)?.[1] ?? "";
  const row = await findByReceiptCode(world.db, code);
  assert.equal(row?.state, "awaiting_payment");
  assert.equal(row?.feeCents, 13500);
  // Before the archive registered the notice: the amount and what comes next.
  await kiosk.get("/richieste/stato");
  const before = await (await kiosk.post("/richieste/stato", { code, taxCode: CF })).text();
  assert.match(before, /In attesa di pagamento/);
  assert.match(before, /Diritti da pagare: € 135,00/);
  assert.match(
    before,
    /L&#39;avviso sarà disponibile dopo la registrazione presso l&#39;archivio centrale|L'avviso sarà disponibile dopo la registrazione presso l'archivio centrale/,
  );
  assert.match(before, /decorre comunque dalla presentazione/);
  assert.doesNotMatch(before, /data-testid="payment-notice"/);
  await runNoticeRound(jobDeps(world.db, world.clock, gpd));
  const notice = await findNotice(world.db, row?.id ?? "");
  assert.equal(notice?.status, "registered");
  const after = await (await kiosk.post("/richieste/stato", { code, taxCode: CF })).text();
  assert.match(after, /data-testid="payment-notice"/);
  assert.ok(after.includes(formatNoticeNumber(notice?.noticeNumber ?? "")));
  assert.match(after, /€ 135,00/);
  assert.ok(after.includes(ENTE_CF));
  assert.match(after, /2 aprile 2025/);
  assert.match(after, /src="data:image\/svg\+xml;base64,/);
  assert.match(after, /Stampa l&#39;avviso|Stampa l'avviso/);
  assert.match(after, /notice_print/);
  // The public screen names no one.
  assert.doesNotMatch(after, /Rossi/);
  assert.ok(after.includes("M. R."));
});

Deno.test("an exemption chosen at the kiosk files the request straight for the desk", async () => {
  const d = dossier({ year: 1987 });
  await using world = await createTestWorld({ records: [d] });
  const { exemptionId } = await seedFeeTable(world.db, world.clock());
  const kiosk = new TestClient(world.app);
  const page = await (await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`)).text();
  assert.match(page, /Esenzione dai diritti/);
  const summary = await kiosk.post(
    "/richieste/nuova",
    form(`dossier:${d.id}`, { feeExemptionId: exemptionId }),
  );
  const html = await summary.text();
  assert.match(html, /Esenzione richiesta: <strong>Richiesta dell(&#39;|')autorità giudiziaria/);
  const stale = await kiosk.post(
    "/richieste/nuova",
    form(`dossier:${d.id}`, { feeExemptionId: "non-esiste", confirm: "1" }),
  );
  assert.equal(stale.status, 422);
  assert.match(await stale.text(), /Esenzione non più prevista dal tariffario/);
  const filed = await kiosk.post(
    "/richieste/nuova",
    form(`dossier:${d.id}`, { feeExemptionId: exemptionId, confirm: "1" }),
  );
  assert.equal(filed.status, 303);
  const slip = await (await kiosk.get("/richieste/ricevuta")).text();
  const code = /data-testid="receipt-code">([^<]+)</.exec(slip)?.[1] ?? "";
  const row = await findByReceiptCode(world.db, code);
  assert.equal(row?.state, "received");
  await kiosk.get("/richieste/stato");
  const status = await (await kiosk.post("/richieste/stato", { code, taxCode: CF })).text();
  assert.match(status, /Esente dai diritti/);
});

Deno.test("the desk sees a request waiting for payment and cannot act on it before", async () => {
  const d = dossier({ year: 1987 });
  await using world = await createTestWorld({ records: [d] });
  await seedFeeTable(world.db, world.clock());
  await addUser(world.db, "carlo", "clerk", world.clock());
  const kiosk = new TestClient(world.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  await kiosk.post("/richieste/nuova", form(`dossier:${d.id}`, { confirm: "1" }));
  const code = /data-testid="receipt-code">([^<]+)</.exec(
    await (await kiosk.get("/richieste/ricevuta")).text(),
  )?.[1] ?? "";
  const row = await findByReceiptCode(world.db, code);
  const clerk = new TestClient(world.app);
  await clerk.login("carlo");
  const queue = await (await clerk.get("/sportello")).text();
  assert.match(queue, /In attesa di pagamento/);
  const page = await (await clerk.get(`/sportello/richieste/${row?.id}`)).text();
  assert.match(page, /In attesa di pagamento/);
  assert.doesNotMatch(page, /Registra la decisione/);
  for (const action of ["start_review", "decide"]) {
    const res = await clerk.post(`/sportello/richieste/${row?.id}/azione`, {
      action,
      outcome: "accepted",
    });
    assert.equal(res.status, 422);
    assert.match(
      await res.text(),
      /Azione non consentita: la richiesta è «In attesa di pagamento»/,
    );
  }
  assert.equal((await findByReceiptCode(world.db, code))?.state, "awaiting_payment");
});
