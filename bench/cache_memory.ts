/**
 * What the search caches do to memory under load, in-process: the index is built once from
 * an existing DB, then for each cache configuration `--clients` loops ask the benchmark's
 * queries (bench/_queries.ts, cached beside the DB) through searchRecords for `--seconds`,
 * the index version bumped before each pass over the list so every query is new to both
 * caches, as after a sync. RSS, V8's heap and the typed arrays' stores (`external`) are
 * sampled every 100 ms; printed: their peak and end, and queries per CPU second. No HTTP,
 * so the figures are the caches' and the query path's, not the server's. Not a test.
 *
 *   deno run -A bench/cache_memory.ts DB_PATH --dossiers N [--seconds 30] [--clients 16]
 *     [--configs current,nopool,hits16] [--queries N]
 */
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { collectGarbage, releaseFreeMemory } from "../cli/_free_memory.ts";
import { openDb } from "../db/client.ts";
import { HitListPool, LruMap, QueryCache } from "../search/query_cache.ts";
import { buildRecordIndex, createRecordIndex, RESULT_CARDS } from "../search/record_index.ts";
import { searchRecords } from "../search/search_records.ts";
import { parseSearchParams } from "../search/types.ts";
import { sampleDataset } from "./_dataset.ts";
import { machineLoad } from "./_measure.ts";
import type { QueryFilters } from "./_queries.ts";

interface Case {
  kind: string;
  q: string;
  filters: QueryFilters;
}

/** A cache configuration: the query cache's bounds and the result cards kept. */
interface Config {
  name: string;
  hitEntries: number;
  hitBytes: number;
  cards: number;
  /** Free stores the hit-list pool keeps for reuse (0: every evicted list goes to V8). */
  poolFree: number;
}

const MB = 2 ** 20;
const CONFIGS: Record<string, Config> = {
  current: {
    name: "current",
    hitEntries: 500,
    hitBytes: 48 * MB,
    cards: RESULT_CARDS,
    poolFree: 16 * MB,
  },
  nopool: { name: "nopool", hitEntries: 500, hitBytes: 48 * MB, cards: RESULT_CARDS, poolFree: 0 },
  hits16: {
    name: "hits16",
    hitEntries: 500,
    hitBytes: 16 * MB,
    cards: RESULT_CARDS,
    poolFree: 16 * MB,
  },
  hits16nopool: {
    name: "hits16nopool",
    hitEntries: 500,
    hitBytes: 16 * MB,
    cards: RESULT_CARDS,
    poolFree: 0,
  },
  hits4: {
    name: "hits4",
    hitEntries: 500,
    hitBytes: 4 * MB,
    cards: RESULT_CARDS,
    poolFree: 16 * MB,
  },
  cards5k: { name: "cards5k", hitEntries: 500, hitBytes: 48 * MB, cards: 5_000, poolFree: 16 * MB },
};

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      dossiers: { type: "string" },
      seconds: { type: "string" },
      clients: { type: "string" },
      configs: { type: "string" },
      queries: { type: "string" },
    },
  });
  const dbPath = positionals[0];
  if (!dbPath || !values.dossiers) {
    console.error("Usage: bench/cache_memory.ts DB_PATH --dossiers N [--seconds 30]");
    Deno.exit(2);
  }
  const dossiers = Number(values.dossiers);
  const seconds = Number(values.seconds ?? 30);
  const clients = Number(values.clients ?? 16);
  // With --queries, each config asks that many (a fixed amount of work, whatever the load).
  const queries = values.queries ? Number(values.queries) : Infinity;
  const configs = (values.configs ?? "current,hits16,hits4,cards5k").split(",").map((n) => {
    const c = CONFIGS[n];
    if (!c) throw new Error(`unknown config ${n}`);
    return c;
  });
  const path = `${dbPath}.queries-40.json`;
  let cases: Case[];
  try {
    const saved = JSON.parse(await Deno.readTextFile(path)) as { cases: Case[]; cold: Case[] };
    cases = [...saved.cases, ...saved.cold];
  } catch {
    const acts = Math.max(300, Math.floor(dossiers / 100));
    const sampler = sampleDataset({ dossiers, acts, seed: 1977 }).sampler;
    cases = [...sampler.build(40), ...sampler.build(200)];
  }
  const { db } = await openDb(dbPath);
  const index = createRecordIndex();
  const load = async () => (await machineLoad()).load1.toFixed(1);
  console.log(`build… (load ${await load()})`);
  await buildRecordIndex(db, index);
  const vocab = {
    types: [...index.table.types.values].filter(Boolean),
    actKinds: [...index.table.actKinds.values].filter(Boolean),
  };
  const clock = () => new Date();
  const params = cases.map((c) => {
    const query = new URLSearchParams({ q: c.q, per_page: "20" });
    for (const [k, v] of Object.entries(c.filters)) if (v !== undefined) query.set(k, v);
    return parseSearchParams(query, vocab);
  });
  console.log(`${params.length} queries, ${clients} clients, ${seconds} s per config`);
  console.log(
    "config         | load | q/s  | q/CPU s | RSS peak/end | heap peak/end | external peak/end",
  );
  for (const config of configs) {
    Object.assign(index, {
      cache: new QueryCache(config.hitEntries, config.hitBytes, new HitListPool(config.poolFree)),
    });
    index.cards = new LruMap(config.cards);
    index.answers.clear();
    collectGarbage();
    releaseFreeMemory();
    const peak = { rss: 0, heap: 0, external: 0 };
    let now = Deno.memoryUsage();
    const timer = setInterval(() => {
      now = Deno.memoryUsage();
      peak.rss = Math.max(peak.rss, now.rss);
      peak.heap = Math.max(peak.heap, now.heapUsed);
      peak.external = Math.max(peak.external, now.external);
    }, 100);
    // The kiosk gives free pages back every 5 s under load (cli/serve.ts): so does this.
    const trim = setInterval(() => releaseFreeMemory(), 5_000);
    const deadline = performance.now() + seconds * 1000;
    let next = 0;
    index.version++;
    let done = 0;
    const cpu0 = cpuUsage();
    const started = performance.now();
    const client = async () => {
      while (performance.now() < deadline && next < queries) {
        const i = next++ % params.length;
        // A new version before each pass: every query is new to both caches again.
        if (i === 0) index.version++;
        const p = params[i];
        if (p) await searchRecords(db, index, p, "public", clock);
        done++;
        // A server's requests yield to timers between them: the sampling and the trim run.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
    const cpu = cpuUsage(cpu0);
    const wall = (performance.now() - started) / 1000;
    clearInterval(timer);
    clearInterval(trim);
    const end = Deno.memoryUsage();
    console.log(
      `${config.name.padEnd(14)} | ${(await load()).padStart(4)} | ${
        String(Math.round(done / wall)).padStart(4)
      } | ${String(Math.round(done / ((cpu.user + cpu.system) / 1e6))).padStart(7)} | ${
        `${mib(peak.rss)}/${mib(end.rss)}`.padStart(12)
      } | ${`${mib(peak.heap)}/${mib(end.heapUsed)}`.padStart(13)} | ${
        `${mib(peak.external)}/${mib(end.external)}`.padStart(17)
      }`,
    );
  }
  Deno.exit(0);
}

if (import.meta.main) await main();
