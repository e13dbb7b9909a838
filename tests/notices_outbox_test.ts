/**
 * The notice outbox at the archive: each event queues one notice per channel the citizen
 * chose (none without a channel), a replayed event queues nothing more, the sender job
 * retries temporary failures with backoff (and after App IO's Retry-After), sets permanent
 * ones aside with the reason, "riprova" sends them, and no key or password reaches a log.
 */
import { recordTitle } from "../db/access_grants.ts";
import assert from "node:assert/strict";
import { tempDb } from "./_temp_db.ts";
import { manualClock, startChannels } from "./_notice_setup.ts";
import { startGpdContractServer } from "./_gpd_contract_server.ts";
import { jobDeps, seedFeeTable } from "./_pagopa_setup.ts";
import { createAccessRequest, readAccessRequest } from "../db/access_requests.ts";
import { applyDeskAction } from "../db/access_decisions.ts";
import { applyBranchAccessRequest } from "../db/access_request_sync.ts";
import { quoteFee } from "../db/payment_notices.ts";
import { enqueueNotice, noticesForAdmin, retryNotice } from "../db/notices.ts";
import { notices } from "../db/schema.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import { runNoticeRound } from "../pagopa/notice_job.ts";
import { runNoticeSendRound, startNoticeSender } from "../notices/sender_job.ts";
import { appIoSender } from "../notices/app_io.ts";
import { emailSender } from "../notices/email.ts";
import { upsertRecords } from "../db/records.ts";
import { dossier } from "./fixtures.ts";
import type { Db } from "../db/client.ts";
import { FIXED_NOW } from "./_world.ts";

const CF = "RSSMRA85T10A562S";
const EMAIL = "giulia.bianchi@example.it";
const archiveCtx = (now: Date) => ({
  now,
  branch: "archivio",
  branchCode: "AR",
  outbox: false,
  settings: DEFAULT_DEADLINE_SETTINGS,
});
const INPUT = {
  regime: "documentale" as const,
  requesterName: "Giulia Bianchi",
  taxCode: CF,
  motivation: "Compravendita dell'immobile",
  mode: "view" as const,
  records: [{ kind: "dossier" as const, id: "pe-1" }],
};

async function rows(db: Db) {
  return await db.select().from(notices).orderBy(notices.createdAt, notices.kind, notices.channel);
}

function kinds(list: { kind: string; channel: string }[]): string[] {
  return list.map((n) => `${n.kind}/${n.channel}`).sort();
}

Deno.test("each request event queues one notice per chosen channel, with the receipt code", async () => {
  await using t = await tempDb();
  const now = FIXED_NOW;
  const r = await createAccessRequest(t.db, { ...INPUT, email: EMAIL, notifyAppIo: true }, {
    ...archiveCtx(now),
  });
  assert.deepEqual(kinds(await rows(t.db)), ["request_received/app_io", "request_received/email"]);
  const desk = (action: Parameters<typeof applyDeskAction>[2]) =>
    applyDeskAction(t.db, r.id, action, "carlo", archiveCtx(now));
  await desk({ kind: "start_review" });
  await desk({ kind: "notify_counterparties", on: "2025-03-03" });
  await desk({ kind: "counterparties_resolved", on: "2025-03-10" });
  // Documentale: the desk records the requester's title before it can accept.
  await recordTitle(t.db, r.id, { kind: "owner", basis: "Atto di compravendita 2019" }, {
    ...archiveCtx(now),
    actor: "carlo",
  });
  await desk({
    kind: "decide",
    decision: {
      outcome: "accepted",
      consultationPlace: "Ufficio tecnico, piano terra",
      consultationFrom: "2025-03-12",
      consultationTo: "2025-03-31",
    },
  });
  const all = await rows(t.db);
  assert.deepEqual(kinds(all), [
    "decision/app_io",
    "decision/email",
    "request_received/app_io",
    "request_received/email",
    "suspended_counterparties/app_io",
    "suspended_counterparties/email",
  ]);
  for (const n of all) {
    assert.ok(n.body.includes(r.receiptCode), `${n.kind} names the receipt code`);
    assert.equal(n.recipient, n.channel === "email" ? EMAIL : CF);
    assert.equal(n.state, "pending");
  }
  const decision = all.find((n) => n.kind === "decision");
  assert.match(decision?.body ?? "", /accolta.*\n\nPuoi consultare i documenti presso Ufficio/s);

  // Sent back for completion: another request, App IO only.
  const other = await createAccessRequest(t.db, { ...INPUT, notifyAppIo: true }, archiveCtx(now));
  await applyDeskAction(t.db, other.id, { kind: "request_completion" }, "carlo", archiveCtx(now));
  const completion = (await rows(t.db)).filter((n) => n.kind === "sent_back_for_completion");
  assert.deepEqual(completion.map((n) => n.channel), ["app_io"]);
});

