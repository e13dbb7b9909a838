/**
 * Where a build's time and the index's bytes go, structure by structure, on an existing DB
 * (the benchmark's, e.g. bench/out/kiosk-1000000.db). The build as buildRecordIndex runs it,
 * with the DB reads timed apart from the indexing; then each structure is let go in turn and
 * the heap measured after a full GC: the drop is what it held (strings shared between two
 * structures count with the last one dropped). Not a test.
 *
 *   deno run -A --v8-flags=--expose-gc bench/index_memory.ts DB_PATH
 */
import { openDb } from "../db/client.ts";
import { countRecords } from "../db/records.ts";
import { indexPages } from "../search/index_source.ts";
import { addDoc, createRecordIndex, type RecordIndex } from "../search/record_index.ts";
import { TextIndex } from "../search/text_index.ts";
import { StreetDictionary } from "../search/street_dictionary.ts";
import { DocTable } from "../search/doc_table.ts";

const gc = (globalThis as { gc?: () => void }).gc;

/** V8 heap in use plus typed arrays' backing stores (external), after full GCs. */
function heapMiB(): number {
  gc?.();
  gc?.();
  const m = Deno.memoryUsage();
  return (m.heapUsed + m.external) / 2 ** 20;
}

function usage(when: string): void {
  const m = Deno.memoryUsage();
  const f = (x: number) => (x / 2 ** 20).toFixed(0);
  console.log(
    `${when}: RSS ${f(m.rss)} MiB, V8 heap ${f(m.heapUsed)} used of ${f(m.heapTotal)}, ` +
      `external ${f(m.external)} MiB`,
  );
}

const mib = (x: number) => x.toFixed(0).padStart(6);

async function main(path: string): Promise<void> {
  if (!gc) throw new Error("run with --v8-flags=--expose-gc");
  const { db, client } = await openDb(path);
  const counts = await countRecords(db);
  const base = heapMiB();
  const rss0 = Deno.memoryUsage().rss / 2 ** 20;
  const index: RecordIndex = createRecordIndex();
  let readMs = 0, addMs = 0;
  const started = performance.now();
  for (const kind of ["dossier", "act"] as const) {
    const pages = indexPages(db, kind, 1_000);
    while (true) {
      const t = performance.now();
      const next = await pages.next();
      readMs += performance.now() - t;
      if (next.done) break;
      const t2 = performance.now();
      for (const doc of next.value) addDoc(index, doc);
      addMs += performance.now() - t2;
    }
  }
  const t3 = performance.now();
  index.publicText.pack();
  index.clerkText.pack();
  const packMs = performance.now() - t3;
  const totalMs = performance.now() - started;
  usage("built, before GC");
  const built = heapMiB();
  usage("built, after full GC");
  const rss = Deno.memoryUsage().rss / 2 ** 20;
  console.log(
    `${counts.dossiers} pratiche, ${counts.acts} atti: build ${(totalMs / 1000).toFixed(1)} s ` +
      `(lettura DB + JSON ${(readMs / 1000).toFixed(1)} s, addDoc ${
        (addMs / 1000).toFixed(1)
      } s, pack + vocabolario ${(packMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `heap + external ${mib(built - base)} MiB over the empty index; RSS ${mib(rss)} MiB (${
      mib(rss0)
    } before)`,
  );
  const pub = index.publicText, clerk = index.clerkText;
  console.log(
    `words public ${pub.words.size}, stems public ${pub.stems.size}; words clerk ${clerk.words.size}, ` +
      `stems clerk ${clerk.stems.size}; vocabulary public ${pub.vocabulary.size}, clerk ${clerk.vocabulary.size}`,
  );
  const steps: [string, () => void][] = [
    ["query scratch (MergeScratch)", () => (index.scratch = createRecordIndex().scratch)],
    ["clerk vocabulary (Orama)", () => Reflect.set(clerk, "vocabulary", undefined)],
    ["clerk stems", () => clerk.stems.clear()],
    ["clerk words", () => clerk.words.clear()],
    ["clerk TextIndex rest (stem cache, scratch)", () => (index.clerkText = new TextIndex())],
    ["public vocabulary (Orama)", () => Reflect.set(pub, "vocabulary", undefined)],
    ["public stems", () => pub.stems.clear()],
    ["public words", () => pub.words.clear()],
    ["public TextIndex rest (stem cache, scratch)", () => (index.publicText = new TextIndex())],
    ["street dictionary", () => (index.streets = new StreetDictionary())],
    ["docOf maps (id → doc number)", () => (index.docOf = { dossier: new Map(), act: new Map() })],
    ["table: numbers (strings)", () => (index.table.numbers = [])],
    ["table: ids (strings)", () => (index.table.ids = [])],
    ["table: typed columns", () => (index.table = new DocTable())],
  ];
  let before = heapMiB();
  for (const [name, drop] of steps) {
    drop();
    const after = heapMiB();
    console.log(`${mib(before - after)} MiB  ${name}`);
    before = after;
  }
  console.log(`${mib(before - base)} MiB  left (the rest)`);
  client.close();
}

if (import.meta.main) {
  const path = Deno.args[0];
  if (!path) {
    console.error("Usage: deno run -A --v8-flags=--expose-gc bench/index_memory.ts DB_PATH");
    Deno.exit(2);
  }
  await main(path);
}
