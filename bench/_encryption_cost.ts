/**
 * What encryption at rest costs (issue 9 §4): the same JSONL imported into a plain and into
 * an encrypted DB, then the real kiosk started on each and asked the same queries one at a
 * time. Both variants run here, one after the other, so they share the machine's load.
 */
import { importDataset } from "./_dataset.ts";
import { measureLatency } from "./_http_load.ts";
import { startAndMeasure } from "./_kiosk.ts";
import { freePort, type LatencySummary, secs, summarize } from "./_measure.ts";
import type { QueryCase } from "./_queries.ts";

// A benchmark key, not a secret: the bench DBs hold generated data only.
const BENCH_KEY = "faldone-bench-key-not-a-secret-0001";

/** One variant's figures. */
export interface VariantFigures {
  importMs: number;
  listeningMs: number;
  firstCorrectMs: number;
  readyMs: number;
  /** Every query's latency over HTTP, one at a time (first keystroke: no answer cache). */
  search: LatencySummary;
  errors: number;
  dbMiB: number;
}

/** The plain DB beside the encrypted one. */
export interface EncryptionFigures {
  plain: VariantFigures;
  encrypted: VariantFigures;
}

/** What the comparison needs from the search benchmark. */
export interface EncryptionCostOptions {
  jsonlPath: string;
  outDir: string;
  dossiers: number;
  cases: QueryCase[];
  probe: { q: string; expectedId: string };
  log: (line: string) => void;
}

async function sizeMiB(path: string): Promise<number> {
  let bytes = 0;
  for (const suffix of ["", "-wal"]) {
    bytes += await Deno.stat(path + suffix).then((s) => s.size, () => 0);
  }
  return Math.round(bytes / 2 ** 20);
}

async function variant(
  name: string,
  dbPath: string,
  key: string | undefined,
  o: EncryptionCostOptions,
): Promise<VariantFigures> {
  o.log(`${name}: import…`);
  const imported = await importDataset(o.jsonlPath, dbPath, key);
  o.log(`  ${imported.summary.inserted} inseriti in ${secs(imported.ms)} s; avvio del chiosco…`);
  const { kiosk, figures: start } = await startAndMeasure(
    dbPath,
    freePort(),
    o.probe,
    undefined,
    key ? { FALDONE_DB_KEY: key } : {},
  );
  let answers;
  try {
    answers = (await measureLatency(kiosk.base, o.cases)).answers;
  } finally {
    await kiosk.stop();
  }
  const search = summarize(answers.map((a) => a.ms));
  o.log(`  pronto ${secs(start.readyMs)} s; ricerca p50 ${search.p50} ms, p95 ${search.p95} ms`);
  return {
    importMs: imported.ms,
    listeningMs: start.listeningMs,
    firstCorrectMs: start.firstCorrectMs,
    readyMs: start.readyMs,
    search,
    errors: answers.filter((a) => a.status !== 200).length,
    // After the kiosk stopped: its WAL is folded into the file.
    dbMiB: await sizeMiB(dbPath),
  };
}

/** Measures import, boot and search on a plain and on an encrypted DB of the same data. */
export async function measureEncryptionCost(o: EncryptionCostOptions): Promise<EncryptionFigures> {
  const plain = await variant("DB in chiaro", `${o.outDir}/plain-${o.dossiers}.db`, undefined, o);
  const encrypted = await variant(
    "DB cifrato",
    `${o.outDir}/encrypted-${o.dossiers}.db`,
    BENCH_KEY,
    o,
  );
  return { plain, encrypted };
}