Deno.test("no channel chosen: no notice at all (the status page still has everything)", async () => {
  await using t = await tempDb();
  const r = await createAccessRequest(t.db, INPUT, archiveCtx(FIXED_NOW));
  await applyDeskAction(t.db, r.id, { kind: "start_review" }, "carlo", archiveCtx(FIXED_NOW));
  assert.equal((await rows(t.db)).length, 0);
});

Deno.test("fee notice (with its pagoPA data) and payment: one notice each per channel", async () => {
  await using t = await tempDb();
  await using gpd = await startGpdContractServer();
  await seedFeeTable(t.db, FIXED_NOW);
  const d = dossier({ year: 1987 });
  await t.db.transaction((tx) => upsertRecords(tx, [d], FIXED_NOW));
  const input = { ...INPUT, records: [{ kind: "dossier" as const, id: d.id }], urgent: false };
  const fee = await quoteFee(t.db, { ...input, exemptionId: null });
  const r = await createAccessRequest(
    t.db,
    { ...input, fee, email: EMAIL, notifyAppIo: true },
    archiveCtx(FIXED_NOW),
  );
  assert.equal(r.state, "awaiting_payment");
  const received = (await rows(t.db)).find((n) => n.kind === "request_received");
  assert.match(received?.body ?? "", /avviso di pagamento/);
  const deps = { ...jobDeps(t.db, () => FIXED_NOW, gpd), pollEveryMs: 0 };
  await runNoticeRound(deps);
  await runNoticeRound(deps);
  const fees = (await rows(t.db)).filter((n) => n.kind === "fee_notice_issued");
  assert.equal(fees.length, 2);
  const payment = JSON.parse(fees[0]?.paymentData ?? "{}");
  assert.equal(payment.amountCents, 10250);
  assert.match(payment.noticeNumber, /^3\d{17}$/);
  assert.equal(payment.payeeFiscalCode, "12345678903");
  // The codice avviso is the aux digit 3 and the IUV.
  gpd.pay(payment.noticeNumber.slice(1), "2025-03-03T15:00:00Z");
  await runNoticeRound(deps);
  await runNoticeRound(deps);
  assert.deepEqual(
    kinds((await rows(t.db)).filter((n) => n.kind !== "request_received")),
    [
      "fee_notice_issued/app_io",
      "fee_notice_issued/email",
      "payment_received/app_io",
      "payment_received/email",
    ],
  );
});

Deno.test("a replayed event (a branch's push seen twice) queues nothing more", async () => {
  await using branch = await tempDb("branch");
  await using archive = await tempDb("archive");
  const r = await createAccessRequest(branch.db, { ...INPUT, email: EMAIL, notifyAppIo: true }, {
    ...archiveCtx(FIXED_NOW),
    branch: "sede-K2",
    branchCode: "K2",
    outbox: true,
  });
  // Nothing queued at the branch: notices are the archive's.
  assert.equal((await rows(branch.db)).length, 0);
  const snap = await readAccessRequest(branch.db, r.id);
  const ctx = { branch: "sede-K2", number: 1, mutationId: "m1", entityId: r.id, now: FIXED_NOW };
  await archive.db.transaction((tx) => applyBranchAccessRequest(tx, snap, ctx));
  await archive.db.transaction((tx) => applyBranchAccessRequest(tx, snap, ctx));
  assert.deepEqual(kinds(await rows(archive.db)), [
    "request_received/app_io",
    "request_received/email",
  ]);
  // The same event enqueued again by hand: the idempotency key holds.
  const filed = snap?.events[0];
  assert.ok(filed);
  const again = await enqueueNotice(
    archive.db,
    {
      eventId: filed.id,
      kind: "request_received",
      receiptCode: r.receiptCode,
      awaitingPayment: false,
    },
    { email: EMAIL, appIoTaxCode: CF },
    FIXED_NOW,
  );
  assert.equal(again, 0);
  assert.equal((await rows(archive.db)).length, 2);
});

