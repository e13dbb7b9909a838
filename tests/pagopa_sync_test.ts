/**
 * Fees across a branch and the archive: the fee table comes down; a request filed at the
 * branch (no network needed) goes up; the archive opens and registers its pagoPA notice on
 * our GPD contract server; the notice comes down and the branch's status page shows the
 * codice avviso; paid on GPD, the archive's poll learns it, the paid state comes down and
 * the branch's desk can act on the request.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { createSyncPair } from "./_sync_setup.ts";
import { startGpdContractServer } from "./_gpd_contract_server.ts";
import { jobDeps, seedFeeTable } from "./_pagopa_setup.ts";
import { dossier } from "./fixtures.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { readFeeTable, removeFeeEntry } from "../db/fees.ts";
import { findNotice } from "../db/payment_notices.ts";
import { accessRequests } from "../db/schema.ts";
import { runNoticeRound } from "../pagopa/notice_job.ts";
import { formatNoticeNumber } from "../domain/pagopa_notice.ts";

const CF = "RSSMRA85T10A562S";
const FAST = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 2 };

Deno.test("a fee owed at a branch is noticed, registered, paid and released to the desk", async () => {
  const d = dossier({ year: 1987 });
  await using pair = await createSyncPair({ archiveRecords: [d] });
  await using gpd = await startGpdContractServer();
  const { archive, branch } = pair;
  const { exemptionId } = await seedFeeTable(archive.db, archive.clock());

  // First sync: records and the fee table come down; an exemption removed later goes too.
  await syncOnce(pair.clientDeps(), FAST);
  assert.deepEqual(await readFeeTable(branch.db), await readFeeTable(archive.db));
  await removeFeeEntry(archive.db, "fee_exemption", exemptionId, {
    actor: "admin",
    now: archive.clock(),
    branch: "archivio",
    outbox: false,
  });
  await syncOnce(pair.clientDeps(), FAST);
  assert.equal((await readFeeTable(branch.db)).exemptions.length, 0);

  // At the branch kiosk: the amount before filing, then filing (local, no network needed).
  const kiosk = new TestClient(branch.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  const fields = {
    record: `dossier:${d.id}`,
    requesterName: "Mario Rossi",
    taxCode: CF,
    regime: "documentale",
    motivation: "Compravendita dell'appartamento",
    mode: "view",
    privacyAck: "1",
  };
  const summary = await (await kiosk.post("/richieste/nuova", fields)).text();
  assert.match(summary, /data-testid="fee-total">€ 102,50</);
  assert.equal((await kiosk.post("/richieste/nuova", { ...fields, confirm: "1" })).status, 303);
  const slip = await (await kiosk.get("/richieste/ricevuta")).text();
  const code = /data-testid="receipt-code">([^<]+)</.exec(slip)?.[1] ?? "";
  const status = async () => {
    await kiosk.get("/richieste/stato");
    return await (await kiosk.post("/richieste/stato", { code, taxCode: CF })).text();
  };
  const offline = await status();
  assert.match(offline, /In attesa di pagamento/);
  assert.match(offline, /registrazione presso l(&#39;|')archivio centrale/);

  // Up to the archive, which opens the notice and registers it on GPD.
  await syncOnce(pair.clientDeps(), FAST);
  // Every clock of this test stands still (same instant on both sides); polling every round.
  const deps = { ...jobDeps(archive.db, archive.clock, gpd), pollEveryMs: 0 };
  const round = await runNoticeRound(deps);
  assert.deepEqual(round, { opened: 1, registered: 1, failed: 0, paid: 0 });
  const archived = await archive.db.select().from(accessRequests)
    .where(eq(accessRequests.receiptCode, code)).get();
  const notice = await findNotice(archive.db, archived?.id ?? "");
  assert.ok(notice);
  assert.equal(notice.amountCents, 10250);
  assert.equal(gpd.positions.size, 1);

  // Down to the branch: the kiosk shows the codice avviso.
  await syncOnce(pair.clientDeps(), FAST);
  const registered = await status();
  assert.match(registered, /data-testid="payment-notice"/);
  assert.ok(registered.includes(formatNoticeNumber(notice.noticeNumber)));
  assert.match(registered, /€ 102,50/);

  // The branch's desk cannot act yet.
  await addUser(branch.db, "carlo", "clerk", branch.clock());
  const clerk = new TestClient(branch.app);
  await clerk.login("carlo");
  const id = archived?.id ?? "";
  const deskPage = await (await clerk.get(`/sportello/richieste/${id}`)).text();
  assert.ok(deskPage.includes(`avviso pagoPA ${formatNoticeNumber(notice.noticeNumber)}`));
  const early = await clerk.post(`/sportello/richieste/${id}/azione`, { action: "start_review" });
  assert.equal(early.status, 422);

  // Paid through a PSP: GPD knows; the archive's poll learns it; the branch hears of it.
  gpd.pay(notice.iuv, "2025-03-03T15:00:00Z");
  assert.equal((await runNoticeRound(deps)).paid, 1);
  await syncOnce(pair.clientDeps(), FAST);
  const local = await branch.db.select().from(accessRequests)
    .where(eq(accessRequests.receiptCode, code)).get();
  assert.equal(local?.state, "received");
  assert.equal((await findNotice(branch.db, id))?.status, "paid");
  const paid = await status();
  assert.match(paid, /Pagamento ricevuto il 3 marzo 2025/);
  assert.match(paid, /Stato: <strong>Ricevuta<\/strong>/);
  const paidDesk = await (await clerk.get(`/sportello/richieste/${id}`)).text();
  assert.match(paidDesk, /Diritti pagati \(€ 102,50/);
  const review = await clerk.post(`/sportello/richieste/${id}/azione`, { action: "start_review" });
  assert.equal(review.status, 303);
  // The review goes up and the archive agrees; nothing reopens the paid notice.
  await syncOnce(pair.clientDeps(), FAST);
  const upstream = await archive.db.select().from(accessRequests)
    .where(eq(accessRequests.id, id)).get();
  assert.equal(upstream?.state, "in_review");
  assert.equal((await findNotice(archive.db, id))?.status, "paid");
});
