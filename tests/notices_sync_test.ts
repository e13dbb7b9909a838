/**
 * Issue 12's "done when", for notices, across a branch and the archive with sync: a citizen
 * files at the branch kiosk (offline: the branch needs no network to file) asking for e-mail
 * and App IO; the archive learns of it by sync and tells them "ricevuta", the pagoPA notice,
 * the payment, the decision taken at the branch's desk (with the grant it makes) and, 7 days
 * before the grant's last day, its expiry. App IO is down for an hour in the middle while
 * e-mail keeps working; afterwards App IO catches up. Every message arrives exactly once on
 * each channel, replayed pushes and calendar rounds included.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { createSyncPair } from "./_sync_setup.ts";
import { startGpdContractServer } from "./_gpd_contract_server.ts";
import { jobDeps, seedFeeTable } from "./_pagopa_setup.ts";
import { manualClock, startChannels } from "./_notice_setup.ts";
import { dossier } from "./fixtures.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { accessRequests, notices } from "../db/schema.ts";
import { findNotice } from "../db/payment_notices.ts";
import { readAccessRequest } from "../db/access_requests.ts";
import { applyBranchAccessRequest } from "../db/access_request_sync.ts";
import { grantsForRequest } from "../db/access_grants.ts";
import { runReminderRound } from "../notices/reminder_job.ts";
import { runNoticeRound } from "../pagopa/notice_job.ts";
import { runNoticeSendRound } from "../notices/sender_job.ts";

const CF = "RSSMRA85T10A562S";
const EMAIL = "mario.rossi@example.it";
const FAST = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 2 };
const MINUTE = 60_000;

Deno.test("received, fee notice, payment, decision and expiry: each once per channel, with App IO down for an hour", async () => {
  const d = dossier({ year: 1987 });
  await using pair = await createSyncPair({ archiveRecords: [d] });
  await using gpd = await startGpdContractServer();
  await using ch = await startChannels([CF]);
  const { archive, branch } = pair;
  await seedFeeTable(archive.db, archive.clock());
  await syncOnce(pair.clientDeps(), FAST);
  // The sender's own clock, moved by hand; the worlds' clocks stand still.
  const clock = manualClock();
  const sender = ch.deps(archive.db, clock);
  const send = async (minutes: number) => {
    for (let m = 0; m < minutes; m += 5) {
      await runNoticeSendRound(sender);
      clock.advance(5 * MINUTE);
    }
  };

  // At the branch kiosk: e-mail and "avvisami su App IO".
  const kiosk = new TestClient(branch.app);
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  const fields = {
    record: `dossier:${d.id}`,
    requesterName: "Mario Rossi",
    taxCode: CF,
    email: EMAIL,
    notifyAppIo: "1",
    regime: "documentale",
    motivation: "Compravendita dell'appartamento",
    mode: "view",
    privacyAck: "1",
  };
  const summary = await (await kiosk.post("/richieste/nuova", fields)).text();
  assert.match(summary, /Avvisi su App IO/);
  assert.equal((await kiosk.post("/richieste/nuova", { ...fields, confirm: "1" })).status, 303);
  const slip = await (await kiosk.get("/richieste/ricevuta")).text();
  const code = /data-testid="receipt-code">([^<]+)</.exec(slip)?.[1] ?? "";
  assert.match(code, /^K2/);
  // Nothing is queued at the branch: it may be offline; the archive sends.
  assert.equal((await branch.db.select().from(notices)).length, 0);

  // Up to the archive: "ricevuta"; the notice job registers the fee on GPD: "avviso".
  await syncOnce(pair.clientDeps(), FAST);
  const pagopa = { ...jobDeps(archive.db, archive.clock, gpd), pollEveryMs: 0 };
  await runNoticeRound(pagopa);
  await send(5);
  assert.deepEqual(ch.sink.mails.map((m) => m.subject).sort(), [
    `Avviso di pagamento per la richiesta ${code}`,
    `Richiesta di accesso ricevuta (${code})`,
  ]);
  assert.equal(ch.io.messages.length, 2);
  const feeMessage = ch.io.messages.find((m) => m.content.payment_data);
  assert.equal(feeMessage?.content.payment_data?.amount, 10250);

  // App IO goes down for an hour. Meanwhile the fee is paid and the branch decides.
  ch.io.down = true;
  const id = (await archive.db.select().from(accessRequests)
    .where(eq(accessRequests.receiptCode, code)).get())?.id ?? "";
  const notice = await findNotice(archive.db, id);
  gpd.pay(notice?.iuv ?? "", "2025-03-03T15:00:00Z");
  await runNoticeRound(pagopa);
  await send(20);
  await syncOnce(pair.clientDeps(), FAST);
  await addUser(branch.db, "carlo", "clerk", branch.clock());
  const clerk = new TestClient(branch.app);
  await clerk.login("carlo");
  await clerk.get(`/sportello/richieste/${id}`);
  const act = (form: Record<string, string>) =>
    clerk.post(`/sportello/richieste/${id}/azione`, form);
  assert.equal((await act({ action: "start_review" })).status, 303);
  // The title first: an acceptance of a documentale request makes its grant with it.
  assert.equal(
    (await clerk.post(`/sportello/richieste/${id}/titolo`, {
      titleKind: "owner",
      titleBasis: "Atto di compravendita 2019",
    })).status,
    303,
  );
  assert.equal(
    (await act({
      action: "decide",
      outcome: "accepted",
      consultationPlace: "Ufficio tecnico, piano terra",
      consultationFrom: "2025-03-12",
      consultationTo: "2025-03-31",
      grantValidUntil: "2025-03-31",
    })).status,
    303,
  );
  await syncOnce(pair.clientDeps(), FAST);
  // The grant made at the branch's desk reached the archive.
  const [grant] = await grantsForRequest(archive.db, id);
  assert.equal(grant?.grant.validUntil, "2025-03-31");
  // The calendar job, on the day of the decision: nothing to say yet.
  const reminders = { db: archive.db, clock, grantNoticeDays: 7 };
  assert.equal((await runReminderRound(reminders)).grantsExpiring, 0);
  await send(40);
  // During the hour: e-mail delivered everything; App IO nothing new, each try backed off.
  assert.equal(ch.sink.mails.length, 4);
  assert.equal(ch.io.messages.length, 2);
  const waiting = await archive.db.select().from(notices).where(eq(notices.state, "pending"));
  assert.deepEqual(waiting.map((n) => n.channel), ["app_io", "app_io"]);
  assert.ok(waiting.every((n) => (n.lastError ?? "").includes("HTTP 500")));
  // The channel that is down is tried once a round at most, not once per notice.
  const tries = ch.io.calls.filter((c) => c.path === "/api/v1/profiles").length - 2;
  assert.ok(tries > 0 && tries <= 12, `App IO tried ${tries} times in the hour`);

  // A replayed push of the same snapshot (a lost answer): nothing new is queued.
  const snap = await readAccessRequest(branch.db, id);
  await archive.db.transaction((tx) =>
    applyBranchAccessRequest(tx, snap, {
      branch: "sede-prova",
      number: 999,
      mutationId: "replay",
      entityId: id,
      now: archive.clock(),
    })
  );

  // App IO is back: it catches up within the backoff's cap (an hour), nothing twice.
  ch.io.down = false;
  await send(120);
  assert.equal(ch.io.messages.length, 4);

  // The clock moves to 8, then 7 days before the grant's last day: the expiry is told once.
  const at = (iso: string) => clock.advance(Date.parse(iso) - clock().getTime());
  at("2025-03-23T09:00:00Z");
  assert.equal((await runReminderRound(reminders)).grantsExpiring, 0);
  at("2025-03-24T09:00:00Z");
  assert.equal((await runReminderRound(reminders)).grantsExpiring, 2);
  await send(10);
  assert.equal((await runReminderRound(reminders)).grantsExpiring, 0, "once per grant");
  at("2025-03-30T09:00:00Z");
  assert.equal((await runReminderRound(reminders)).grantsExpiring, 0, "once per grant");
  await send(10);
  const all = await archive.db.select().from(notices);
  assert.equal(all.length, 10);
  assert.ok(all.every((n) => n.state === "sent"), "every notice sent");
  const kinds = (list: string[]) => list.sort();
  const expected = kinds([
    "decision",
    "fee_notice_issued",
    "grant_expiring",
    "payment_received",
    "request_received",
  ]);
  for (const channel of ["app_io", "email"] as const) {
    assert.deepEqual(kinds(all.filter((n) => n.channel === channel).map((n) => n.kind)), expected);
  }
  // Exactly once on the wire: 5 mails with 5 different keys, 5 IO messages.
  assert.equal(ch.sink.mails.length, 5);
  assert.equal(new Set(ch.sink.mails.map((m) => m.key)).size, 5);
  assert.ok(ch.sink.mails.every((m) => m.to.join() === EMAIL));
  assert.equal(ch.io.messages.length, 5);
  assert.equal(new Set(ch.io.messages.map((m) => m.content.subject)).size, 5);
  assert.ok(ch.io.messages.every((m) => m.fiscal_code === CF));
  assert.ok(ch.io.messages.every((m) => m.content.markdown.includes(code)));
});