Deno.test("a temporary failure is retried with growing backoff, then sent once", async () => {
  await using t = await tempDb();
  await using ch = await startChannels([CF]);
  const clock = manualClock();
  await createAccessRequest(t.db, { ...INPUT, notifyAppIo: true }, archiveCtx(clock()));
  const deps = ch.deps(t.db, clock);
  ch.io.down = true;
  const waits: number[] = [];
  for (let i = 0; i < 3; i++) {
    const report = await runNoticeSendRound(deps);
    assert.equal(report.retried, 1);
    const [n] = await rows(t.db);
    assert.match(n?.lastError ?? "", /HTTP 500/);
    const wait = Date.parse(n?.nextAttemptAt ?? "") - clock().getTime();
    waits.push(wait);
    // Not due before its time: a round now sends nothing.
    assert.equal((await runNoticeSendRound(deps)).retried, 0);
    clock.advance(wait);
  }
  // Full jitter at 0.5 of [30 s, 30 s·2^n]: 30 s, 45 s, 75 s.
  assert.deepEqual(waits, [30_000, 45_000, 75_000]);
  ch.io.down = false;
  assert.equal((await runNoticeSendRound(deps)).sent, 1);
  assert.equal((await runNoticeSendRound(deps)).sent, 0);
  assert.equal(ch.io.messages.length, 1);
  const [n] = await rows(t.db);
  assert.equal(n?.state, "sent");
  assert.equal(n?.attempts, 4);
  assert.equal(n?.providerId, ch.io.messages[0]?.id);
  // Signed by the Comune when sent.
  assert.match(ch.io.messages[0]?.content.markdown ?? "", /Comune di Borgo Esempio$/);
});

Deno.test("App IO's 429 is honoured: the next attempt waits its Retry-After", async () => {
  await using t = await tempDb();
  await using ch = await startChannels([CF]);
  const clock = manualClock();
  await createAccessRequest(t.db, { ...INPUT, notifyAppIo: true }, archiveCtx(clock()));
  const deps = ch.deps(t.db, clock);
  ch.io.faults.push({ status: 429, retryAfter: "600", path: "/api/v1/messages" });
  await runNoticeSendRound(deps);
  const [n] = await rows(t.db);
  assert.equal(Date.parse(n?.nextAttemptAt ?? ""), clock().getTime() + 600_000);
  assert.match(n?.lastError ?? "", /429/);
  clock.advance(599_000);
  await runNoticeSendRound(deps);
  assert.equal(ch.io.messages.length, 0);
  clock.advance(1_000);
  await runNoticeSendRound(deps);
  assert.equal(ch.io.messages.length, 1);
});

Deno.test("a permanent failure is set aside with its reason; riprova sends it", async () => {
  await using t = await tempDb();
  await using ch = await startChannels();
  const clock = manualClock();
  await createAccessRequest(
    t.db,
    { ...INPUT, email: EMAIL, notifyAppIo: true },
    archiveCtx(clock()),
  );
  const deps = ch.deps(t.db, clock);
  ch.sink.rejectRcpt.push(550);
  const report = await runNoticeSendRound(deps);
  assert.equal(report.setAside, 2);
  const { failed, pending } = await noticesForAdmin(t.db);
  assert.equal(pending.length, 0);
  assert.deepEqual(
    failed.map((n) => [n.channel, n.lastError]).sort(),
    [
      ["app_io", "App IO: il cittadino non ha un profilo su IO (nessun messaggio possibile)"],
      ["email", "E-mail: il server rifiuta il messaggio (SMTP 550): 550 Mailbox unavailable"],
    ],
  );
  // Set aside: later rounds leave it alone.
  clock.advance(3600_000);
  assert.equal((await runNoticeSendRound(deps)).sent, 0);
  // The citizen signs up to IO; the admin presses "riprova".
  ch.io.profiles.set(CF, true);
  for (const n of failed) assert.equal(await retryNotice(t.db, n.id, clock()), true);
  assert.equal(await retryNotice(t.db, failed[0]?.id ?? "", clock()), false);
  assert.equal((await runNoticeSendRound(deps)).sent, 2);
  assert.equal(ch.io.messages.length, 1);
  assert.equal(ch.sink.mails.length, 1);
});

Deno.test("a notice still failing after three days is set aside, not retried forever", async () => {
  await using t = await tempDb();
  await using ch = await startChannels([CF]);
  const clock = manualClock();
  await createAccessRequest(t.db, { ...INPUT, notifyAppIo: true }, archiveCtx(clock()));
  ch.io.down = true;
  clock.advance(3 * 24 * 3600_000 + 1);
  await runNoticeSendRound(ch.deps(t.db, clock));
  const [n] = await rows(t.db);
  assert.equal(n?.state, "failed_permanent");
  assert.match(n?.lastError ?? "", /^Non consegnato dopo 1 tentativo: App IO/);
});

