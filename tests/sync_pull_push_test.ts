import assert from "node:assert/strict";
import type { Hono } from "hono";
import { count, eq } from "drizzle-orm";
import { appendAudit } from "../db/audit.ts";
import { deleteRecord, readRecord, upsertRecord } from "../db/records.ts";
import { auditLog, branches, tombstones } from "../db/schema.ts";
import { recordsDigest } from "../sync/content_hash.ts";
import { countPendingMutations } from "../db/outbox.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { lastSuccessfulPullAt, readCursor } from "../sync/sync_state.ts";
import { createSyncPair } from "./_sync_setup.ts";
import { act, dossier } from "./fixtures.ts";

/** Ids the branch kiosk's public search API returns for `q`. */
async function searchIds(app: Hono, q: string): Promise<string[]> {
  const res = await app.request(`/api/search?q=${encodeURIComponent(q)}`);
  assert.equal(res.status, 200);
  const body = await res.json();
  return body.hits.map((h: { id: string }) => h.id);
}

const FAST = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 3 };

Deno.test("an empty branch gets the whole archive, then each edit and delete, and its own rows go up once", async () => {
  const d1 = dossier({ subject: "COSTRUZIONE AUTORIMESSA" });
  const d2 = dossier();
  const a1 = act();
  await using pair = await createSyncPair({ archiveRecords: [d1, d2, a1] });
  const { archive, branch } = pair;

  const first = await syncOnce(pair.clientDeps(), FAST);
  assert.equal(first.pulled, 3);
  assert.equal(await recordsDigest(branch.db), await recordsDigest(archive.db));
  assert.ok(await lastSuccessfulPullAt(branch.db));
  assert.deepEqual(await searchIds(branch.app, "autorimessa"), [d1.id]);
  assert.deepEqual(pair.changed.map((c) => c.id).sort(), [d1.id, d2.id, a1.id].sort());

  // An edit and a delete on the archive reach the branch in the next sync.
  await upsertRecord(archive.db, { ...d1, subject: "DEMOLIZIONE TETTOIA" }, archive.clock());
  await deleteRecord(archive.db, "dossier", d2.id, archive.clock());
  const second = await syncOnce(pair.clientDeps(), FAST);
  assert.equal(second.pulled, 2);
  const edited = await readRecord(branch.db, "dossier", d1.id);
  assert.equal(edited?.record === "dossier" ? edited.subject : undefined, "DEMOLIZIONE TETTOIA");
  assert.equal(await readRecord(branch.db, "dossier", d2.id), undefined);
  // …and the kiosk's search on the branch follows: the new subject is found, the old and the
  // deleted dossier are not.
  assert.deepEqual(await searchIds(branch.app, "tettoia"), [d1.id]);
  assert.deepEqual(await searchIds(branch.app, "autorimessa"), []);
  assert.ok(!(await searchIds(branch.app, "ampliamento")).includes(d2.id));
  assert.equal(await recordsDigest(branch.db), await recordsDigest(archive.db));

  // A row made at the branch goes up exactly once, even when synced again.
  const entry = await appendAudit(branch.db, { actor: "mario", action: "view_people" }, {
    now: branch.clock(),
    branch: "sede-prova",
    outbox: true,
  });
  assert.equal(await countPendingMutations(branch.db), 1);
  const third = await syncOnce(pair.clientDeps(), FAST);
  assert.equal(third.pushed, 1);
  await syncOnce(pair.clientDeps(), FAST);
  const copies = await archive.db.select({ n: count() }).from(auditLog)
    .where(eq(auditLog.id, entry.id));
  assert.equal(copies[0]?.n, 1);
  assert.equal(await countPendingMutations(branch.db), 0);
  const row = await archive.db.select().from(branches).where(eq(branches.name, "sede-prova")).get();
  assert.ok((row?.lastAppliedNumber ?? 0) >= 1);
  // Nothing new: a sync moves no records and the cursor stays.
  const cursor = await readCursor(branch.db);
  const fourth = await syncOnce(pair.clientDeps(), FAST);
  assert.equal(fourth.pulled, 0);
  assert.equal(await readCursor(branch.db), cursor);
});

Deno.test("a run of deletions in a pulled page is applied in one batch, in the archive's order", async () => {
  const ds = Array.from({ length: 6 }, () => dossier());
  await using pair = await createSyncPair({ archiveRecords: ds });
  const { archive, branch } = pair;
  await syncOnce(pair.clientDeps(), FAST);
  const [, d2, d3, d4, d5] = ds.map((d) => d.id);
  // Three deletions in a row, an edit, another deletion, and a deleted dossier back again.
  for (const id of [d2, d3, d4]) {
    await deleteRecord(archive.db, "dossier", id ?? "", archive.clock());
  }
  await upsertRecord(archive.db, { ...ds[0]!, subject: "RECINZIONE" }, archive.clock());
  await deleteRecord(archive.db, "dossier", d5 ?? "", archive.clock());
  await upsertRecord(archive.db, ds[2]!, archive.clock());
  const pulled = await syncOnce(pair.clientDeps(), FAST);
  assert.equal(pulled.pulled, 5);
  assert.equal(await recordsDigest(branch.db), await recordsDigest(archive.db));
  const alive = await Promise.all(ds.map((d) => readRecord(branch.db, "dossier", d.id)));
  assert.deepEqual(alive.map((d) => d !== undefined), [true, false, true, false, false, true]);
  const stones = await branch.db.select().from(tombstones).orderBy(tombstones.seq);
  assert.deepEqual(stones.map((s) => s.id), [d2, d4, d5]);
});
