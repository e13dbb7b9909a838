/**
 * `deno task bench`: the search benchmark, then the sync benchmark (bench/sync_bench.ts,
 * when present), the index churn benchmark (bench/index_churn_bench.ts) and the documents
 * section (bench/_documents.ts) as subprocesses; prints a figures table and one JSON line.
 * Not a test.
 *
 *   deno task bench [--dossiers N] [--quick] [--per-kind N] [--clients N] [--seconds N]
 *                   [--soak-minutes N] [--reuse-db] [--no-references] [--no-orama] [--no-sync] [--no-churn] [--churn-rounds N] [--churn-minutes M]
 *                   [--no-documents | --only-documents]
 *                   [--encrypted [--encrypted-rounds N]] [--cpu-prof] [--out DIR]
 */
import { parseArgs } from "node:util";
import { machineLoad } from "./_measure.ts";
import {
  churnRows,
  encryptionRows,
  figureRows,
  figuresTable,
  kindTable,
  syncRows,
} from "./_report.ts";
import { runDocumentBenches } from "./_documents.ts";
import { runSearchBench, type SearchBenchFigures } from "./search_bench.ts";

const HELP = `Usage: deno task bench [options]
  --dossiers N   dossiers to generate (default 300000; --quick: 30000)
  --acts N       council acts (default dossiers / 100, at least 300)
  --quick        a fast run: 30,000 dossiers, 20 queries per kind, 10 s of load
  --per-kind N   distinct queries per kind (default 40)
  --clients N    concurrent clients of the throughput run (default 50)
  --seconds N    length of the throughput run (default 20)
  --soak-minutes N  minutes of mixed queries (4 clients) while the kiosk syncs 2 % of the
                 dossiers, changed on an archive copy of its DB, before RSS is read after load
                 (default 0: right after the throughput runs; issue 14 asks for 30)
  --reuse-db     keep bench/out's DB of the same size if there (no import: start-up work)
  --no-references  skip the in-run references (FTS5 and Orama; FTS5 takes minutes at 1M)
  --no-orama     skip the naive Orama reference (its build takes minutes at 300k)
  --orama-cap S  stop filling Orama after S seconds of inserts (default 180): partial index
  --no-sync      skip bench/sync_bench.ts
  --no-documents skip the documents section (import of scans, viewer, video memory, transfer
                 over a poor link, file store; bench/_documents.ts)
  --only-documents  run the documents section alone
  --no-churn     skip bench/index_churn_bench.ts (syncs of 2 % changes against the index)
  --churn-rounds N  rounds of the churn benchmark (default 200: a year of daily syncs), on
                 a copy of the kiosk DB
  --churn-minutes M  stop the churn rounds after M minutes (the figures say how many ran)
  --encrypted    also import, start and search a plain and an encrypted DB (encryption at
                 rest), taking turns, and print the cost
  --encrypted-rounds N  turns of each (default 2; medians, search latencies pooled)
  --cpu-prof     write a V8 CPU profile of the kiosk under <out>/prof
  --out DIR      where data, DBs and profiles go (default bench/out, gitignored)`;

const ROOT = new URL("..", import.meta.url).pathname;