Deno.test("API key and SMTP password never reach a log, the DB or the admin's reasons", async () => {
  await using t = await tempDb();
  await using ch = await startChannels([CF]);
  const clock = manualClock();
  await createAccessRequest(
    t.db,
    { ...INPUT, email: EMAIL, notifyAppIo: true },
    archiveCtx(clock()),
  );
  const badKey = "io-KEY-never-logged-4f1a";
  const badPassword = "smtp-PASSWORD-never-logged-77c2";
  const email = emailSender({
    host: "127.0.0.1",
    port: ch.sink.port,
    secure: false,
    requireTls: false,
    user: ch.sink.user,
    password: badPassword,
    from: "avvisi@comune.example.it",
  });
  const logged: string[] = [];
  const original = {
    log: console.log,
    error: console.error,
    warn: console.warn,
    info: console.info,
  };
  for (const name of ["log", "error", "warn", "info"] as const) {
    console[name] = (...args: unknown[]) => {
      logged.push(
        args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(" "),
      );
    };
  }
  try {
    const deps = ch.deps(t.db, clock, {
      channels: { app_io: appIoSender({ baseUrl: ch.io.baseUrl, subscriptionKey: badKey }), email },
    });
    const job = startNoticeSender(deps, 60_000);
    await job.runNow();
    // A round that throws is logged (its message only).
    const closedDb = {
      select: () => {
        throw new Error("DB chiuso");
      },
    } as unknown as Db;
    const broken = startNoticeSender({ ...deps, db: closedDb }, 60_000);
    await broken.runNow().catch(() => {});
    await broken.stop();
    await job.stop();
  } finally {
    Object.assign(console, original);
    email.close();
  }
  const [a, b] = await rows(t.db);
  assert.match(a?.lastError ?? "", /App IO: chiave del servizio non valida/);
  assert.match(b?.lastError ?? "", /E-mail: autenticazione SMTP rifiutata/);
  assert.ok(logged.some((l) => l.includes("DB chiuso")), "the failing round was logged");
  const everything = [
    ...logged,
    JSON.stringify(await rows(t.db)),
    JSON.stringify(await noticesForAdmin(t.db)),
  ].join("\n");
  for (const secret of [badKey, badPassword, ch.io.key, ch.sink.password]) {
    assert.ok(!everything.includes(secret), `secret ${secret.slice(0, 6)}… leaked`);
  }
  // The SMTP server did see the attempt (the password went where it belongs, and only there).
  assert.deepEqual(ch.sink.logins.map((l) => l.ok), [false]);
});

Deno.test("the mail server down for an hour: App IO keeps going, e-mail catches up, each once", async () => {
  await using t = await tempDb();
  await using ch = await startChannels([CF]);
  const clock = manualClock();
  const deps = ch.deps(t.db, clock);
  const rounds = async (minutes: number) => {
    for (let m = 0; m < minutes; m += 5) {
      await runNoticeSendRound(deps);
      clock.advance(5 * 60_000);
    }
  };
  const r = await createAccessRequest(
    t.db,
    { ...INPUT, email: EMAIL, notifyAppIo: true },
    archiveCtx(clock()),
  );
  await ch.sink.stop();
  await rounds(30);
  await applyDeskAction(t.db, r.id, { kind: "start_review" }, "carlo", archiveCtx(clock()));
  await applyDeskAction(
    t.db,
    r.id,
    { kind: "request_completion", note: "Manca la delega" },
    "carlo",
    archiveCtx(clock()),
  );
  await rounds(30);
  assert.equal(ch.io.messages.length, 2);
  assert.equal(ch.sink.mails.length, 0);
  const mailWaiting = (await rows(t.db)).filter((n) => n.channel === "email");
  assert.ok(
    mailWaiting.every((n) => n.state === "pending" && /non raggiungibile/.test(n.lastError ?? "")),
  );
  await ch.sink.start();
  await rounds(90);
  assert.equal(ch.io.messages.length, 2);
  assert.deepEqual(ch.sink.mails.map((m) => m.subject).sort(), [
    `Richiesta ${r.receiptCode} da integrare`,
    `Richiesta di accesso ricevuta (${r.receiptCode})`,
  ]);
  assert.ok((await rows(t.db)).every((n) => n.state === "sent"));
});
