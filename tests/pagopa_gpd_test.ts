import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { createTestWorld } from "./_world.ts";
import { startGpdContractServer } from "./_gpd_contract_server.ts";
import { ENTE_CF, fileRequest, jobDeps, seedFeeTable } from "./_pagopa_setup.ts";
import { dossier } from "./fixtures.ts";
import { createDebtPosition, getDebtPosition, GpdError } from "../pagopa/gpd_client.ts";
import { iupdOf, runNoticeRound, startNoticeJob } from "../pagopa/notice_job.ts";
import { findNotice } from "../db/payment_notices.ts";
import { findByReceiptCode } from "../db/access_requests.ts";
import { accessRequests, feeRules } from "../db/schema.ts";
import { isValidNoticeNumber } from "../domain/pagopa_notice.ts";

const position = (iuv: string) => ({
  iupd: `${ENTE_CF}-${iuv}`,
  payer: { fiscalCode: "RSSMRA85T10A562S", fullName: "Giulia Bianchi" },
  companyName: "Comune di Borgo Esempio",
  iuv,
  amountCents: 10250,
  description: "Diritti per accesso agli atti, richiesta K2AB-CD3E",
  dueDate: "2025-04-02T23:59:59",
  transfer: {
    organizationFiscalCode: ENTE_CF,
    iban: "IT60X0542811101000000123456",
    category: "9/0101108TS/",
  },
});

Deno.test("the client creates a published position and reads it back with the key header", async () => {
  await using gpd = await startGpdContractServer();
  const cfg = { baseUrl: gpd.url, subscriptionKey: gpd.key };
  const created = await createDebtPosition(cfg, ENTE_CF, position("47202500000012389"));
  assert.equal(created.status, "VALID");
  assert.equal(created.paid, false);
  assert.equal(created.nav, "347202500000012389");
  assert.equal(gpd.seen[0]?.path, `/organizations/${ENTE_CF}/debtpositions?toPublish=true`);
  assert.equal(gpd.seen[0]?.keyOk, true);
  gpd.pay("47202500000012389", "2025-03-04T10:00:00Z");
  const read = await getDebtPosition(cfg, ENTE_CF, `${ENTE_CF}-47202500000012389`);
  assert.equal(read.paid, true);
  assert.equal(read.paymentDate, "2025-03-04T10:00:00Z");
});

Deno.test("the client reports each documented error in terms the job can act on", async () => {
  await using gpd = await startGpdContractServer();
  const cfg = { baseUrl: gpd.url, subscriptionKey: gpd.key };
  const bad = { baseUrl: gpd.url, subscriptionKey: "sbagliata" };
  const err = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (e instanceof GpdError) return e;
      throw e;
    }
    assert.fail("expected a GpdError");
  };
  const unauthorized = await err(createDebtPosition(bad, ENTE_CF, position("47202500000012389")));
  assert.equal(unauthorized.kind, "unauthorized");
  assert.equal(unauthorized.retryable, false);
  assert.doesNotMatch(unauthorized.message, /sbagliata/, "the key never appears in a message");
  await createDebtPosition(cfg, ENTE_CF, position("47202500000012389"));
  const dup = await err(createDebtPosition(cfg, ENTE_CF, position("47202500000012389")));
  assert.equal(dup.kind, "conflict");
  assert.equal(dup.status, 409);
  const malformed = await err(
    createDebtPosition(cfg, ENTE_CF, { ...position("47202500000022356"), amountCents: 0 }),
  );
  assert.equal(malformed.kind, "bad_request");
  assert.match(malformed.message, /amount/);
  gpd.failNext(503);
  const down = await err(getDebtPosition(cfg, ENTE_CF, "x"));
  assert.equal(down.kind, "unavailable");
  assert.equal(down.retryable, true);
  gpd.failNext(429, 1, { "Retry-After": "7" });
  const slow = await err(getDebtPosition(cfg, ENTE_CF, "x"));
  assert.equal(slow.kind, "throttled");
  assert.equal(slow.retryAfterSeconds, 7);
  const missing = await err(getDebtPosition(cfg, ENTE_CF, "nessuna"));
  assert.equal(missing.kind, "not_found");
  const closed = await err(
    getDebtPosition(
      { baseUrl: "http://127.0.0.1:9", subscriptionKey: "k", timeoutMs: 2000 },
      ENTE_CF,
      "x",
    ),
  );
  assert.equal(closed.kind, "unavailable");
});

const NOW = new Date("2025-03-03T09:00:00.000Z");

