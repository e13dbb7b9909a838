/**
 * The in-memory record index: per-document facet columns, the public text postings (built
 * from publicView only), the clerk's separate postings (people and full subjects), and the
 * street dictionary. Built from the DB in pages at start; updated after imports and syncs.
 */
import { countRecords, readRecords } from "../db/records.ts";
import { readVocabularies } from "../db/vocabularies.ts";
import type { Db } from "../db/client.ts";
import type { RecordKind } from "../domain/records.ts";
import { DocNumbersExhausted, DocTable, KIND_ACT, KIND_DOSSIER } from "./doc_table.ts";
import { AnswerCache } from "./answer_cache.ts";
import type { HitCard } from "./hit_card.ts";
import { type DbSource, indexedPagesFromWorker, indexedPagesInThread } from "./index_source.ts";
import { analyseRecord, type IndexedRecord } from "./indexed_record.ts";
import { indexWords } from "./italian_text.ts";
import { NewestOrder } from "./newest_order.ts";
import { LruMap, MergeScratch, QueryCache } from "./query_cache.ts";
import { StreetDictionary } from "./street_dictionary.ts";
import { TextIndex } from "./text_index.ts";
import type { SearchRow } from "./search_rows.ts";

/** Whether the full index is ready, how many records the DB holds and how many are indexed. */
export interface IndexState {
  ready: boolean;
  records: number;
  indexed: number;
}

/**
 * The search structures; only search/ reads inside them. Compaction (compaction.ts) replaces
 * the doc-numbered ones (table, texts, streets, docOf, cards, scratch) all at once, between
 * two requests' synchronous parts: a reader holding one of them keeps a consistent old set.
 */
export interface RecordIndex {
  state(): IndexState;
  table: DocTable;
  /** Built from publicView(doc) only: no personal field ever enters it. */
  publicText: TextIndex;
  /** Clerk only: people (surname, name, company, tax code, e-mail) and unredacted subjects. */
  clerkText: TextIndex;
  streets: StreetDictionary;
  /** Record id → doc number of its live copy, per kind. */
  docOf: Record<RecordKind, Map<string, number>>;
  readonly cache: QueryCache;
  /** Recent finished answers (top, total, facets) per query and view: see answer_cache.ts. */
  readonly answers: AnswerCache;
  /** Rankings and filtered views (filters and facet counts) made by searches, since start. */
  readonly counters: { rankings: number; views: number };
  scratch: MergeScratch;
  /**
   * Every doc number, newest first, for ordering a common word's hits (newest_order.ts);
   * set after the build and after each change to the doc numbers (refreshNewestOrder).
   */
  newest: NewestOrder | undefined;
  /** Hits of a query put in order at once; later pages order the rest when reached. */
  readonly orderedAtOnce: number;
  /**
   * Recently shown result cards, by doc number × 2 + (1 for the clerk): a record listed
   * again needs no DB read and no new public projection.
   */
  cards: LruMap<number, HitCard>;
  /** Bumped on every change, so cached answers from before are never served. */
  version: number;
  /**
   * While the build runs: records added or removed outside it (an identifier lookup, a
   * change followed). The build skips them: they are filed as the DB had them when touched,
   * and any later change is the follower's (it follows every change since the build began),
   * while the build's copy may have been read before the touch.
   */
  aheadOfBuild: Record<RecordKind, Set<string>> | undefined;
  /**
   * storedBytes right after the last build or compaction: what a fresh build holds. The
   * follower compacts when the spare room grown since passes a share of it (compaction.ts).
   */
  settledBytes: number;
  status: IndexState;
}

/** Result cards kept: a record listed again costs no DB read nor projection. */
export const RESULT_CARDS = 20_000;

/** An empty index (not ready). */
export function createRecordIndex(
  options: { orderedAtOnce?: number; docLimit?: number } = {},
): RecordIndex {
  const status: IndexState = { ready: false, records: 0, indexed: 0 };
  return {
    state: () => ({ ...status }),
    table: new DocTable(options.docLimit),
    publicText: new TextIndex(),
    clerkText: new TextIndex(),
    streets: new StreetDictionary(),
    docOf: { dossier: new Map(), act: new Map() },
    cache: new QueryCache(),
    answers: new AnswerCache(),
    counters: { rankings: 0, views: 0 },
    scratch: new MergeScratch(),
    newest: undefined,
    cards: new LruMap(RESULT_CARDS),
    // 50 pages of 20: ordering all 100k hits of a common word was most of its query time.
    orderedAtOnce: options.orderedAtOnce ?? 1_000,
    version: 0,
    aheadOfBuild: undefined,
    settledBytes: 0,
    status,
  };
}

