import assert from "node:assert/strict";
import { tempDb } from "./_temp_db.ts";
import {
  type AccessRequestSnapshot,
  applyAccessRequestSnapshot,
  createAccessRequest,
  findByReceiptCode,
  listQueue,
  readAccessRequest,
} from "../db/access_requests.ts";
import { applyDeskAction } from "../db/access_decisions.ts";
import { recordTitle } from "../db/access_grants.ts";
import { appendAudit, listAudit } from "../db/audit.ts";
import { registroCsv, registroRows } from "../db/registro.ts";
import { authenticate, createUser, setUserDisabled } from "../db/users.ts";
import { createSession, touchSession } from "../db/sessions.ts";
import { countPendingMutations, pendingMutations } from "../db/outbox.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import { AccessRuleError } from "../domain/access_states.ts";

const FILED = new Date("2025-01-31T10:00:00Z");
const ctx = (now: Date) => ({
  now,
  branch: "sede-K2",
  branchCode: "K2",
  outbox: true,
  settings: DEFAULT_DEADLINE_SETTINGS,
});
const INPUT = {
  regime: "documentale" as const,
  requesterName: "Giulia Bianchi",
  taxCode: "RSSMRA85T10A562S",
  email: "giulia@example.it",
  motivation: "Compravendita dell'immobile",
  mode: "view" as const,
  records: [{ kind: "dossier" as const, id: "pe-1" }],
};

Deno.test("a filed request gets a receipt, its due date and one outbox entry", async () => {
  await using t = await tempDb("t");
  const row = await createAccessRequest(t.db, INPUT, ctx(FILED));
  assert.match(row.receiptCode, /^K2..-....$/);
  assert.equal(row.dueOn, "2025-03-03");
  assert.equal((await findByReceiptCode(t.db, row.receiptCode))?.id, row.id);
  const [m] = await pendingMutations(t.db, 10);
  assert.equal(m?.entity, "access_request");
  assert.equal(await countPendingMutations(t.db), 1);
  const snap = await readAccessRequest(t.db, row.id);
  assert.deepEqual(snap?.records, [{ kind: "dossier", id: "pe-1" }]);
});

Deno.test("the desk moves a request through notice and decision, the clock following", async () => {
  await using t = await tempDb("t");
  const row = await createAccessRequest(t.db, INPUT, ctx(new Date("2025-03-03T09:00:00Z")));
  const later = ctx(new Date("2025-03-10T09:00:00Z"));
  await applyDeskAction(t.db, row.id, { kind: "start_review" }, "mario", later);
  const notified = await applyDeskAction(
    t.db,
    row.id,
    {
      kind: "notify_counterparties",
      on: "2025-03-10",
    },
    "mario",
    later,
  );
  assert.equal(notified.dueOn, "2025-04-12");
  // Documentale: the desk checks the requester's title before it can accept.
  await recordTitle(t.db, row.id, { kind: "owner", basis: "Atto di compravendita 2019" }, {
    ...later,
    actor: "mario",
  });
  await assert.rejects(
    applyDeskAction(
      t.db,
      row.id,
      {
        kind: "decide",
        decision: { outcome: "refused", legalBasis: "L. 241/1990 art. 24" },
      },
      "mario",
      later,
    ),
    (e) => e instanceof AccessRuleError && e.field === "reason",
  );
  await assert.rejects(
    applyDeskAction(
      t.db,
      row.id,
      {
        kind: "decide",
        decision: {
          outcome: "accepted",
          consultationPlace: "Ufficio tecnico",
          consultationFrom: "2025-03-20",
          consultationTo: "2025-03-30",
        },
      },
      "mario",
      later,
    ),
    /almeno 15 giorni/,
  );
  const accepted = await applyDeskAction(
    t.db,
    row.id,
    {
      kind: "decide",
      decision: {
        outcome: "accepted",
        consultationPlace: "Ufficio tecnico",
        consultationFrom: "2025-03-20",
        consultationTo: "2025-04-03",
      },
    },
    "mario",
    later,
  );
  assert.equal(accepted.state, "accepted");
  assert.equal(accepted.decidedBy, "mario");
  await assert.rejects(
    applyDeskAction(t.db, row.id, { kind: "withdraw" }, "mario", later),
    AccessRuleError,
  );
  assert.equal((await listQueue(t.db, {})).length, 0);
  assert.equal((await listQueue(t.db, { all: true })).length, 1);
});

