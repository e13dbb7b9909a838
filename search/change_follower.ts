/**
 * Keeps a running kiosk's index in step with its database, whoever writes to it: this
 * process's sync, or another process on the same file (`main.ts import`, `main.ts sync
 * --once`). It follows the change sequence: every record write takes a new number, so the
 * index only needs the records numbered after the last one it applied.
 */
import type { Db } from "../db/client.ts";
import { readChangeSeq, recordChangesBetween } from "../db/record_changes.ts";
import { compactionDue, compactRecordIndex, nearDocNumberLimit } from "./compaction.ts";
import type { DbSource } from "./index_source.ts";
import { applyRecordChanges, buildRecordIndex, type RecordIndex } from "./record_index.ts";

/** Change numbers read per round: a 300k import is applied window by window, not at once. */
const WINDOW = 5_000;

/** Follows the DB's changes into the index. */
export interface ChangeFollower {
  /**
   * Marks the point the index is built from: call right before buildRecordIndex reads the
   * DB. Changes after it are applied by catchUp (a few are applied twice: harmless).
   */
  begin(): Promise<void>;
  /** Applies every change committed since the last round; concurrent calls share one round. */
  catchUp(): Promise<number>;
  /** Catches up every `intervalMs` (other processes' writes) until the returned stop runs. */
  poll(intervalMs: number, onError: (error: unknown) => void): () => void;
}

/** A follower of `db`'s record changes into `index`. */
export function createChangeFollower(
  db: Db,
  index: RecordIndex,
  options: { log?: (line: string) => void } = {},
): ChangeFollower {
  const log = options.log ?? ((line: string) => console.error(line));
  let applied: number | undefined;
  const compact = async (why: string) => {
    const c = await compactRecordIndex(index);
    log(
      `indice: compattazione (${why}) ${c.result === "done" ? "fatta" : "interrotta"}: ` +
        `${c.before} → ${c.after} numeri di documento in ${Math.round(c.ms)} ms`,
    );
  };
  let running: Promise<number> | undefined;
  let again = false;

  const round = async (): Promise<number> => {
    if (applied === undefined) return 0;
    let count = 0;
    const upTo = await readChangeSeq(db);
    while (applied < upTo) {
      const to = Math.min(upTo, applied + WINDOW);
      const changes = await recordChangesBetween(db, applied, to);
      // Each change may take a doc number: near the limit, free the dead ones first (if
      // that is not enough, addDoc refuses with DocNumbersExhausted and the round fails,
      // logged, to be tried again: nothing is half-applied).
      if (nearDocNumberLimit(index, changes.length)) await compact("vicino al limite");
      if (changes.length > 0) await applyRecordChanges(db, index, changes);
      count += changes.length;
      applied = to;
    }
    // In the follower's round, so no change is applied while it runs; queries are answered.
    if (count > 0 && compactionDue(index)) await compact("numeri morti");
    return count;
  };

  const catchUp = async (): Promise<number> => {
    if (running) {
      // A write committed after the running round read the counter: one more round follows.
      again = true;
      return await running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await round();
        } while (again);
      } finally {
        running = undefined;
      }
      return total;
    })();
    return await running;
  };

  return {
    async begin() {
      applied = await readChangeSeq(db);
    },
    catchUp,
    poll(intervalMs, onError) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      const tick = async () => {
        try {
          await catchUp();
        } catch (error) {
          onError(error);
        }
        if (!stopped) timer = setTimeout(tick, intervalMs);
      };
      timer = setTimeout(tick, intervalMs);
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
  };
}

/** How often a serving process looks for records other processes wrote. */
export const FOLLOW_INTERVAL_MS = 3_000;

/**
 * Builds the index from the DB, then keeps it following the DB's changes (other processes'
 * imports every FOLLOW_INTERVAL_MS); returns what stops the following. With `source` (the
 * DB's address) the build reads in a worker (index_source.ts).
 */
export async function buildAndFollow(
  db: Db,
  index: RecordIndex,
  follower: ChangeFollower,
  onError: (error: unknown) => void,
  source?: DbSource,
): Promise<() => void> {
  await follower.begin();
  await buildRecordIndex(db, index, source ? { source } : {});
  await follower.catchUp();
  return follower.poll(FOLLOW_INTERVAL_MS, onError);
}
