/**
 * An action and its audit entry (and the entry's outbox row) commit together or not at all.
 * The fault is a trigger in the test DB that makes the write right after the action's own
 * writes fail: the audit insert, or the audit entry's outbox row.
 */
import assert from "node:assert/strict";
import type { Client } from "@libsql/client";
import { tempDb } from "./_temp_db.ts";
import { createAccessRequest, readAccessRequest } from "../db/access_requests.ts";
import { applyDeskAction } from "../db/access_decisions.ts";
import { AUDIT_ENTITY, type AuditedBy, listAudit } from "../db/audit.ts";
import { readDeadlineSettings, readIdleSeconds, saveDeskSettings } from "../db/access_settings.ts";
import {
  authenticate,
  createUser,
  findUser,
  setUserDisabled,
  setUserPassword,
  setUserRole,
} from "../db/users.ts";
import { pendingMutations } from "../db/outbox.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";

const NOW = new Date("2025-03-03T09:00:00Z");
const FAST = { N: 1024, r: 8, p: 1 };
const by: AuditedBy = { actor: "capo", now: NOW, branch: "sede-K2", outbox: true };

const FAULTS = {
  "the audit insert": `CREATE TRIGGER fault BEFORE INSERT ON audit_log
    BEGIN SELECT RAISE(ABORT, 'guasto simulato'); END`,
  "the audit entry's outbox row": `CREATE TRIGGER fault BEFORE INSERT ON outbox
    WHEN NEW.entity = '${AUDIT_ENTITY}' BEGIN SELECT RAISE(ABORT, 'guasto simulato'); END`,
};

// Every table an audited action may touch, in full.
const TABLES = [
  "access_requests",
  "access_request_events",
  "audit_log",
  "outbox",
  "counters",
  "users",
  "sessions",
  "settings",
];

async function dump(client: Client): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    out[t] = (await client.execute(`SELECT * FROM ${t} ORDER BY rowid`)).rows.map((r) => ({
      ...r,
    }));
  }
  return out;
}

/** Runs `action` under each fault: it must fail and leave every table exactly as it was. */
async function assertAllOrNothing(client: Client, action: () => Promise<unknown>) {
  for (const [name, trigger] of Object.entries(FAULTS)) {
    const before = await dump(client);
    await client.execute(trigger);
    try {
      // drizzle wraps the driver's error: the trigger's message is in its cause.
      await assert.rejects(
        action,
        (e: unknown) => e instanceof Error && /guasto simulato/.test(String(e.cause)),
        name,
      );
    } finally {
      await client.execute("DROP TRIGGER fault");
    }
    assert.deepEqual(await dump(client), before, `a fault on ${name} left a half-written action`);
  }
}

Deno.test("a desk decision and its audit entry are written together or not at all", async () => {
  await using t = await tempDb();
  const ctx = { ...by, branchCode: "K2", settings: DEFAULT_DEADLINE_SETTINGS };
  const req = await createAccessRequest(t.db, {
    regime: "documentale",
    requesterName: "Giulia Bianchi",
    taxCode: "RSSMRA85T10A562S",
    motivation: "Compravendita",
    mode: "view",
    records: [],
    recordsDescription: "Licenza del 1965",
  }, ctx);
  const completion = () =>
    applyDeskAction(t.db, req.id, { kind: "request_completion" }, "anna", ctx);
  await assertAllOrNothing(t.client, completion);
  assert.equal((await completion()).state, "awaiting_completion");
  await applyDeskAction(t.db, req.id, { kind: "completed", on: "2025-03-03" }, "anna", ctx);

  const decide = () =>
    applyDeskAction(
      t.db,
      req.id,
      {
        kind: "decide",
        decision: {
          outcome: "refused",
          reason: "Documenti non detenuti dall'ufficio",
          legalBasis: "L. 241/1990 art. 22",
        },
      },
      "anna",
      ctx,
    );
  await assertAllOrNothing(t.client, decide);
  assert.equal((await readAccessRequest(t.db, req.id))?.request.state, "in_review");

  // Without a fault both are written: the decision, its entry, and the entry's outbox row.
  assert.equal((await decide()).state, "refused");
  const entries = await listAudit(t.db, { actor: "anna" });
  assert.deepEqual(entries.map((e) => e.action).sort(), [
    "decide",
    "request_completed",
    "request_request_completion",
  ]);
  const decided = entries.find((e) => e.action === "decide");
  assert.equal(decided?.recordId, req.id);
  assert.equal(decided?.detail, "refused");
  const queued = (await pendingMutations(t.db, 100)).filter((m) => m.entity === AUDIT_ENTITY);
  assert.ok(queued.some((m) => m.entityId === decided?.id), "the entry is queued for the archive");
});

Deno.test("an account change and its audit entry are written together or not at all", async () => {
  await using t = await tempDb();
  const add = () =>
    createUser(t.db, { username: "anna", role: "clerk", password: "una password lunga" }, by, FAST);
  await assertAllOrNothing(t.client, add);
  assert.equal(await findUser(t.db, "anna"), undefined);
  await add();
  await assertAllOrNothing(t.client, () => setUserRole(t.db, "anna", "admin", by));
  await assertAllOrNothing(t.client, () => setUserDisabled(t.db, "anna", true, by));
  await assertAllOrNothing(
    t.client,
    () => setUserPassword(t.db, "anna", "un'altra password lunga", by, FAST),
  );
  const untouched = await findUser(t.db, "anna");
  assert.equal(untouched?.role, "clerk");
  assert.equal(untouched?.disabled, false);
  assert.ok(await authenticate(t.db, "anna", "una password lunga"), "the old password still works");

  await setUserRole(t.db, "anna", "admin", by);
  await setUserDisabled(t.db, "anna", true, by);
  await setUserPassword(t.db, "anna", "un'altra password lunga", by, FAST);
  const user = await findUser(t.db, "anna");
  assert.equal(user?.role, "admin");
  assert.equal(user?.disabled, true);
  const entries = await listAudit(t.db, { actor: "capo" });
  assert.deepEqual(entries.map((e) => `${e.action} ${e.detail}`).sort(), [
    "user_add anna (clerk)",
    "user_disable anna",
    "user_password anna",
    "user_role anna → admin",
  ]);
  const queued = (await pendingMutations(t.db, 100)).filter((m) => m.entity === AUDIT_ENTITY);
  assert.deepEqual(
    queued.map((m) => m.entityId).sort(),
    entries.map((e) => e.id).sort(),
    "every entry is queued for the archive",
  );
});

Deno.test("a settings change and its audit entry are written together or not at all", async () => {
  await using t = await tempDb();
  const save = () =>
    saveDeskSettings(t.db, {
      deadline: {
        holidays: { fixed: ["12-25"], easterMonday: false, patron: "06-24", extra: [] },
        documentaleSuspension: false,
      },
      idleSeconds: 120,
    }, by);
  await assertAllOrNothing(t.client, save);
  assert.deepEqual(await readDeadlineSettings(t.db), DEFAULT_DEADLINE_SETTINGS);
  assert.equal(await readIdleSeconds(t.db, 90), 90);

  await save();
  assert.equal((await readDeadlineSettings(t.db)).holidays.patron, "06-24");
  assert.equal(await readIdleSeconds(t.db, 90), 120);
  const ids = (await listAudit(t.db, { actor: "capo" }))
    .filter((e) => e.action === "settings_change").map((e) => e.id);
  assert.equal(ids.length, 1);
  const queued = (await pendingMutations(t.db, 100)).filter((m) => m.entity === AUDIT_ENTITY);
  assert.deepEqual(queued.map((m) => m.entityId), ids);
});
