/**
 * Compaction of the doc-number space. An updated record takes a new doc number and its old
 * one stays in every postings list, the street dictionary and the columns, dead: after a
 * year of daily syncs most numbers would be dead, every query would walk them, and the
 * numbers would run towards the sort keys' limit (ranking.ts DOC_NUMBER_LIMIT).
 *
 * Compaction numbers the live records as a fresh build would (dossiers, then acts, each by
 * id, the order the build reads the DB in), and builds renumbered copies of the structures
 * beside the ones queries use, in slices with the event loop let run between them; then it
 * swaps them in at once. The copies are exactly what a fresh build makes (tested against
 * one), so the index answers the same, as fast, in the same memory.
 *
 * Changes are not applied meanwhile: the change follower runs compaction in its own round.
 * Anything else that changes the index (an identifier found at boot) bumps its version, and
 * the compaction gives up; the next round tries again.
 */
import { DocTable } from "./doc_table.ts";
import { LruMap, MergeScratch } from "./query_cache.ts";
import type { HitCard } from "./hit_card.ts";
import {
  docNumberUse,
  type RecordIndex,
  refreshNewestOrder,
  RESULT_CARDS,
  storedBytes,
} from "./record_index.ts";
import type { RecordKind } from "../domain/records.ts";

/** Doc numbers handled per slice: about 10 ms of work on a busy 2-core machine. */
const SLICE = 50_000;

/** Compaction is due when this share of the doc numbers in use is dead… */
const DEAD_SHARE = 0.1;
/** …and at least this many (a small archive is not compacted for a handful of updates). */
const MIN_DEAD = 1_000;
/**
 * …or when the arrays hold this share more bytes than right after the last build or
 * compaction (dead numbers' entries and the lists' spare room, growth.ts): so the index
 * stays within a tenth of what a fresh build of the same records holds. At 1M with daily
 * syncs of 2 % that is a compaction every few syncs.
 */
const SPARE_SHARE = 0.1;
/** …and at least this many bytes (a small index is not compacted for a few lists' room). */
const MIN_SPARE_BYTES = 64 * 1024;
/** Near the limit: compact before taking more numbers, whatever the dead share. */
const NEAR_LIMIT_SHARE = 0.9;

/** Whether enough doc numbers are dead, or bytes spare, to be worth a compaction. */
export function compactionDue(index: RecordIndex): boolean {
  const { used, live } = docNumberUse(index);
  const dead = used - live;
  if (!index.status.ready) return false;
  if (dead >= MIN_DEAD && dead >= used * DEAD_SHARE) return true;
  const spare = storedBytes(index) - index.settledBytes;
  return spare >= MIN_SPARE_BYTES && spare > index.settledBytes * SPARE_SHARE;
}

/**
 * Whether taking `more` doc numbers would go past NEAR_LIMIT_SHARE of the limit: compact
 * first (and if that is not enough, addDoc refuses with DocNumbersExhausted).
 */
export function nearDocNumberLimit(index: RecordIndex, more: number): boolean {
  const { used, limit } = docNumberUse(index);
  return used + more > limit * NEAR_LIMIT_SHARE;
}

/** What a compaction did. */
export interface CompactionOutcome {
  /** "done", or "abandoned" when the index changed meanwhile. */
  result: "done" | "abandoned";
  before: number;
  after: number;
  ms: number;
}

/**
 * Renumbers the live records densely and swaps in compacted structures (see the module
 * comment); yields to the event loop between slices so requests are answered meanwhile.
 */
export async function compactRecordIndex(
  index: RecordIndex,
  options: { slice?: number; pause?: () => Promise<void> } = {},
): Promise<CompactionOutcome> {
  const started = performance.now();
  const slice = options.slice ?? SLICE;
  const pause = options.pause ?? (() => new Promise<void>((r) => setTimeout(r, 0)));
  const version = index.version;
  const old = {
    table: index.table,
    publicText: index.publicText,
    clerkText: index.clerkText,
    streets: index.streets,
  };
  const before = old.table.size;
  const done = (result: "done" | "abandoned"): CompactionOutcome => ({
    result,
    before,
    after: index.table.size,
    ms: performance.now() - started,
  });

  // The fresh build's order: dossiers then acts, each by id (keyset pages by id). JS
  // compares UTF-16 units and SQLite UTF-8 bytes: the same order for the ASCII ids records
  // carry.
  const renumber = new Int32Array(before).fill(-1);
  const table = new DocTable(old.table.limit);
  for (const [k, v] of old.table.actKindTitles) table.actKindTitles.set(k, v);
  const docOf: Record<RecordKind, Map<string, number>> = { dossier: new Map(), act: new Map() };
  let work = 0;
  for (const kind of ["dossier", "act"] as const) {
    const ids = [...index.docOf[kind].keys()].sort();
    for (const id of ids) {
      const o = index.docOf[kind].get(id) ?? 0;
      const d = table.allocate();
      renumber[o] = d;
      copyDoc(old.table, o, table, d);
      docOf[kind].set(id, d);
      if (++work >= slice) {
        work = 0;
        await pause();
        if (index.version !== version) return done("abandoned");
      }
    }
  }
  table.settle();
  const drive = async <T>(steps: Generator<void, T>): Promise<T | undefined> => {
    while (true) {
      const step = steps.next();
      if (step.done) return step.value;
      await pause();
      if (index.version !== version) return undefined;
    }
  };
  const publicText = await drive(old.publicText.compacted(renumber, slice));
  const clerkText = publicText && await drive(old.clerkText.compacted(renumber, slice));
  const streets = clerkText && await drive(old.streets.compacted(renumber, slice));
  if (!publicText || !clerkText || !streets || index.version !== version) {
    return done("abandoned");
  }
  // The swap: synchronous, so no request sees half of it. Cached answers and cards hold old
  // numbers: new cache entries (the version changes) and a new card map (an in-flight
  // request still fills the old one, never this).
  index.table = table;
  index.publicText = publicText;
  index.clerkText = clerkText;
  index.streets = streets;
  index.docOf = docOf;
  index.scratch = new MergeScratch();
  index.cards = new LruMap<number, HitCard>(RESULT_CARDS);
  index.settledBytes = storedBytes(index);
  refreshNewestOrder(index);
  index.version++;
  index.cache.clear();
  index.answers.clear();
  return done("done");
}

function copyDoc(from: DocTable, o: number, to: DocTable, d: number): void {
  to.ids[d] = from.ids[o] ?? "";
  to.numbers[d] = from.numbers[o] ?? "";
  to.kind[d] = from.kind[o] ?? 0;
  to.publicAlive[d] = from.publicAlive[o] ?? 0;
  to.clerkAlive[d] = from.clerkAlive[o] ?? 0;
  to.year[d] = from.year[o] ?? 0;
  to.numberInt[d] = from.numberInt[o] ?? 0;
  // Codes again in the new order, so each facet value gets the number a fresh build gives it.
  to.type[d] = to.types.code(from.types.values[from.type[o] ?? 0]);
  to.status[d] = to.statuses.code(from.statuses.values[from.status[o] ?? 0]);
  to.locality[d] = to.localities.code(from.localities.values[from.locality[o] ?? 0]);
  to.actKind[d] = to.actKinds.code(from.actKinds.values[from.actKind[o] ?? 0]);
  to.office[d] = to.offices.code(from.offices.values[from.office[o] ?? 0]);
  to.series[d] = to.seriesNames.code(from.seriesNames.values[from.series[o] ?? 0]);
  to.fileFacets(d);
}
