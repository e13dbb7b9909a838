import assert from "node:assert/strict";
import { openDb } from "../db/client.ts";
import {
  countPendingMutations,
  enqueueMutation,
  pendingMutations,
  setAsideMutations,
  settlePushed,
} from "../sync/outbox.ts";

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