/** Italian title of a record, e.g. "CE 452/1987". */
export function dossierTitle(type: string, number: string, year: number): string {
  return `${type} ${number}/${year}`;
}

function removeDoc(index: RecordIndex, kind: RecordKind, id: string): void {
  // Changed outside the build while it runs: the build must not file its own copy too.
  index.aheadOfBuild?.[kind].add(id);
  unfile(index, kind, id);
}

function unfile(index: RecordIndex, kind: RecordKind, id: string): void {
  const docNo = index.docOf[kind].get(id);
  if (docNo === undefined) return;
  // Postings keep the old number; the alive flags drop it from every answer.
  index.table.publicAlive[docNo] = 0;
  index.table.clerkAlive[docNo] = 0;
  index.docOf[kind].delete(id);
  index.status.indexed--;
  // A removal alone changes answers too: none cached before it may be served after it.
  index.version++;
}

/** Adds (or replaces) one record in every structure (a whole RecordDoc fits too). */
export function addDoc(index: RecordIndex, doc: SearchRow): void {
  // Refused before the old copy goes: the record stays findable as it was.
  if (index.table.full) throw new DocNumbersExhausted(index.table.limit);
  removeDoc(index, doc.record, doc.id);
  addIndexed(index, analyseRecord(doc));
}

/** Files a record the index does not hold (addDoc removes the old copy first). */
function addIndexed(index: RecordIndex, r: IndexedRecord): void {
  const t = index.table;
  const d = t.allocate();
  t.ids[d] = r.id;
  t.numbers[d] = r.number;
  t.kind[d] = r.record === "act" ? KIND_ACT : KIND_DOSSIER;
  t.year[d] = r.year;
  t.numberInt[d] = r.numberInt;
  t.publicAlive[d] = r.visible ? 1 : 0;
  t.clerkAlive[d] = 1;
  t.type[d] = t.types.code(r.type);
  t.status[d] = t.statuses.code(r.status);
  t.series[d] = t.seriesNames.code(r.series);
  t.locality[d] = t.localities.code(r.locality);
  t.actKind[d] = t.actKinds.code(r.actKind);
  t.office[d] = t.offices.code(r.office);
  t.fileFacets(d);
  for (const a of r.addresses) index.streets.add(d, a.street, a.civic, a.locality, a.historic);
  const publicWords = r.publicTexts.length === 1 ? indexWords(r.publicTexts[0]!) : [];
  // (A loop, not a spread: a long act text's words would overflow a call's arguments.)
  if (r.publicTexts.length > 1) {
    for (const text of r.publicTexts) for (const w of indexWords(text)) publicWords.push(w);
  }
  if (publicWords.length > 0) index.publicText.add(d, publicWords);
  const clerkWords = indexWords(r.clerkText);
  for (const w of r.peopleWords) clerkWords.push(w);
  index.clerkText.add(d, clerkWords);
  index.docOf[r.record].set(r.id, d);
  index.status.indexed++;
  index.version++;
}

// A page of 1,000 took 50–90 ms on a busy 2-core machine: requests wait at most about that.
const PAGE_SIZE = 1_000;

/** Lets pending requests run between pages. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Fill the index from the DB in pages, yielding to the event loop so the server answers
 * meanwhile; sets ready at the end. With `source` (the DB's address) a worker reads and
 * works out the pages while this thread files them (index_source.ts).
 */