Deno.test("completion restarts the clock from the completion date", async () => {
  await using t = await tempDb("t");
  const row = await createAccessRequest(t.db, INPUT, ctx(FILED));
  const c = ctx(new Date("2025-02-05T09:00:00Z"));
  await applyDeskAction(t.db, row.id, { kind: "request_completion" }, "mario", c);
  const done = await applyDeskAction(t.db, row.id, { kind: "completed", on: "2025-05-05" }, "m", c);
  assert.equal(done.state, "in_review");
  assert.equal(done.dueOn, "2025-06-04");
});

Deno.test("completion is asked within 10 days of filing, or of the last completion", async () => {
  await using t = await tempDb("t");
  // Filed 31 Jan 2025: the window ends on 10 Feb.
  const late = await createAccessRequest(t.db, INPUT, ctx(FILED));
  const day11 = ctx(new Date("2025-02-11T09:00:00Z"));
  await assert.rejects(
    applyDeskAction(t.db, late.id, { kind: "request_completion" }, "mario", day11),
    (e) => e instanceof AccessRuleError && /scaduto il 10 febbraio 2025/.test(e.message),
  );
  assert.equal((await readAccessRequest(t.db, late.id))?.request.state, "received", "unchanged");
  // A civico request has no such window.
  const civico = await createAccessRequest(t.db, {
    ...INPUT,
    regime: "civico_generalizzato",
    motivation: undefined,
  }, ctx(FILED));
  const moved = await applyDeskAction(t.db, civico.id, { kind: "request_completion" }, "m", day11);
  assert.equal(moved.state, "awaiting_completion");
  // After a completion, a new window runs from the completion date.
  const timely = await createAccessRequest(t.db, INPUT, ctx(FILED));
  const feb5 = ctx(new Date("2025-02-05T09:00:00Z"));
  await applyDeskAction(t.db, timely.id, { kind: "request_completion" }, "m", feb5);
  await applyDeskAction(t.db, timely.id, { kind: "completed", on: "2025-02-20" }, "m", feb5);
  const again = await applyDeskAction(
    t.db,
    timely.id,
    { kind: "request_completion" },
    "m",
    ctx(new Date("2025-02-25T09:00:00Z")),
  );
  assert.equal(again.state, "awaiting_completion");
});

Deno.test("a snapshot applies once and an older one never overwrites a newer", async () => {
  await using a = await tempDb("t");
  await using b = await tempDb("t");
  const row = await createAccessRequest(a.db, INPUT, ctx(FILED));
  const first = await readAccessRequest(a.db, row.id);
  assert.ok(first);
  await applyDeskAction(a.db, row.id, { kind: "start_review" }, "m", ctx(new Date("2025-02-02")));
  const second = await readAccessRequest(a.db, row.id);
  assert.ok(second);
  const apply = (s: AccessRequestSnapshot) =>
    b.db.transaction((tx) => applyAccessRequestSnapshot(tx, s));
  assert.equal(await apply(second), "applied");
  assert.equal(await apply(second), "stale");
  assert.equal(await apply(first), "stale");
  const copy = await readAccessRequest(b.db, row.id);
  assert.equal(copy?.request.state, "in_review");
  assert.equal(copy?.events.length, 2);
});

