/**
 * Branch side: wires the scheduler to this kiosk's DB, search index and config. Called by
 * `main.ts serve` when an archive URL and a token are configured.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { applyRecordChanges, type RecordIndex } from "../search/record_index.ts";
import { createPageSizer, type PageSizer } from "./backoff.ts";
import type { RecordChange } from "./client.ts";
import type * as pkijs from "pkijs";
import type { FileStore } from "../documents/file_store.ts";
import { hasNewFileWork } from "./file_queue.ts";
import { createChunkSizer, runFileTransfers } from "./file_transfer.ts";
import { syncOnce } from "./run_sync.ts";
import { lastSuccessfulPullAt } from "./sync_state.ts";
import { startSyncScheduler, type SyncScheduler } from "./scheduler.ts";

/** What the kiosk hands over. */
export interface BranchSyncDeps {
  db: Db;
  index: RecordIndex;
  config: Config;
  clock: () => Date;
  fetch?: typeof fetch;
  /**
   * How pulled changes reach the index; by default followInIndex. The kiosk passes its
   * change follower, which also applies other processes' writes, so nothing is applied twice.
   */
  afterRecordsChanged?: (changes: RecordChange[]) => Promise<unknown>;
  /** The branch's file store: with it, each run also moves document bytes. */
  fileStore?: FileStore | undefined;
  anchors?: pkijs.Certificate[] | undefined;
  /** How often to look for files a clerk just asked for (default 15 s). */
  fileWatchMs?: number;
}

/** Pages of a branch's first pull may grow to this many bytes of JSON (see kioskSizers). */
export const FIRST_PULL_MAX_PAGE = 4 * 1024 * 1024;

/**
 * Page sizers for a kiosk. Once it holds the archive, pages are at most 512 KiB of JSON
 * (~350 dossiers), so applying one holds the event loop for a short moment and searches keep
 * answering while a sync runs. Until its first pull has completed, pages may grow to 4 MiB,
 * as `sync --once`'s do: the branch has nothing to search yet, and each v2 page carries its
 * own tables (field names, streets, types, roles), so the smaller the pages the more bytes: a
 * first sync in 512 KiB pages was 9.9 % of the pages' JSON on the wire against 8.6 % in 4 MiB
 * ones (docs/SYNC.md). The sizers learn the link across runs.
 */
export function kioskSizers(): {
  pullSizer: PageSizer;
  firstPullSizer: PageSizer;
  pushSizer: PageSizer;
} {
  return {
    pullSizer: createPageSizer({ max: 512 * 1024 }),
    firstPullSizer: createPageSizer({ max: FIRST_PULL_MAX_PAGE }),
    pushSizer: createPageSizer({ max: 512 * 1024, initial: 256 * 1024 }),
  };
}

/**
 * Updates the search index after a page, 100 records at a time with a turn of the event
 * loop between, so waiting searches run in between.
 */
export async function followInIndex(
  db: Db,
  index: RecordIndex,
  changes: RecordChange[],
): Promise<void> {
  for (let i = 0; i < changes.length; i += 100) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    await applyRecordChanges(db, index, changes.slice(i, i + 100));
  }
}

/** Starts syncing in the background, or returns undefined when no archive is configured. */
export function startBranchSync(deps: BranchSyncDeps): SyncScheduler | undefined {
  const { db, index, config, clock } = deps;
  if (!config.archiveUrl || !config.token) return undefined;
  const transport = {
    fetch: deps.fetch ?? fetch,
    archiveUrl: config.archiveUrl,
    token: config.token,
    timeoutMs: 60_000,
  };
  const { pullSizer, firstPullSizer, pushSizer } = kioskSizers();
  const chunkSizer = createChunkSizer();
  const store = deps.fileStore;
  const scheduler = startSyncScheduler({
    run: async (onProgress) => {
      // A first pull interrupted and resumed is still a first pull: no pull has completed.
      const firstPull = (await lastSuccessfulPullAt(db)) === undefined;
      const report = await syncOnce({
        db,
        clock,
        transport,
        onRecordsChanged: async (changes) => {
          await (deps.afterRecordsChanged ?? ((c) => followInIndex(db, index, c)))(changes);
        },
        onProgress,
        branchName: config.branchName,
      }, {
        maxAttempts: 4,
        backoffBaseMs: 2000,
        pullSizer: firstPull ? firstPullSizer : pullSizer,
        pushSizer,
      });
      // Bytes after records: the records say which files exist and which are public.
      if (store) {
        await runFileTransfers({
          db,
          store,
          transport,
          clock,
          budgetBytes: config.filesBudgetMb * 1_000_000,
          anchors: deps.anchors,
          branchName: config.branchName,
        }, { sizer: chunkSizer });
      }
      return report;
    },
    intervalMs: Math.max(1, config.syncIntervalMinutes) * 60_000,
    clock,
    random: Math.random,
  });
  if (!store) return scheduler;
  // A clerk's "Scarica in sede" should not wait for the next scheduled run.
  const watch = setInterval(() => {
    // Not while the archive is unreachable or refusing us: the scheduler's backoff decides.
    const live = scheduler.state();
    if (live.running || live.online === false || live.refused) return;
    hasNewFileWork(db).then((yes) => {
      if (yes) return scheduler.runNow();
    }).catch(() => {});
  }, deps.fileWatchMs ?? 15_000);
  return {
    ...scheduler,
    async stop() {
      clearInterval(watch);
      await scheduler.stop();
    },
  };
}