export async function buildRecordIndex(
  db: Db,
  index: RecordIndex,
  options: { onProgress?: (indexed: number, total: number) => void; source?: DbSource } = {},
): Promise<void> {
  const counts = await countRecords(db);
  index.status.records = counts.dossiers + counts.acts;
  index.table.actKindTitles.clear();
  for (const k of (await readVocabularies(db)).actKinds) {
    index.table.actKindTitles.set(k.code, k.title);
  }
  // The build looks up an old copy only of records the index held when it began (an
  // identifier lookup's, in the moments before): keyset pages never repeat an id, and what
  // is added or removed outside the build while it runs is skipped. At 1M the lookup of
  // every record in a map of a million ids was 5 % of the build.
  const before = index.table.size === 0 ? undefined : {
    dossier: new Set(index.docOf.dossier.keys()),
    act: new Set(index.docOf.act.keys()),
  };
  const ahead = index.aheadOfBuild = { dossier: new Set<string>(), act: new Set<string>() };
  const pages = options.source
    ? indexedPagesFromWorker(options.source, PAGE_SIZE)
    : indexedPagesInThread(db, PAGE_SIZE);
  try {
    for await (const page of pages) {
      for (const r of page) {
        if (ahead[r.record].has(r.id)) continue;
        if (index.table.full) throw new DocNumbersExhausted(index.table.limit);
        // Re-read all the same: a change written before the build's starting point (the
        // follower's) would not be followed into the earlier copy.
        if (before?.[r.record].has(r.id)) unfile(index, r.record, r.id);
        addIndexed(index, r);
      }
      options.onProgress?.(index.status.indexed, index.status.records);
      await yieldToEventLoop();
    }
  } finally {
    index.aheadOfBuild = undefined;
  }
  index.publicText.pack();
  index.clerkText.pack();
  index.streets.pack();
  index.table.settle();
  index.settledBytes = storedBytes(index);
  refreshNewestOrder(index);
  index.status.records = index.status.indexed;
  index.status.ready = true;
  index.cache.clear();
  index.answers.clear();
}

/**
 * Indexes now, ahead of the build, the records an identifier lookup found that the index
 * does not hold yet: identifier queries then answer while a kiosk is still building at
 * boot. The search calls this before ranking, so ranking itself never writes to the index.
 */
export async function indexFoundRecords(
  db: Db,
  index: RecordIndex,
  found: { recordKind: "dossier" | "act"; recordId: string }[],
): Promise<void> {
  for (const kind of ["dossier", "act"] as const) {
    const missing = new Set<string>();
    for (const f of found) {
      if (f.recordKind === kind && !index.docOf[kind].has(f.recordId)) missing.add(f.recordId);
    }
    if (missing.size === 0) continue;
    for (const doc of await readRecords(db, kind, [...missing])) addDoc(index, doc);
  }
}

/** After an import batch or a sync page commits: re-read these records from the DB and update/remove them in the index. */
export async function applyRecordChanges(
  db: Db,
  index: RecordIndex,
  changes: { kind: "dossier" | "act"; id: string }[],
): Promise<void> {
  for (const kind of ["dossier", "act"] as const) {
    const ids = [...new Set(changes.filter((c) => c.kind === kind).map((c) => c.id))];
    // In slices, yielding between them: a large import must not stall the kiosk's requests.
    for (let i = 0; i < ids.length; i += PAGE_SIZE) {
      const slice = ids.slice(i, i + PAGE_SIZE);
      const found = new Map((await readRecords(db, kind, slice)).map((d) => [d.id, d]));
      for (const id of slice) {
        const doc = found.get(id);
        if (doc) addDoc(index, doc);
        else removeDoc(index, kind, id);
      }
      if (i + PAGE_SIZE < ids.length) await yieldToEventLoop();
    }
  }
  if (index.status.ready) index.status.records = index.status.indexed;
  refreshNewestOrder(index);
  index.version++;
  index.cache.clear();
  index.answers.clear();
  index.cards.clear();
}

/**
 * The newest-first order of the doc numbers as they are now (newest_order.ts): after the
 * build, after changes were applied and after compaction. A few ms at 1M; until it runs
 * again, a query orders as before (orderHits).
 */
export function refreshNewestOrder(index: RecordIndex): void {
  if (!index.newest?.covers(index.table)) index.newest = NewestOrder.of(index.table);
}

/** Doc numbers in use (live or not) and how many of them are live, for compaction. */
export function docNumberUse(index: RecordIndex): { used: number; live: number; limit: number } {
  return {
    used: index.table.size,
    live: index.docOf.dossier.size + index.docOf.act.size,
    limit: index.table.limit,
  };
}

/**
 * An estimate of the index's bytes: typed arrays by capacity (columns, postings with their
 * spare room, query scratch), plus 8 bytes a slot for the plain arrays of ids and streets.
 * Strings, maps and Orama's vocabulary are left out: compaction does not change them much.
 */
export function indexBytes(index: RecordIndex): number {
  return index.table.bytes() + index.publicText.bytes() + index.clerkText.bytes() +
    index.streets.bytes() + index.scratch.bytes() + (index.newest?.bytes() ?? 0);
}

/**
 * What a build or compaction makes exact: the columns, postings and streets, without the
 * queries' scratch (which follows the queries, not the records).
 */
export function storedBytes(index: RecordIndex): number {
  return index.table.bytes() + index.publicText.postingsBytes() +
    index.clerkText.postingsBytes() + index.streets.bytes();
}