Deno.test("the archive opens a notice with a valid, unique codice avviso and registers it", async () => {
  const d1 = dossier({ year: 1987 }), d2 = dossier({ year: 2020 });
  await using world = await createTestWorld({ records: [d1, d2], config: { role: "archive" } });
  await using gpd = await startGpdContractServer();
  await seedFeeTable(world.db, NOW);
  const a = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d1.id }]);
  const b = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d2.id }]);
  assert.equal(a.state, "awaiting_payment");
  assert.equal(a.feeCents, 10000 + 250);
  const report = await runNoticeRound(jobDeps(world.db, world.clock, gpd));
  assert.deepEqual(report, { opened: 2, registered: 2, failed: 0, paid: 0 });
  const na = await findNotice(world.db, a.id), nb = await findNotice(world.db, b.id);
  assert.ok(na && nb);
  assert.ok(isValidNoticeNumber(na.noticeNumber));
  assert.ok(isValidNoticeNumber(nb.noticeNumber));
  assert.notEqual(na.iuv, nb.iuv);
  assert.match(na.noticeNumber, /^347202500000000\d{3}$/);
  assert.equal(na.amountCents, 10250);
  assert.equal(nb.amountCents, 3250);
  assert.equal(na.status, "registered");
  assert.equal(na.dueOn, "2025-04-02");
  const stored = gpd.positions.get(`${ENTE_CF}/${iupdOf(na)}`);
  assert.equal(stored?.paymentOption[0]?.amount, 10250);
  assert.equal(stored?.fiscalCode, "RSSMRA85T10A562S");
  // A second round opens nothing new and does not register twice.
  assert.deepEqual(await runNoticeRound(jobDeps(world.db, world.clock, gpd)), {
    opened: 0,
    registered: 0,
    failed: 0,
    paid: 0,
  });
});

Deno.test("a 5xx from GPD is retried later with backoff, then the notice registers", async () => {
  const d = dossier({ year: 1995 });
  let now = NOW;
  await using world = await createTestWorld({ records: [d], config: { role: "archive" } });
  await using gpd = await startGpdContractServer();
  await seedFeeTable(world.db, NOW);
  const r = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d.id }]);
  gpd.failNext(500);
  const deps = jobDeps(world.db, () => now, gpd);
  assert.equal((await runNoticeRound(deps)).failed, 1);
  const failed = await findNotice(world.db, r.id);
  assert.equal(failed?.status, "pending");
  assert.equal(failed?.attempts, 1);
  assert.match(failed?.lastError ?? "", /GPD non disponibile/);
  assert.ok((failed?.nextAttemptAt ?? "") > NOW.toISOString(), "not retried at once");
  // Not yet due: nothing is sent.
  const sent = gpd.seen.length;
  await runNoticeRound(deps);
  assert.equal(gpd.seen.length, sent);
  now = new Date(NOW.getTime() + 60 * 60_000);
  assert.equal((await runNoticeRound(deps)).registered, 1);
  const ok = await findNotice(world.db, r.id);
  assert.equal(ok?.status, "registered");
  assert.equal(ok?.lastError, null);
});

Deno.test("a bad subscription key is kept for the admins and nothing is registered", async () => {
  const d = dossier({ year: 1995 });
  await using world = await createTestWorld({ records: [d], config: { role: "archive" } });
  await using gpd = await startGpdContractServer();
  await seedFeeTable(world.db, NOW);
  const r = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d.id }]);
  const report = await runNoticeRound(jobDeps(world.db, world.clock, gpd, "chiave-errata"));
  assert.equal(report.failed, 1);
  const n = await findNotice(world.db, r.id);
  assert.equal(n?.status, "pending");
  assert.match(n?.lastError ?? "", /chiave di sottoscrizione \(401\)/);
  assert.doesNotMatch(n?.lastError ?? "", /chiave-errata/);
  assert.equal(gpd.positions.size, 0);
});

