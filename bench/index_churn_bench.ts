/**
 * A year of daily syncs against the search index (issue 14): a generated archive is written
 * to a DB and indexed, then `--rounds` rounds each change `--share` of the records (edits,
 * deletions, additions: demo/archive_churn.ts) and the index follows them through the real
 * change follower, compacting when due. Prints the index's bytes (typed arrays, see
 * indexBytes), the process RSS and the ranking latency of a fixed query set: at the start,
 * after the churn, after a last compaction, and for a fresh build of the final DB beside
 * them; and whether the compacted index answers every query as the fresh build does.
 *
 *   deno run -A --v8-flags=--expose-gc bench/index_churn_bench.ts [--dossiers N] [--rounds N]
 *        [--share F] [--minutes M] [--out DIR] [--db KIOSK_DB]
 *
 * `--db` starts from a copy of an archive DB written before (the kiosk DB of `deno task bench`
 * with the same `--dossiers`): at 1M writing the archive anew takes longer than many rounds.
 * The copy is what changes; the keys and the query sample are then read from it.
 * `--minutes` stops the rounds early when they have taken that long (a loaded machine), and
 * the figures say how many rounds ran.
 */
import { parseArgs } from "node:util";
import { openDb } from "../db/client.ts";
import { sql } from "drizzle-orm";
import { readRecords, upsertRecords } from "../db/records.ts";
import {
  ArchiveChurn,
  churnQueries,
  keyOf,
  type RecordKey,
  writeChurnRound,
} from "../demo/archive_churn.ts";
import { generateArchive } from "../demo/demo_archive.ts";
import type { RecordDoc } from "../domain/records.ts";
import { createChangeFollower } from "../search/change_follower.ts";
import { compactRecordIndex } from "../search/compaction.ts";
import { rankQuery } from "../search/rank_query.ts";
import {
  buildRecordIndex,
  createRecordIndex,
  docNumberUse,
  indexBytes,
  type RecordIndex,
} from "../search/record_index.ts";
import type { Audience } from "../search/types.ts";
import { type LatencySummary, machineLoad, secs, summarize } from "./_measure.ts";

const NOW = new Date("2026-06-15T10:00:00.000Z");
const ROOT = new URL("..", import.meta.url).pathname;

