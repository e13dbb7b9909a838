/**
 * Each query kind's first-time path, timed in-process: the index is built once from an
 * existing DB (the benchmark's, e.g. bench/out/kiosk-1000000.db), then the benchmark's
 * queries are asked through searchRecords one at a time, as /api/search asks them, with the
 * time split into ranking (identifier lookup, words, streets, ordering the top), the view
 * (filters and facet counts) and the page's cards. No HTTP, so far less sensitive to a busy
 * machine than the HTTP benchmark; the same queries (bench/_queries.ts, the generator walked
 * again and kept in `<db>.queries.json`). Not a test.
 *
 *   deno run -A --v8-flags=--expose-gc bench/query_paths.ts DB_PATH --dossiers N
 *     [--per-kind 40] [--passes 1] [--cold 5] [--card-worker]
 *
 * `--card-worker` reads the result cards in a worker on its own connection, as the server
 * does (search/card_reader.ts), and the cold rounds take turns without and with it. The cold
 * set also prints the main thread's own CPU (from /proc), which is what bounds throughput
 * when the other core is free.
 */
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { openDb, toDbUrl } from "../db/client.ts";
import { lookupIdentifiers, rankedKey, rankQuery } from "../search/rank_query.ts";
import { readSearchKeys } from "../search/hit_reader.ts";
import { buildRecordIndex, createRecordIndex, indexFoundRecords } from "../search/record_index.ts";
import { searchRecords } from "../search/search_records.ts";
import { inThreadCardReader, workerCardReader } from "../search/card_reader.ts";
import { parseSearchParams } from "../search/types.ts";
import { sampleDataset } from "./_dataset.ts";
import { machineLoad, summarize } from "./_measure.ts";
import type { QueryFilters } from "./_queries.ts";

