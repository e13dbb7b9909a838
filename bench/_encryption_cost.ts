/**
 * What encryption at rest costs (issue 9 §4): the same JSONL imported into a plain and into
 * an encrypted DB, then the real kiosk started on each and asked the same queries one at a
 * time. Both variants run here, taking turns for a few rounds (medians; search latencies
 * pooled), so that a busy moment of the machine does not fall on one variant only.
 */
import { measureLatency } from "./_http_load.ts";
import { startAndMeasure } from "./_kiosk.ts";
import { freePort, type LatencySummary, secs, summarize } from "./_measure.ts";
import type { QueryCase } from "./_queries.ts";

// A benchmark key, not a secret: the bench DBs hold generated data only.
const BENCH_KEY = "faldone-bench-key-not-a-secret-0001";

/** One variant's figures: medians over the rounds. */
export interface VariantFigures {
  rounds: number;
  importMs: number;
  listeningMs: number;
  firstCorrectMs: number;
  readyMs: number;
  /** Every query's latency over HTTP, one at a time (first keystroke: no answer cache). */
  search: LatencySummary;
  errors: number;
  dbMiB: number;
}

/** One round of one variant. */
interface Round {
  importMs: number;
  listeningMs: number;
  firstCorrectMs: number;
  readyMs: number;
  searchMs: number[];
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
  /** Turns each variant takes. */
  rounds: number;
  log: (line: string) => void;
}

async function sizeMiB(path: string): Promise<number> {
  let bytes = 0;
  for (const suffix of ["", "-wal"]) {
    bytes += await Deno.stat(path + suffix).then((s) => s.size, () => 0);
  }
  return Math.round(bytes / 2 ** 20);
}

const ROOT = new URL("..", import.meta.url).pathname;

/**
 * `main.ts import` into a new DB, timed as an operator would see it. A fresh process each
 * time: imports run inside this long benchmark process (after the kiosk runs, with libSQL
 * connections that close only once collected) had the encrypted DB 40% faster, and a
 * standalone A/B run said the opposite; a new process starts both variants alike.
 */
async function importProcess(jsonlPath: string, dbPath: string, key: string | undefined) {
  for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(dbPath + suffix).catch(() => {});
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "import", jsonlPath, "--db", dbPath],
    cwd: ROOT,
    env: key ? { FALDONE_DB_KEY: key } : {},
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`main.ts import exited ${out.code}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return { ms, summary: text.trim().split("\n")[0] ?? "" };
}

async function round(
  name: string,
  dbPath: string,
  key: string | undefined,
  o: EncryptionCostOptions,
): Promise<Round> {
  o.log(`${name}: import…`);
  const imported = await importProcess(o.jsonlPath, dbPath, key);
  o.log(`  ${secs(imported.ms)} s (${imported.summary}); avvio del chiosco…`);
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
  const searchMs = answers.map((a) => a.ms);
  const search = summarize(searchMs);
  o.log(`  pronto ${secs(start.readyMs)} s; ricerca p50 ${search.p50} ms, p95 ${search.p95} ms`);
  return {
    importMs: imported.ms,
    listeningMs: start.listeningMs,
    firstCorrectMs: start.firstCorrectMs,
    readyMs: start.readyMs,
    searchMs,
    errors: answers.filter((a) => a.status !== 200).length,
    // After the kiosk stopped: its WAL is folded into the file.
    dbMiB: await sizeMiB(dbPath),
  };
}

function median(values: number[]): number {
  return summarize(values).p50;
}

function combine(rounds: Round[]): VariantFigures {
  const of = (pick: (r: Round) => number) => median(rounds.map(pick));
  return {
    rounds: rounds.length,
    importMs: of((r) => r.importMs),
    listeningMs: of((r) => r.listeningMs),
    firstCorrectMs: of((r) => r.firstCorrectMs),
    readyMs: of((r) => r.readyMs),
    search: summarize(rounds.flatMap((r) => r.searchMs)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    dbMiB: of((r) => r.dbMiB),
  };
}

/** Measures import, boot and search on a plain and on an encrypted DB of the same data. */
export async function measureEncryptionCost(o: EncryptionCostOptions): Promise<EncryptionFigures> {
  const plain: Round[] = [];
  const encrypted: Round[] = [];
  for (let i = 1; i <= o.rounds; i++) {
    const turn = `turno ${i}/${o.rounds}`;
    // Who goes first alternates too: a warm page cache must not favour one variant.
    const order = i % 2 === 1 ? ["plain", "encrypted"] : ["encrypted", "plain"];
    for (const which of order) {
      if (which === "plain") {
        plain.push(
          await round(`DB in chiaro, ${turn}`, `${o.outDir}/plain-${o.dossiers}.db`, undefined, o),
        );
      } else {
        encrypted.push(
          await round(
            `DB cifrato, ${turn}`,
            `${o.outDir}/encrypted-${o.dossiers}.db`,
            BENCH_KEY,
            o,
          ),
        );
      }
    }
  }
  return { plain: combine(plain), encrypted: combine(encrypted) };
}