Deno.test("the registro carries no personal data of the requester", async () => {
  await using t = await tempDb("t");
  await createAccessRequest(t.db, { ...INPUT, recordsDescription: "pratica di Rossi" }, ctx(FILED));
  const rows = await registroRows(t.db);
  assert.equal(rows.length, 1);
  const csv = registroCsv(rows);
  for (const secret of ["Bianchi", "RSSMRA", "giulia@", "Rossi", "Compravendita"]) {
    assert.ok(!csv.includes(secret), secret);
  }
  assert.match(csv, /Documentale/);
});

Deno.test("accounts authenticate, sessions expire when idle and end when disabled", async () => {
  await using t = await tempDb("t");
  const now = new Date("2025-01-01T08:00:00Z");
  const fast = { N: 1024, r: 8, p: 1 };
  const u = await createUser(
    t.db,
    { username: "Mario", role: "clerk", password: "una password lunga" },
    { actor: null, now, branch: "K2", outbox: true },
    fast,
  );
  assert.equal(u.username, "mario");
  assert.ok(await authenticate(t.db, "mario", "una password lunga"));
  assert.equal(await authenticate(t.db, "mario", "sbagliata"), undefined);
  const { token } = await createSession(t.db, u, { now, branch: "K2", outbox: true });
  assert.equal(
    (await touchSession(t.db, token, new Date(now.getTime() + 60_000), 900))?.user.id,
    u.id,
  );
  assert.equal(await touchSession(t.db, token, new Date(now.getTime() + 3600_000), 900), undefined);
  const again = await createSession(t.db, u, { now, branch: "K2", outbox: true });
  await setUserDisabled(t.db, "mario", true, { actor: "capo", now, branch: "K2", outbox: true });
  assert.equal(await touchSession(t.db, again.token, now, 900), undefined);
  assert.equal(await authenticate(t.db, "mario", "una password lunga"), undefined);
  await appendAudit(t.db, { actor: "mario", action: "login_failed" }, {
    now,
    branch: "K2",
    outbox: true,
  });
  // Two logins (written with their sessions) and the failed one.
  assert.deepEqual((await listAudit(t.db, { actor: "mario" })).map((e) => e.action).sort(), [
    "login_failed",
    "login_ok",
    "login_ok",
  ]);
  assert.equal((await listAudit(t.db, { actor: "anna" })).length, 0);
});

Deno.test("a change made in the same millisecond elsewhere still wins when it has more history", async () => {
  await using branch = await tempDb("t");
  await using archive = await tempDb("t");
  const row = await createAccessRequest(branch.db, INPUT, ctx(FILED));
  const filed = await readAccessRequest(branch.db, row.id);
  assert.ok(filed);
  await archive.db.transaction((tx) => applyAccessRequestSnapshot(tx, filed));
  // The archive decides with a clock showing the very same instant.
  await applyDeskAction(archive.db, row.id, { kind: "start_review" }, "capo", ctx(FILED));
  const reviewed = await readAccessRequest(archive.db, row.id);
  assert.ok(reviewed);
  assert.equal(reviewed.request.updatedAt, filed.request.updatedAt);
  assert.equal(
    await branch.db.transaction((tx) => applyAccessRequestSnapshot(tx, reviewed)),
    "applied",
  );
  assert.equal((await readAccessRequest(branch.db, row.id))?.request.state, "in_review");
});

Deno.test("the registro is published by period: filed dates pick the rows, last day included", async () => {
  await using t = await tempDb("t");
  await createAccessRequest(t.db, INPUT, ctx(new Date("2025-01-15T10:00:00Z")));
  await createAccessRequest(t.db, INPUT, ctx(new Date("2025-06-30T21:00:00Z")));
  await createAccessRequest(t.db, INPUT, ctx(new Date("2025-07-01T08:00:00Z")));
  assert.equal((await registroRows(t.db)).length, 3);
  const firstHalf = await registroRows(t.db, { from: "2025-01-01", to: "2025-06-30" });
  assert.deepEqual(firstHalf.map((r) => r.filedOn), ["2025-06-30", "2025-01-15"]);
  assert.equal((await registroRows(t.db, { from: "2025-07-01" })).length, 1);
});
