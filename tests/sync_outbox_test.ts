import assert from "node:assert/strict";
import { like } from "drizzle-orm";
import { openDb } from "../db/client.ts";
import { settings } from "../db/schema.ts";
import { createPageSizer } from "../sync/backoff.ts";
import { SyncTransientError } from "../sync/errors.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { createSyncPair, TEST_HANDLERS } from "./_sync_setup.ts";
import { type Fault, startFaultProxy } from "./fault_proxy.ts";
import {
  countPendingMutations,
  enqueueMutation,
  pendingMutations,
  setAsideMutations,
  settlePushed,
} from "../db/outbox.ts";

Deno.test("outbox numbers grow per branch and a settled push removes or sets aside rows", async () => {
  const dir = await Deno.makeTempDir();
  const { db, client } = await openDb(`${dir}/branch.db`);
  try {
    const now = new Date("2026-03-02T10:00:00Z");
    const first = await db.transaction((tx) =>
      enqueueMutation(tx, { entity: "audit_log", entityId: "a1", payload: { x: 1 } }, now)
    );
    const second = await enqueueMutation(
      db,
      { entity: "audit_log", entityId: "a2", payload: 2 },
      now,
    );
    const third = await enqueueMutation(
      db,
      { entity: "audit_log", entityId: "a3", payload: 3 },
      now,
    );
    assert.ok(first.number < second.number && second.number < third.number);
    assert.notEqual(first.mutationId, second.mutationId);
    const pending = await pendingMutations(db, 10);
    assert.deepEqual(pending.map((m) => m.entityId), ["a1", "a2", "a3"]);
    assert.deepEqual(pending[0]?.payload, { x: 1 });

    await db.transaction((tx) =>
      settlePushed(tx, second.number, [{ number: second.number, reason: "Ente sconosciuto" }])
    );
    assert.equal(await countPendingMutations(db), 1);
    const aside = await setAsideMutations(db);
    assert.deepEqual(aside.map((m) => [m.entityId, m.reason]), [["a2", "Ente sconosciuto"]]);
    // A number deleted from the outbox is never handed out again.
    await settlePushed(db, third.number, []);
    const fourth = await enqueueMutation(
      db,
      { entity: "audit_log", entityId: "a4", payload: 4 },
      now,
    );
    assert.ok(fourth.number > third.number);
  } finally {
    client.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("1,000 mutations queued while the archive is down are each applied once after it returns", async () => {
  await using pair = await createSyncPair({ api: { handlers: TEST_HANDLERS } });
  const db = pair.branch.db;
  await db.transaction(async (tx) => {
    for (let i = 0; i < 1000; i++) {
      await enqueueMutation(
        tx,
        { entity: "test_counter", entityId: `m${i}`, payload: { i } },
        pair.branch.clock(),
      );
    }
  });
  // Down: every request fails before reaching the archive.
  let down = true;
  // Back: the first batches die halfway, after the archive applied them.
  const faults: Fault[] = [
    { kind: "drop_mid_body" },
    { kind: "status", status: 500, forward: true },
    { kind: "truncate" },
  ];
  let back = 0;
  await using proxy = await startFaultProxy(pair.archiveUrl, () => {
    if (down) return { kind: "status", status: 503, forward: false };
    return faults[back++] ?? { kind: "pass" };
  });
  const options = {
    sleep: () => Promise.resolve(),
    maxAttempts: 3,
    pushSizer: createPageSizer({ initial: 16 * 1024, min: 8 * 1024, max: 16 * 1024 }),
  };
  await assert.rejects(syncOnce(pair.clientDeps({ url: proxy.url }), options), SyncTransientError);
  assert.equal(await countPendingMutations(db), 1000);
  down = false;
  await syncOnce(pair.clientDeps({ url: proxy.url }), { ...options, maxAttempts: 5 });
  assert.equal(await countPendingMutations(db), 0);
  assert.ok(back > faults.length, "all three faults were hit");
  const rows = await pair.archive.db.select().from(settings).where(
    like(settings.key, "test.applied.%"),
  );
  assert.equal(rows.length, 1000);
  assert.ok(rows.every((r) => r.value === "1"), "every mutation applied exactly once");
});

Deno.test("refused mutations are listed oldest first, in the order they were made", async () => {
  const dir = await Deno.makeTempDir();
  const { db, client } = await openDb(`${dir}/branch.db`);
  try {
    const now = new Date("2026-03-02T10:00:00Z");
    const made = [];
    for (const id of ["m1", "m2", "m3"]) {
      made.push(await enqueueMutation(db, { entity: "audit_log", entityId: id, payload: id }, now));
    }
    const last = made[2]!.number;
    // Refused in reverse order: the listing must not follow the order of refusal.
    await settlePushed(
      db,
      last,
      made.toReversed().map((m) => ({ number: m.number, reason: "no" })),
    );
    const aside = await setAsideMutations(db);
    assert.deepEqual(aside.map((m) => m.entityId), ["m1", "m2", "m3"]);
  } finally {
    client.close();
    await Deno.remove(dir, { recursive: true });
  }
});