Deno.test("a 409 for our own earlier create counts as registered; a taken IUV gets a new one", async () => {
  const d1 = dossier({ year: 1995 }), d2 = dossier({ year: 1996 });
  let now = NOW;
  await using world = await createTestWorld({ records: [d1, d2], config: { role: "archive" } });
  await using gpd = await startGpdContractServer();
  await seedFeeTable(world.db, NOW);
  const deps = jobDeps(world.db, () => now, gpd);
  const a = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d1.id }]);
  // Open the notice without GPD, then create its position as if our answer had been lost.
  await runNoticeRound({ ...deps, gpd: undefined });
  const na = await findNotice(world.db, a.id);
  assert.ok(na);
  const cfg = { baseUrl: gpd.url, subscriptionKey: gpd.key };
  await createDebtPosition(cfg, ENTE_CF, { ...position(na.iuv), iupd: iupdOf(na) });
  assert.equal((await runNoticeRound(deps)).registered, 1);
  assert.equal((await findNotice(world.db, a.id))?.status, "registered");
  // Another generator already used the IUV our counter gives next.
  const b = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d2.id }]);
  await runNoticeRound({ ...deps, gpd: undefined });
  const nb = await findNotice(world.db, b.id);
  assert.ok(nb);
  await createDebtPosition(cfg, ENTE_CF, { ...position(nb.iuv), iupd: "altro-sistema-1" });
  assert.equal((await runNoticeRound(deps)).failed, 1);
  const moved = await findNotice(world.db, b.id);
  assert.notEqual(moved?.iuv, nb.iuv);
  assert.ok(isValidNoticeNumber(moved?.noticeNumber ?? ""));
  now = new Date(NOW.getTime() + 1000);
  assert.equal((await runNoticeRound(deps)).registered, 1);
  assert.equal((await findNotice(world.db, b.id))?.status, "registered");
});

Deno.test("once GPD says paid, the request leaves awaiting payment for the desk", async () => {
  const d = dossier({ year: 2001 });
  let now = NOW;
  await using world = await createTestWorld({ records: [d], config: { role: "archive" } });
  await using gpd = await startGpdContractServer();
  await seedFeeTable(world.db, NOW);
  const r = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d.id }]);
  const deps = { ...jobDeps(world.db, () => now, gpd), pollEveryMs: 60_000 };
  await runNoticeRound(deps);
  now = new Date(NOW.getTime() + 120_000);
  assert.equal((await runNoticeRound(deps)).paid, 0, "polled, not paid yet");
  const n = await findNotice(world.db, r.id);
  assert.ok(n);
  gpd.pay(n.iuv, "2025-03-03T10:00:00Z");
  now = new Date(NOW.getTime() + 240_000);
  assert.equal((await runNoticeRound(deps)).paid, 1);
  assert.equal((await findNotice(world.db, r.id))?.status, "paid");
  const row = await findByReceiptCode(world.db, r.receiptCode);
  assert.equal(row?.state, "received");
  // The legal clock ran from filing: the due date did not move.
  assert.equal(row?.dueOn, r.dueOn);
});

Deno.test("an exempt or free request never waits for payment and gets no notice", async () => {
  const d = dossier({ year: 1980 });
  await using world = await createTestWorld({ records: [d], config: { role: "archive" } });
  await using gpd = await startGpdContractServer();
  const { exemptionId } = await seedFeeTable(world.db, NOW);
  const exempt = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d.id }], { exemptionId });
  assert.equal(exempt.state, "received");
  assert.equal(exempt.feeExemptionReason, "Richiesta dell'autorità giudiziaria");
  await runNoticeRound(jobDeps(world.db, world.clock, gpd));
  assert.equal(await findNotice(world.db, exempt.id), undefined);
  assert.equal(gpd.positions.size, 0);
  // A request the archive's table prices at nothing goes straight to the desk.
  const r = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d.id }]);
  await world.db.delete(feeRules);
  await runNoticeRound(jobDeps(world.db, world.clock, gpd));
  const row = await world.db.select().from(accessRequests).where(eq(accessRequests.id, r.id)).get();
  assert.equal(row?.state, "received");
  assert.equal(await findNotice(world.db, r.id), undefined);
});

Deno.test("the archive's job loop registers on its own and its rounds never overlap", async () => {
  const d = dossier({ year: 1995 });
  await using world = await createTestWorld({ records: [d], config: { role: "archive" } });
  await using gpd = await startGpdContractServer();
  await seedFeeTable(world.db, NOW);
  const r = await fileRequest(world.db, NOW, [{ kind: "dossier", id: d.id }]);
  const job = startNoticeJob(jobDeps(world.db, world.clock, gpd), 60_000);
  // Queued behind the loop's first round, which already did the work.
  const second = await job.runNow();
  await job.stop();
  assert.equal(second.registered, 0);
  assert.equal((await findNotice(world.db, r.id))?.status, "registered");
  assert.equal(gpd.positions.size, 1);
  assert.equal(gpd.seen.filter((s) => s.method === "POST").length, 1);
});
