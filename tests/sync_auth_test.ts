import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { parseFlags } from "../config.ts";
import { addBranch, revokeBranch, TOKEN_PREFIX } from "../db/branches.ts";
import { countRecords, upsertRecord } from "../db/records.ts";
import { rejectedMutations } from "../db/schema.ts";
import { SyncAuthError, SyncProtocolError } from "../sync/errors.ts";
import { countPendingMutations, enqueueMutation, setAsideMutations } from "../db/outbox.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { readCursor, readSyncState } from "../sync/sync_state.ts";
import { createSyncPair, TEST_HANDLERS, timesApplied } from "./_sync_setup.ts";
import { dossier } from "./fixtures.ts";
import { tempDb } from "./_temp_db.ts";

const FAST = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 3 };

Deno.test("a wrong token is refused with a clear message and nothing is applied", async () => {
  await using pair = await createSyncPair({ archiveRecords: [dossier()] });
  await enqueueMutation(
    pair.branch.db,
    { entity: "test_counter", entityId: "x", payload: {} },
    pair.branch.clock(),
  );
  await assert.rejects(
    syncOnce(pair.clientDeps({ token: "not-a-token" }), FAST),
    (err) => err instanceof SyncAuthError && /Token della sede non valido/.test(err.message),
  );
  assert.deepEqual(await countRecords(pair.branch.db), { dossiers: 0, acts: 0 });
  assert.equal(await readCursor(pair.branch.db), 0);
  assert.equal(await countPendingMutations(pair.branch.db), 1);
  // The admin page reads the stored error.
  assert.match(
    (await readSyncState(pair.branch.db)).lastError ?? "",
    /Token della sede non valido/,
  );
});

Deno.test("a revoked branch is refused and gets nothing more", async () => {
  await using pair = await createSyncPair({ archiveRecords: [dossier()] });
  await syncOnce(pair.clientDeps(), FAST);
  await revokeBranch(pair.archive.db, "sede-prova", pair.archive.clock());
  await upsertRecord(pair.archive.db, dossier(), pair.archive.clock());
  const cursor = await readCursor(pair.branch.db);
  await assert.rejects(
    syncOnce(pair.clientDeps(), FAST),
    (err) => err instanceof SyncAuthError && /revocata/.test(err.message),
  );
  assert.deepEqual(await countRecords(pair.branch.db), { dossiers: 1, acts: 0 });
  assert.equal(await readCursor(pair.branch.db), cursor);
});

Deno.test("an archive speaking a newer protocol is refused before anything is applied", async () => {
  await using pair = await createSyncPair({
    archiveRecords: [dossier()],
    api: { protocolVersion: 2 },
  });
  await assert.rejects(
    syncOnce(pair.clientDeps(), FAST),
    (err) =>
      err instanceof SyncProtocolError && /protocollo di sincronizzazione v2/.test(err.message),
  );
  assert.deepEqual(await countRecords(pair.branch.db), { dossiers: 0, acts: 0 });
  assert.equal(await readCursor(pair.branch.db), 0);
});

Deno.test("a refused mutation is set aside with its reason and never blocks the ones behind it", async () => {
  await using pair = await createSyncPair({ api: { handlers: TEST_HANDLERS } });
  const now = pair.branch.clock();
  const db = pair.branch.db;
  await enqueueMutation(db, { entity: "test_counter", entityId: "before", payload: {} }, now);
  const refused = await enqueueMutation(
    db,
    { entity: "test_reject", entityId: "r", payload: {} },
    now,
  );
  await enqueueMutation(db, { entity: "no_such_kind", entityId: "u", payload: {} }, now);
  await enqueueMutation(db, { entity: "test_counter", entityId: "after", payload: {} }, now);
  const report = await syncOnce(pair.clientDeps(), FAST);
  assert.equal(report.pushed, 2);
  assert.equal(report.rejected, 2);
  assert.equal(await timesApplied(pair.archive.db, "before"), 1);
  assert.equal(await timesApplied(pair.archive.db, "after"), 1);
  const aside = await setAsideMutations(db);
  assert.deepEqual(aside.map((m) => [m.entityId, m.reason]), [
    ["r", "Dato rifiutato per prova"],
    ["u", `Tipo di dato sconosciuto all'archivio: "no_such_kind"`],
  ]);
  const onArchive = await pair.archive.db.select().from(rejectedMutations)
    .where(eq(rejectedMutations.number, refused.number));
  assert.equal(onArchive[0]?.reason, "Dato rifiutato per prova");
  assert.equal(await countPendingMutations(db), 0);
  // Set-aside rows are not sent again.
  assert.equal((await syncOnce(pair.clientDeps(), FAST)).bytesSent, 0);
});

Deno.test("a branch token never starts with a dash, so --token takes it as its value", async () => {
  await using t = await tempDb("archive");
  // A base64url token began with "-" once in 64: the option parser took it for a flag.
  for (let i = 0; i < 200; i++) {
    const token = await addBranch(t.db, `sede-${i}`, new Date("2026-01-10T09:00:00Z"));
    assert.ok(token.startsWith(TOKEN_PREFIX), token);
    assert.equal(parseFlags(["serve", "--token", token], {}).values.token, token);
  }
});