function int(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive whole number`);
  return n;
}

/** Runs bench/<file> if it exists, echoing its output; its last JSON line, if any. */
async function runSubBench(
  file: string,
  title: string,
  args: string[],
  denoFlags: string[] = [],
): Promise<unknown> {
  const path = `${ROOT}bench/${file}`;
  if (!(await Deno.stat(path).then(() => true, () => false))) {
    console.log(`\n(bench/${file} assente: ${title} saltato)`);
    return undefined;
  }
  console.log(`\n== ${title} (bench/${file}) ==`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...denoFlags, path, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  console.log(text.trimEnd());
  if (!out.success) return { error: `${file} exited with code ${out.code}` };
  const last = text.trim().split("\n").reverse().find((l) => l.trim().startsWith("{"));
  try {
    return last ? JSON.parse(last) : undefined;
  } catch {
    return { error: `${file} printed no JSON line` };
  }
}

/** The per-kind table, wrong top hits and profile: printed before the sync benchmark runs. */
function printSearchDetails(figures: SearchBenchFigures): void {
  console.log(
    "\n== ricerca per tipo di query (ms; right = top hit / any of 20 is a right record) ==",
  );
  console.log(kindTable(figures));
  if (figures.wrongTopHits.length) {
    console.log("\nprimo risultato sbagliato (esempi):");
    for (const line of figures.wrongTopHits) console.log(`  ${line}`);
  }
  if (figures.profile) {
    const p = figures.profile;
    console.log(
      `\n== profilo CPU del chiosco da indice pronto (${p.totalMs} ms campionati; ${p.path}) ==`,
    );
    for (const h of p.files.slice(0, 8)) {
      console.log(`  ${String(h.share).padStart(5)}%  ${h.name}`);
    }
    console.log("  --");
    for (const h of p.functions) console.log(`  ${String(h.share).padStart(5)}%  ${h.name}`);
    console.log("  -- funzioni del progetto, tempo inclusivo (con le librerie che chiamano):");
    for (const h of p.project) console.log(`  ${String(h.share).padStart(5)}%  ${h.name}`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      dossiers: { type: "string" },
      acts: { type: "string" },
      quick: { type: "boolean" },
      "per-kind": { type: "string" },
      clients: { type: "string" },
      seconds: { type: "string" },
      "soak-minutes": { type: "string" },
      "reuse-db": { type: "boolean" },
      "no-references": { type: "boolean" },
      "no-orama": { type: "boolean" },
      "orama-cap": { type: "string" },
      "no-sync": { type: "boolean" },
      "no-documents": { type: "boolean" },
      "only-documents": { type: "boolean" },
      "no-churn": { type: "boolean" },
      "churn-rounds": { type: "string" },
      "churn-minutes": { type: "string" },
      encrypted: { type: "boolean" },
      "encrypted-rounds": { type: "string" },
      "cpu-prof": { type: "boolean" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const quick = values.quick ?? false;
  if (values["only-documents"]) {
    const rows = await runDocumentBenches(quick);
    console.log("\n== figures (documenti) ==");
    console.log(figuresTable(rows));
    console.log(JSON.stringify({ bench: "faldone-documents", rows }));
    return rows.every((r) => r.pass !== false) ? 0 : 1;
  }
  const dossiers = int(values.dossiers, quick ? 30_000 : 300_000, "dossiers");
  const started = performance.now();
  const outDir = values.out ?? `${ROOT}bench/out`;
  const figures = await runSearchBench({
    dossiers,
    acts: int(values.acts, Math.max(300, Math.floor(dossiers / 100)), "acts"),
    seed: 1977,
    outDir,
    perKind: int(values["per-kind"], quick ? 20 : 40, "per-kind"),
    refBudgetMs: quick ? 5_000 : 10_000,
    oramaCapMs: int(values["orama-cap"], 180, "orama-cap") * 1000,
    clients: int(values.clients, 50, "clients"),
    seconds: int(values.seconds, quick ? 10 : 20, "seconds"),
    soakMinutes: values["soak-minutes"] === undefined
      ? 0
      : int(values["soak-minutes"], 0, "soak-minutes"),
    orama: !values["no-orama"],
    reuseDb: values["reuse-db"] ?? false,
    references: !values["no-references"],
    cpuProf: values["cpu-prof"] ?? false,
    encryptionRounds: values.encrypted ? int(values["encrypted-rounds"], 2, "encrypted-rounds") : 0,
    log: (line) => console.log(line),
  });
  printSearchDetails(figures);
  // Printed now too: a long sync benchmark must not hold back the search figures.
  console.log("\n== figures (ricerca) ==");
  console.log(figuresTable(figureRows(figures)));
  if (figures.encryption) {
    console.log("\n== cifratura a riposo: DB cifrato contro DB in chiaro, stessi dati ==");
    console.log(figuresTable(encryptionRows(figures)));
  }
  const sync = values["no-sync"]
    ? undefined
    : await runSubBench("sync_bench.ts", "benchmark di sincronizzazione", [
      ...(quick ? ["--quick"] : []),
      "--dossiers",
      String(dossiers),
    ]);
  // After the others: it changes a copy of the kiosk's DB (the same archive, written above),
  // and at 1M its 200 rounds take the longest.
  const churn = values["no-churn"] ? undefined : await runSubBench(
    "index_churn_bench.ts",
    "indice dopo molte sincronizzazioni",
    [
      "--dossiers",
      String(dossiers),
      "--rounds",
      String(int(values["churn-rounds"], quick ? 20 : 200, "churn-rounds")),
      "--db",
      `${outDir}/kiosk-${dossiers}.db`,
      ...(values["churn-minutes"] ? ["--minutes", values["churn-minutes"]] : []),
      "--out",
      outDir,
    ],
    ["--v8-flags=--expose-gc"],
  );
  const documents = values["no-documents"] ? [] : await runDocumentBenches(quick);
  const rows = [
    ...figureRows(figures),
    ...encryptionRows(figures),
    ...syncRows(sync),
    ...documents,
    ...churnRows(churn),
  ];
  const load = await machineLoad();
  console.log("\n== figures ==");
  console.log(figuresTable(rows));
  console.log(
    `\nload average ${figures.load.before} at start, ${load.load1} at end, on ${load.cores} cores; ` +
      `total ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(JSON.stringify({ bench: "faldone", figures, rows, sync, churn }));
  return rows.every((r) => r.pass !== false) ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