/** One state of the index, measured. */
interface Snapshot {
  label: string;
  used: number;
  live: number;
  indexMiB: number;
  rssMiB: number;
  latency: LatencySummary;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Ranks every query (the cache bypassed: rankQuery itself), `repeat` times, for both audiences. */
function rankTimes(index: RecordIndex, queries: string[], repeat: number): number[] {
  const times: number[] = [];
  for (let r = 0; r < repeat; r++) {
    for (const audience of ["public", "clerk"] as Audience[]) {
      for (const q of queries) {
        const t0 = performance.now();
        rankQuery(index, q, audience, undefined);
        times.push(performance.now() - t0);
      }
    }
  }
  return times;
}

function snapshot(label: string, index: RecordIndex, queries: string[]): Snapshot {
  rankTimes(index, queries, 1); // expansions cached, scratch sized: as a running kiosk
  const latency = summarize(rankTimes(index, queries, 3));
  collectGarbage();
  const use = docNumberUse(index);
  return {
    label,
    used: use.used,
    live: use.live,
    indexMiB: Math.round(indexBytes(index) / 2 ** 20 * 10) / 10,
    rssMiB: Math.round(Deno.memoryUsage().rss / 2 ** 20),
    latency,
  };
}

/**
 * Rank latency of two indexes measured query by query in turn (who goes first alternating),
 * `repeat` times: measured one after the other, a minute apart, the same index's p95 moved
 * by 20-40 % with the machine (docs/SEARCH.md "Churn at 1M"), more than the ±10 % compared.
 */
function interleavedLatency(
  a: RecordIndex,
  b: RecordIndex,
  queries: string[],
  repeat: number,
): [LatencySummary, LatencySummary] {
  rankTimes(a, queries, 1);
  rankTimes(b, queries, 1);
  collectGarbage();
  const timesA: number[] = [], timesB: number[] = [];
  const time = (index: RecordIndex, q: string, audience: Audience, into: number[]) => {
    const t0 = performance.now();
    rankQuery(index, q, audience, undefined);
    into.push(performance.now() - t0);
  };
  let turn = 0;
  for (let r = 0; r < repeat; r++) {
    for (const audience of ["public", "clerk"] as Audience[]) {
      for (const q of queries) {
        if (turn++ % 2 === 0) {
          time(a, q, audience, timesA);
          time(b, q, audience, timesB);
        } else {
          time(b, q, audience, timesB);
          time(a, q, audience, timesA);
        }
      }
    }
  }
  return [summarize(timesA), summarize(timesB)];
}

/** Whether two indexes rank every query alike (ids and ranks), and how many differ. */
function differences(a: RecordIndex, b: RecordIndex, queries: string[]): number {
  let n = 0;
  for (const audience of ["public", "clerk"] as Audience[]) {
    for (const q of queries) {
      const x = rankQuery(a, q, audience, undefined);
      const y = rankQuery(b, q, audience, undefined);
      const same = x.docs.length === y.docs.length &&
        x.docs.every((d, i) => a.table.ids[d] === b.table.ids[y.docs[i] ?? 0]) &&
        x.rank.every((r, i) => r === y.rank[i]);
      if (!same) n++;
    }
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      dossiers: { type: "string" },
      rounds: { type: "string" },
      share: { type: "string" },
      out: { type: "string" },
      quick: { type: "boolean" },
      minutes: { type: "string" },
      db: { type: "string" },
    },
    strict: true,
  });
  const dossiers = Number(values.dossiers ?? (values.quick ? 20_000 : 100_000));
  const roundsWanted = Number(values.rounds ?? 200);
  const budgetMs = Number(values.minutes ?? Infinity) * 60_000;
  const share = Number(values.share ?? 0.02);
  const acts = Math.max(300, Math.floor(dossiers / 100));
  const outDir = values.out ?? `${ROOT}bench/out`;
  await Deno.mkdir(outDir, { recursive: true });
  const dbPath = `${outDir}/churn-${dossiers}.db`;
  for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(dbPath + suffix).catch(() => {});
  const log = (line: string) => console.log(line);
  const load0 = await machineLoad();
  log(
    `== indice dopo ${roundsWanted} sincronizzazioni del ${
      share * 100
    } % (${dossiers} pratiche) ==`,
  );

  let t0 = performance.now();
  if (values.db) {
    await Deno.copyFile(values.db, dbPath);
    // A WAL left beside the source holds committed pages that are not in the file yet.
    await Deno.copyFile(`${values.db}-wal`, `${dbPath}-wal`).catch(() => {});
  }
  const { db, client } = await openDb(dbPath);
  // Only the keys and a sample for the queries are kept: 1M documents would not fit.
  const keys: RecordKey[] = [];
  const sampled: RecordDoc[] = [];
  const every = Math.max(1, Math.floor((dossiers + acts) / 60 / 50));
  if (values.db) {
    for (const kind of ["dossier", "act"] as const) {
      const table = kind === "dossier" ? "dossiers" : "acts";
      const ids = await db.all<{ id: string }>(sql.raw(`SELECT id FROM ${table} ORDER BY id`));
      for (const { id } of ids) keys.push({ kind, id });
    }
    for (const kind of ["dossier", "act"] as const) {
      const ids = keys.flatMap((k, i) => i % every === every - 1 && k.kind === kind ? [k.id] : []);
      sampled.push(...await readRecords(db, kind, ids));
    }
    log(
      `archivio copiato da ${values.db}: ${keys.length} record in ${
        secs(performance.now() - t0)
      } s`,
    );
  } else {
    let batch: RecordDoc[] = [];
    for (const doc of generateArchive({ seed: 1977, dossiers, acts })) {
      keys.push(keyOf(doc));
      if (keys.length % every === 0) sampled.push(doc);
      batch.push(doc);
      if (batch.length === 2_000) {
        const docs = batch;
        await db.transaction((tx) => upsertRecords(tx, docs, NOW));
        batch = [];
      }
    }
    if (batch.length > 0) await db.transaction((tx) => upsertRecords(tx, batch, NOW));
    log(`archivio scritto: ${keys.length} record in ${secs(performance.now() - t0)} s`);
  }

  const queries = churnQueries(sampled, 50);
  const compactions: string[] = [];
  const index = createRecordIndex();
  const follower = createChangeFollower(db, index, { log: (l) => compactions.push(l) });
  await follower.begin();
  t0 = performance.now();
  await buildRecordIndex(db, index);
  const buildMs = performance.now() - t0;
  const start = snapshot("inizio", index, queries);
  log(`indice costruito in ${secs(buildMs)} s; ${queries.length} query × 2 pubblici`);

  const churn = new ArchiveChurn(keys, 14);
  keys.length = 0;
  t0 = performance.now();
  let readMs = 0, writeMs = 0, followMs = 0;
  let rounds = 0;
  for (let r = 1; r <= roundsWanted && performance.now() - t0 < budgetMs; r++) {
    rounds = r;
    const r0 = performance.now();
    const round = await churn.next(db, share);
    const w0 = performance.now();
    await writeChurnRound(db, round, NOW);
    const f0 = performance.now();
    await follower.catchUp();
    readMs += w0 - r0;
    writeMs += f0 - w0;
    followMs += performance.now() - f0;
    if (r % 10 === 0 || r === roundsWanted) {
      const use = docNumberUse(index);
      log(
        `  giro ${r}: ${use.used} numeri usati, ${use.live} vivi, ` +
          `${compactions.length} compattazioni, ${secs(performance.now() - t0)} s ` +
          `(lettura ${secs(readMs)}, scrittura ${secs(writeMs)}, indice ${secs(followMs)} s)`,
      );
    }
  }
  if (rounds < roundsWanted) log(`  fermato dopo ${rounds} giri su ${roundsWanted} (--minutes)`);
  const afterChurn = snapshot("dopo i giri", index, queries);

  // The longest stretch compaction holds the event loop: the time between its pauses.
  let longest = 0;
  let last = performance.now();
  const final = await compactRecordIndex(index, {
    pause: () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      return new Promise<void>((r) =>
        setTimeout(() => {
          last = performance.now();
          r();
        }, 0)
      );
    },
  });
  longest = Math.max(longest, performance.now() - last);
  const afterCompaction = snapshot("compattato", index, queries);

  const fresh = createRecordIndex();
  t0 = performance.now();
  await buildRecordIndex(db, fresh);
  const freshBuildMs = performance.now() - t0;
  const freshSnap = snapshot("nuovo build", fresh, queries);
  const differing = differences(index, fresh, queries);
  // What the target compares, churned against fresh, measured in turn (interleavedLatency);
  // the snapshots' own figures, each taken alone, stay in the JSON.
  const alone = { churned: afterCompaction.latency, fresh: freshSnap.latency };
  [afterCompaction.latency, freshSnap.latency] = interleavedLatency(index, fresh, queries, 5);
  client.close();

  const rows = [start, afterChurn, afterCompaction, freshSnap];
  log(
    `\n(compattato e nuovo build: latenze misurate a turno, query per query; da soli p95 ` +
      `${alone.churned.p95} e ${alone.fresh.p95} ms)`,
  );
  log(
    "| stato | numeri usati | vivi | indice MiB | RSS MiB | rank p50 ms | p95 ms | p99 ms | max ms |",
  );
  log("|---|---|---|---|---|---|---|---|---|");
  for (const s of rows) {
    log(
      `| ${s.label} | ${s.used} | ${s.live} | ${s.indexMiB} | ${s.rssMiB} | ${s.latency.p50} | ` +
        `${s.latency.p95} | ${s.latency.p99} | ${s.latency.max} |`,
    );
  }
  const ratio = (a: number, b: number) => `${Math.round((a / b - 1) * 1000) / 10} %`;
  log(
    `\ncompattato contro nuovo build: indice ${
      ratio(afterCompaction.indexMiB, freshSnap.indexMiB)
    }, ` +
      `p95 ${ratio(afterCompaction.latency.p95, freshSnap.latency.p95)}; ` +
      `query con risposte diverse: ${differing} su ${queries.length * 2}`,
  );
  log(
    `giri: ${rounds}, lettura dei record scelti ${secs(readMs)} s, scrittura ${secs(writeMs)} s, ` +
      `aggiornamento indice ${secs(followMs)} s ` +
      `(compattazioni comprese: ${compactions.length}); ultima compattazione ` +
      `${Math.round(final.ms)} ms, blocco più lungo ${Math.round(longest)} ms; ` +
      `build iniziale ${secs(buildMs)} s, nuovo build ${secs(freshBuildMs)} s`,
  );
  const load1 = await machineLoad();
  log(`carico ${load0.load1} → ${load1.load1} su ${load1.cores} core`);
  console.log(JSON.stringify({
    bench: "index_churn",
    dossiers,
    rounds,
    roundsWanted,
    share,
    readMs: Math.round(readMs),
    writeMs: Math.round(writeMs),
    followMs: Math.round(followMs),
    rows,
    measuredAlone: alone,
    differing,
    compactions: compactions.length,
    lastCompactionMs: Math.round(final.ms),
    longestSliceMs: Math.round(longest),
    buildMs: Math.round(buildMs),
    freshBuildMs: Math.round(freshBuildMs),
  }));
}

if (import.meta.main) await main();
