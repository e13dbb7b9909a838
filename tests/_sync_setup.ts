/**
 * Sync test setup: an archive world and a branch world (two DB files), the archive's sync
 * API on a real loopback port, a registered branch token, and the branch's client deps.
 */
import { Hono } from "hono";
import { addBranch } from "../db/branches.ts";
import type { RecordDoc } from "../domain/records.ts";
import { syncApi, type SyncApiOptions } from "../sync/api.ts";
import type { RecordChange, SyncClientDeps } from "../sync/client.ts";
import { createTestWorld, type TestWorld } from "./_world.ts";
import { applyRecordChanges } from "../search/record_index.ts";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { settings } from "../db/schema.ts";
import { MUTATION_HANDLERS, MutationRejected } from "../sync/mutation_handlers.ts";
import type { Tx } from "../db/outbox.ts";
import { type FileStore, openFileStore } from "../documents/file_store.ts";
import { type BranchSyncDeps, startBranchSync } from "../sync/branch_sync.ts";
import type { SyncScheduler } from "../sync/scheduler.ts";

async function bumpCounter(tx: Tx, key: string, now: Date): Promise<void> {
  const row = await tx.select().from(settings).where(eq(settings.key, key)).get();
  const value = String(Number(row?.value ?? "0") + 1);
  await tx.insert(settings).values({ key, value, updatedAt: now.toISOString() })
    .onConflictDoUpdate({ target: settings.key, set: { value } });
}

/**
 * The real handlers plus two for tests: `test_counter` adds one to a counter per entity id
 * (deliberately NOT idempotent, so a second application shows), `test_reject` always refuses.
 */
export const TEST_HANDLERS = {
  ...MUTATION_HANDLERS,
  test_counter: (tx: Tx, _payload: unknown, ctx: { entityId: string; now: Date }) =>
    bumpCounter(tx, `test.applied.${ctx.entityId}`, ctx.now),
  test_reject: () => Promise.reject(new MutationRejected("Dato rifiutato per prova")),
};

/** How many times the archive applied the `test_counter` mutation of this entity id. */
export async function timesApplied(db: Db, entityId: string): Promise<number> {
  const row = await db.select().from(settings).where(eq(settings.key, `test.applied.${entityId}`))
    .get();
  return Number(row?.value ?? "0");
}

/** Both sides of a sync, disposed together. */
export interface SyncPair extends AsyncDisposable {
  archive: TestWorld;
  branch: TestWorld;
  /** Base URL of the archive on loopback. */
  archiveUrl: string;
  token: string;
  /** The file stores, with `files: true`. */
  archiveStore: FileStore | undefined;
  branchStore: FileStore | undefined;
  /** Records the branch was told changed, in order. */
  changed: RecordChange[];
  /** Client deps for the branch, talking to `url` (default: the archive) through `fetchFn`. */
  clientDeps(
    options?: { url?: string; fetchFn?: typeof fetch; timeoutMs?: number; token?: string },
  ): SyncClientDeps;
}

/** Builds an archive holding `archiveRecords`, an empty branch, and a token for it. */
export async function createSyncPair(
  options: { archiveRecords?: RecordDoc[]; api?: SyncApiOptions; files?: boolean } = {},
): Promise<SyncPair> {
  const storesDir = options.files ? await Deno.makeTempDir({ prefix: "faldone-files-" }) : "";
  const archiveStore = options.files ? await openFileStore(`${storesDir}/archive`) : undefined;
  const branchStore = options.files ? await openFileStore(`${storesDir}/branch`) : undefined;
  const archive = await createTestWorld({
    records: options.archiveRecords ?? [],
    config: { role: "archive" },
    ...(archiveStore ? { fileStore: archiveStore } : {}),
  });
  const branch = await createTestWorld(branchStore ? { fileStore: branchStore } : {});
  const token = await addBranch(archive.db, "sede-prova", archive.clock());
  // The real archive app (createApp mounts /sync/v1 for role archive), unless a test needs
  // an archive speaking another protocol version.
  const host = options.api
    ? new Hono().route("/sync/v1", syncApi({ ...archive, fileStore: archiveStore }, options.api))
    : archive.app;
  const server = await new Promise<{ url: string; close(): Promise<void> }>((resolve) => {
    const s = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      onListen: ({ port }) =>
        resolve({ url: `http://127.0.0.1:${port}`, close: () => s.shutdown() }),
    }, host.fetch);
  });
  const changed: RecordChange[] = [];
  return {
    archive,
    branch,
    archiveUrl: server.url,
    token,
    changed,
    archiveStore,
    branchStore,
    clientDeps(o = {}) {
      return {
        db: branch.db,
        clock: branch.clock,
        transport: {
          fetch: o.fetchFn ?? fetch,
          archiveUrl: o.url ?? server.url,
          token: o.token ?? token,
          timeoutMs: o.timeoutMs ?? 10_000,
        },
        // The branch's search index follows each applied page, as in the kiosk.
        onRecordsChanged: async (c) => {
          changed.push(...c);
          await applyRecordChanges(branch.db, branch.index, c);
        },
      };
    },
    async [Symbol.asyncDispose]() {
      await server.close();
      await branch[Symbol.asyncDispose]();
      await archive[Symbol.asyncDispose]();
      if (storesDir) await Deno.remove(storesDir, { recursive: true });
    },
  };
}

/**
 * The kiosk's own syncing (startBranchSync) of the pair's branch with its archive: a first
 * run at once, the next in an hour unless run now; `extra` adds or replaces deps.
 */
export function startPairBranchSync(
  pair: SyncPair,
  extra: Partial<BranchSyncDeps> = {},
): SyncScheduler {
  const scheduler = startBranchSync({
    db: pair.branch.db,
    index: pair.branch.index,
    config: {
      ...pair.branch.config,
      archiveUrl: pair.archiveUrl,
      token: pair.token,
      syncIntervalMinutes: 60,
    },
    clock: pair.branch.clock,
    ...extra,
  });
  if (!scheduler) throw new Error("the branch has an archive and a token: it syncs");
  return scheduler;
}