interface Case {
  kind: string;
  q: string;
  filters: QueryFilters;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** The benchmark's queries for an archive of `dossiers`, cached beside the DB. */
async function casesOf(dbPath: string, dossiers: number, perKind: number) {
  const path = `${dbPath}.queries-${perKind}.json`;
  try {
    return JSON.parse(await Deno.readTextFile(path)) as { cases: Case[]; cold: Case[] };
  } catch {
    const acts = Math.max(300, Math.floor(dossiers / 100));
    const sampler = sampleDataset({ dossiers, acts, seed: 1977 }).sampler;
    const strip = (list: Case[]) => list.map(({ kind, q, filters }) => ({ kind, q, filters }));
    const out = {
      cases: interleave(strip(sampler.build(perKind))),
      cold: interleave(strip(sampler.build(perKind * 5))),
    };
    await Deno.writeTextFile(path, JSON.stringify(out));
    return out;
  }
}

/** Kinds taken in turn (as search_bench.ts does). */
function interleave(cases: Case[]): Case[] {
  const byKind = new Map<string, Case[]>();
  for (const c of cases) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
  const out: Case[] = [];
  for (let i = 0; out.length < cases.length; i++) {
    for (const list of byKind.values()) {
      const c = list[i];
      if (c) out.push(c);
    }
  }
  return out;
}

/** The main thread's own CPU time (Linux /proc, 10 ms ticks; 0 elsewhere). */
async function mainThreadCpuMs(): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/self/task/${Deno.pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, fields 14 and 15 of the line (11 and 12 after the name).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      dossiers: { type: "string" },
      "per-kind": { type: "string" },
      passes: { type: "string" },
      cold: { type: "string" },
      "card-worker": { type: "boolean" },
    },
  });
  const dbPath = positionals[0];
  if (!dbPath || !values.dossiers) {
    console.error("Usage: bench/query_paths.ts DB_PATH --dossiers N [--per-kind 40]");
    Deno.exit(2);
  }
  const dossiers = Number(values.dossiers);
  const perKind = Number(values["per-kind"] ?? 40);
  const passes = Number(values.passes ?? 1);
  const coldRounds = Number(values.cold ?? 1);
  const { cases, cold } = await casesOf(dbPath, dossiers, perKind);
  const { db, client } = await openDb(dbPath);
  const index = createRecordIndex();
  const reader = values["card-worker"]
    ? workerCardReader({ url: toDbUrl(dbPath) }, inThreadCardReader(db))
    : undefined;
  const load = async () => (await machineLoad()).load1.toFixed(1);
  console.log(`build… (load ${await load()})`);
  const t0 = performance.now();
  await buildRecordIndex(db, index);
  console.log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s (load ${await load()})`);
  const vocab = { types: [...index.table.types.values].filter(Boolean), actKinds: [] as string[] };
  vocab.actKinds = [...index.table.actKinds.values].filter(Boolean);
  const clock = () => new Date();
  const paramsOf = (c: Case) => {
    const query = new URLSearchParams({ q: c.q, per_page: "20" });
    for (const [k, v] of Object.entries(c.filters)) if (v !== undefined) query.set(k, v);
    return parseSearchParams(query, vocab);
  };
  // Warm-up as the HTTP bench does (JIT), on queries outside the set.
  for (const q of ["xqzw", "vqzw", "prot. 1 del 1950"]) {
    await searchRecords(db, index, paramsOf({ kind: "", q, filters: {} }), "public", clock);
  }

  /** One query's first-time path, split into its phases (ms). */
  const firstTime = async (c: Case) => {
    const params = paramsOf(c);
    const cpu0 = cpuUsage();
    const a = performance.now();
    const q = params.q.replace(/\s+/g, " ").trimStart();
    const identifiers = await lookupIdentifiers(
      (keys) => readSearchKeys(db, keys),
      q,
      2026,
      index.table.actKindTitles,
    );
    if (identifiers) await indexFoundRecords(db, index, identifiers.rows);
    const b = performance.now();
    const ranked = rankQuery(index, q, "public", identifiers);
    index.cache.set(rankedKey(index, q, "public"), ranked);
    const r = performance.now();
    const found = await searchRecords(db, index, params, "public", clock, reader);
    const e = performance.now();
    const cpu = cpuUsage(cpu0);
    return {
      lookup: b - a,
      rank: r - b,
      rest: e - r,
      total: e - a,
      cpu: (cpu.user + cpu.system) / 1000,
      hits: found.total,
    };
  };

  for (let pass = 0; pass < passes; pass++) {
    index.cache.clear();
    index.answers.clear();
    index.cards.clear();
    gc?.();
    const rows = new Map<string, { [k: string]: number[] }>();
    const started = performance.now();
    const cpuFirst = cpuUsage();
    for (const c of cases) {
      const t = await firstTime(c);
      const row = rows.get(c.kind) ?? {
        lookup: [],
        rank: [],
        rest: [],
        total: [],
        cpu: [],
        hits: [],
      };
      for (const k of Object.keys(row)) row[k]?.push(t[k as keyof typeof t]);
      rows.set(c.kind, row);
    }
    const firstMs = performance.now() - started;
    const firstCpu = cpuUsage(cpuFirst);
    const repeat = new Map<string, number[]>();
    const repeatCpu = new Map<string, number[]>();
    for (const c of cases) {
      const params = paramsOf(c);
      const cpu0 = cpuUsage();
      const a = performance.now();
      await searchRecords(db, index, params, "public", clock, reader);
      const ms = performance.now() - a;
      const cpu = cpuUsage(cpu0);
      repeat.set(c.kind, [...(repeat.get(c.kind) ?? []), ms]);
      repeatCpu.set(c.kind, [...(repeatCpu.get(c.kind) ?? []), (cpu.user + cpu.system) / 1000]);
    }
    console.log(
      `\npass ${pass + 1}: ${cases.length} queries first time in ${firstMs.toFixed(0)} ms ` +
        `(${(cases.length / (firstMs / 1000)).toFixed(0)} q/s), CPU ${
          ((firstCpu.user + firstCpu.system) / 1000).toFixed(0)
        } ms (load ${await load()})`,
    );
    console.log(
      "kind           total p50/p95/max   CPU p50/p95  rank p50/p95   view+cards p50/p95  lookup p95  hits p50  repeated p50/p95  CPU p50/p95",
    );
    for (const [kind, row] of rows) {
      const s = (k: string) => summarize(row[k] ?? []);
      const rep = summarize(repeat.get(kind) ?? []);
      const repCpu = summarize(repeatCpu.get(kind) ?? []);
      const hits = [...(row.hits ?? [])].sort((x, y) => x - y);
      console.log(
        `${kind.padEnd(14)} ${s("total").p50}/${s("total").p95}/${s("total").max}`.padEnd(34) +
          `${s("cpu").p50}/${s("cpu").p95}`.padEnd(13) +
          `${s("rank").p50}/${s("rank").p95}`.padEnd(15) +
          `${s("rest").p50}/${s("rest").p95}`.padEnd(20) +
          `${s("lookup").p95}`.padEnd(12) +
          `${hits[Math.floor(hits.length / 2)] ?? 0}`.padEnd(10) +
          `${rep.p50}/${rep.p95}`.padEnd(18) +
          `${repCpu.p50}/${repCpu.p95}`,
      );
    }
  }
  for (let round = 0; round < coldRounds; round++) {
    index.cache.clear();
    index.answers.clear();
    index.cards.clear();
    gc?.();
    const a = performance.now();
    const cpu0 = cpuUsage();
    const main0 = await mainThreadCpuMs();
    const cards = round % 2 === 1 ? reader : undefined;
    for (const c of cold) await searchRecords(db, index, paramsOf(c), "public", clock, cards);
    const ms = performance.now() - a;
    const cpu = cpuUsage(cpu0);
    const mainMs = (await mainThreadCpuMs()) - main0;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `cold set${cards ? " (cards in a worker)" : ""}: ${cold.length} distinct queries in ${
        ms.toFixed(0)
      } ms, ` +
        `${(cold.length / (ms / 1000)).toFixed(0)} q/s on one thread; CPU ${
          cpuMs.toFixed(0)
        } ms, ` +
        `${(cold.length / (cpuMs / 1000)).toFixed(0)} q/s per CPU second; main thread ${
          mainMs.toFixed(0)
        } ms, ${(cold.length / (mainMs / 1000)).toFixed(0)} q/s per main-thread CPU second ` +
        `(load ${await load()})`,
    );
  }
  reader?.close();
  client.close();
}

if (import.meta.main) await main();
