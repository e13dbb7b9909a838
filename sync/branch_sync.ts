/**
 * Branch side: wires the scheduler to this kiosk's DB, search index and config. Called by
 * `main.ts serve` when an archive URL and a token are configured.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { applyRecordChanges, type RecordIndex } from "../search/record_index.ts";
import { createPageSizer, type PageSizer } from "./backoff.ts";
import { syncOnce } from "./run_sync.ts";
import { startSyncScheduler, type SyncScheduler } from "./scheduler.ts";

/** What the kiosk hands over. */
export interface BranchSyncDeps {
  db: Db;
  index: RecordIndex;
  config: Config;
  clock: () => Date;
  fetch?: typeof fetch;
}

/**
 * Page sizers for a kiosk: pages at most 1 MiB of JSON, so applying one stays a fraction of
 * a second and searches keep answering quickly while a sync runs.
 */
export function kioskSizers(): { pullSizer: PageSizer; pushSizer: PageSizer } {
  return {
    pullSizer: createPageSizer({ max: 1024 * 1024 }),
    pushSizer: createPageSizer({ max: 1024 * 1024, initial: 256 * 1024 }),
  };
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
  // The sizers learn the link across runs.
  const { pullSizer, pushSizer } = kioskSizers();
  return startSyncScheduler({
    run: (onProgress) =>
      syncOnce({
        db,
        clock,
        transport,
        onRecordsChanged: (changes) => applyRecordChanges(db, index, changes),
        onProgress,
      }, { maxAttempts: 4, backoffBaseMs: 2000, pullSizer, pushSizer }),
    intervalMs: Math.max(1, config.syncIntervalMinutes) * 60_000,
    clock,
    random: Math.random,
  });
}
