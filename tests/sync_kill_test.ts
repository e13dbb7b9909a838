/**
 * kill -9 of a real branch process (`main.ts sync --once`) at several points of a first sync
 * and of a push; each restart must resume and converge with nothing lost or applied twice.
 */
import assert from "node:assert/strict";
import { eq, like } from "drizzle-orm";
import { branches, settings } from "../db/schema.ts";
import { recordsDigest } from "../sync/content_hash.ts";
import { countPendingMutations, enqueueMutation } from "../db/outbox.ts";
import { readCursor } from "../sync/sync_state.ts";
import { createSyncPair, TEST_HANDLERS } from "./_sync_setup.ts";
import { startFaultProxy } from "./fault_proxy.ts";
import { dossier } from "./fixtures.ts";

const ROOT = new URL("../", import.meta.url).pathname;

function spawnSync(dbPath: string, url: string, token: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "main.ts",
      "sync",
      "--once",
      "--db",
      dbPath,
      "--archive-url",
      url,
      "--token",
      token,
      "--backoff-ms",
      "20",
      "--max-page-kb",
      "16",
    ],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

/** Awaits `check()` becoming true, probing every 20 ms, failing after `ms`. */
async function until(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!await check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function kill9(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGKILL");
  const status = await child.status;
  await child.stderr.cancel();
  assert.equal(status.signal, "SIGKILL");
}

async function finish(child: Deno.ChildProcess): Promise<void> {
  const out = await child.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

Deno.test("a branch killed -9 during its first sync and during a push resumes and converges", async () => {
  const records = Array.from({ length: 300 }, () => dossier());
  await using pair = await createSyncPair({
    archiveRecords: records,
    api: { handlers: TEST_HANDLERS },
  });
  const branchDb = `${pair.branch.dir}/faldone.db`;
  // A slow link, so the process is caught in the middle.
  await using proxy = await startFaultProxy(pair.archiveUrl, () => ({ kind: "pass" }), {
    bitsPerSecond: 1_000_000,
    rttMs: 100,
  });
  const watch = pair.branch.db;

  // 1. Killed once the first pages are committed.
  let child = spawnSync(branchDb, proxy.url, pair.token);
  await until(async () => (await readCursor(watch)) > 0);
  await kill9(child);
  const first = await readCursor(watch);

  // 2. Killed again mid-transfer, a few pages later.
  child = spawnSync(branchDb, proxy.url, pair.token);
  await until(async () => (await readCursor(watch)) > first);
  const seen = proxy.bytesDown;
  await until(() => Promise.resolve(proxy.bytesDown > seen + 2000));
  await kill9(child);

  // 3. Mutations queued; killed once the archive started applying them.
  const now = pair.branch.clock();
  await watch.transaction(async (tx) => {
    for (let i = 0; i < 500; i++) {
      await enqueueMutation(tx, { entity: "test_counter", entityId: `k${i}`, payload: {} }, now);
    }
  });
  const applied = async () =>
    (await pair.archive.db.select().from(branches).where(eq(branches.name, "sede-prova")).get())
      ?.lastAppliedNumber ?? 0;
  child = spawnSync(branchDb, proxy.url, pair.token);
  await until(async () => (await applied()) > 0);
  await kill9(child);
  assert.ok(await countPendingMutations(watch) > 0, "killed before the push was settled");

  // 4. Runs to the end.
  await finish(spawnSync(branchDb, proxy.url, pair.token));
  assert.equal(await recordsDigest(watch), await recordsDigest(pair.archive.db));
  assert.equal(await countPendingMutations(watch), 0);
  const counters = await pair.archive.db.select().from(settings)
    .where(like(settings.key, "test.applied.%"));
  assert.equal(counters.length, 500);
  assert.ok(counters.every((r) => r.value === "1"), "every mutation applied exactly once");
});
