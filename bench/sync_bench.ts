/**
 * Sync benchmark (not a test): builds an archive from the demo generator, serves its sync API
 * from a child process, and measures on a fresh branch:
 * 1. first sync of an empty branch, once with pull pages in v1 (JSON) and once in v2
 *    (columnar, docs/SYNC.md): bytes on the wire vs the raw JSON of the same records, the
 *    time that takes at 2 Mbit/s, and the branch's time decoding and applying the pages;
 * 2. kiosk search p95 while a sync applies pages, vs idle;
 * 3. 1,000 changed dossiers through the throttling proxy (256 kbit/s, 600 ms RTT) vs the
 *    link limit (bytes ÷ rate + round trips).
 * Prints a table and, last, one JSON line.
 *
 *   deno run -A bench/sync_bench.ts [--dossiers 300000] [--quick] [--out DIR] [--first-sync-only]
 */
import { Hono } from "hono";
import { parseArgs } from "node:util";
import { addBranch } from "../db/branches.ts";
import { type Db, openDb } from "../db/client.ts";
import { canonicalJson, countRecords, upsertRecords } from "../db/records.ts";
import { generateArchive } from "../demo/demo_archive.ts";
import type { DossierDoc, RecordDoc } from "../domain/records.ts";
import { searchParamsOf } from "../routes/_search_query.ts";
import { readVocabularies } from "../db/vocabularies.ts";
import { buildRecordIndex, createRecordIndex } from "../search/record_index.ts";
import { searchRecords } from "../search/search_records.ts";
import { syncApi } from "../sync/api.ts";
import type { SyncClientDeps } from "../sync/client.ts";
import { recordsDigest } from "../sync/content_hash.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { followInIndex, kioskSizers } from "../sync/branch_sync.ts";
import { startFaultProxy } from "../tests/fault_proxy.ts";
import { QuerySampler } from "./_queries.ts";
import { summarize } from "./_measure.ts";

const SEED = 1977;
const ROOT = new URL("..", import.meta.url).pathname;
const encoder = new TextEncoder();

const THROTTLE = { bitsPerSecond: 256_000, rttMs: 600 };

/**
 * Child mode: serves the sync API of `dbPath`, and the throttling proxy in front of it, on
 * free ports; prints both. The proxy lives here, away from the branch, so the branch's
 * local work cannot delay the link's timers (on a real line it would not).
 */
async function serveArchive(dbPath: string): Promise<void> {
  const { db } = await openDb(dbPath);
  const api = new Hono().route("/sync/v1", syncApi({ db, clock: () => new Date() }));
  const apiServer = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, api.fetch);
  const apiUrl = `http://127.0.0.1:${apiServer.addr.port}`;
  const proxy = await startFaultProxy(apiUrl, () => ({ kind: "pass" }), THROTTLE);
  let base = { bytesDown: 0, bytesUp: 0, requests: 0 };
  const stats = () => ({
    bytesDown: proxy.bytesDown - base.bytesDown,
    bytesUp: proxy.bytesUp - base.bytesUp,
    requests: proxy.requests - base.requests,
  });
  const control = new Hono()
    .post("/reset", (c) => {
      base = { bytesDown: proxy.bytesDown, bytesUp: proxy.bytesUp, requests: proxy.requests };
      return c.json(stats());
    })
    .get("/stats", (c) => c.json(stats()));
  const controlServer = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    control.fetch,
  );
  console.log(
    `PORT ${apiServer.addr.port} PROXY ${
      new URL(proxy.url).port
    } CONTROL ${controlServer.addr.port}`,
  );
}

async function freshDb(path: string) {
  for (const s of ["", "-wal", "-shm"]) await Deno.remove(path + s).catch(() => {});
  return await openDb(path);
}

/** Builds the archive DB; returns the raw JSON bytes of its records and a query sampler. */
async function buildArchive(path: string, dossiers: number, acts: number) {
  const { db, client } = await freshDb(path);
  const sampler = new QuerySampler(dossiers);
  let rawJsonBytes = 0;
  let batch: RecordDoc[] = [];
  const now = new Date();
  for (const doc of generateArchive({ seed: SEED, dossiers, acts })) {
    sampler.observe(doc);
    rawJsonBytes += encoder.encode(canonicalJson(doc)).byteLength;
    batch.push(doc);
    if (batch.length === 1000) {
      const docs = batch;
      await db.transaction((tx) => upsertRecords(tx, docs, now));
      batch = [];
    }
  }
  if (batch.length) await db.transaction((tx) => upsertRecords(tx, batch, now));
  const token = await addBranch(db, "sede-bench", now);
  client.close();
  return { rawJsonBytes, sampler, token };
}

/** Rewrites the subject of the first `n` dossiers (skipping `skip`) on the archive. */
async function touchDossiers(path: string, n: number, skip: number, tag: string, dossiers: number) {
  const { db, client } = await openDb(path);
  const changed: DossierDoc[] = [];
  let seen = 0;
  for (const doc of generateArchive({ seed: SEED, dossiers, acts: 0 })) {
    if (doc.record !== "dossier" || seen++ < skip) continue;
    changed.push({ ...doc, subject: `${doc.subject ?? ""} ${tag}` });
    if (changed.length === n) break;
  }
  for (let i = 0; i < changed.length; i += 1000) {
    const docs = changed.slice(i, i + 1000);
    await db.transaction((tx) => upsertRecords(tx, docs, new Date()));
  }
  client.close();
}

function row(name: string, value: string, target = ""): string {
  return `| ${name.padEnd(52)} | ${value.padStart(16)} | ${target.padEnd(14)} |`;
}

/** Figures of one first sync. */
interface FirstSync {
  wire_vs_raw: number;
  wire_bytes: number;
  seconds_at_2mbit: number;
  local_seconds: number;
  apply_seconds: number;
}

/** The first-sync rows of the table, v1 then v2 pages. */
function printFirstSyncs(firstV1: FirstSync, first: FirstSync): void {
  for (const [v, f, target] of [["v1", firstV1, ""], ["v2", first, "≤ 10 %"]] as const) {
    const pct = `${(f.wire_vs_raw * 100).toFixed(1)} %`;
    console.log(row(`prima sinc. ${v}: byte in rete / JSON grezzo`, pct, target));
    console.log(row(`prima sinc. ${v}: MB in rete`, (f.wire_bytes / 1e6).toFixed(1)));
    console.log(row(`prima sinc. ${v}: tempo a 2 Mbit/s (dai byte)`, `${f.seconds_at_2mbit} s`));
    console.log(row(`prima sinc. ${v}: tempo in locale`, `${f.local_seconds} s`));
    console.log(
      row(
        `prima sinc. ${v}: decodifica e scrittura in sede`,
        `${f.apply_seconds} s`,
        v === "v2" ? `≤ v1 (${firstV1.apply_seconds} s)` : "",
      ),
    );
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      dossiers: { type: "string" },
      acts: { type: "string" },
      quick: { type: "boolean" },
      out: { type: "string" },
      "serve-archive": { type: "string" },
      "first-sync-only": { type: "boolean" },
    },
    strict: true,
  });
  if (values["serve-archive"]) {
    await serveArchive(values["serve-archive"]);
    return -1;
  }
  const dossiers = Number(values.dossiers ?? (values.quick ? 30_000 : 300_000));
  const acts = Number(values.acts ?? Math.max(300, Math.floor(dossiers / 100)));
  const out = values.out ?? `${ROOT}bench/out/sync`;
  await Deno.mkdir(out, { recursive: true });
  const archivePath = `${out}/archive.db`;
  const branchPath = `${out}/branch.db`;

  console.log(`archivio: ${dossiers} pratiche, ${acts} atti…`);
  let t = performance.now();
  const { rawJsonBytes, sampler, token } = await buildArchive(archivePath, dossiers, acts);
  console.log(`  generato in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "bench/sync_bench.ts", "--serve-archive", archivePath],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  while (!/CONTROL \d+/.test(line)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("archive child exited");
    line += value;
  }
  const archiveUrl = `http://127.0.0.1:${/PORT (\d+)/.exec(line)?.[1]}`;
  const proxyUrl = `http://127.0.0.1:${/PROXY (\d+)/.exec(line)?.[1]}`;
  const controlUrl = `http://127.0.0.1:${/CONTROL (\d+)/.exec(line)?.[1]}`;

  try {
    const { db: a, client: ac } = await openDb(archivePath);
    const archiveDigest = await recordsDigest(a);
    ac.close();
    // 1. First sync of an empty branch, v1 pages on a branch of its own, then v2 pages on
    // the branch the rest of the bench uses.
    const firstSync = async (db: Db, pageEncoding: 1 | 2) => {
      console.log(`prima sincronizzazione di una sede vuota, pagine v${pageEncoding}…`);
      const started = performance.now();
      const report = await syncOnce({
        db,
        clock: () => new Date(),
        transport: { fetch, archiveUrl, token, timeoutMs: 120_000, pageEncoding },
        onRecordsChanged: () => Promise.resolve(),
      }, {
        // The pages a kiosk asks for on its first pull (`sync --once` asks the same).
        pullSizer: kioskSizers().firstPullSizer,
      });
      const ms = performance.now() - started;
      // Every record read back from both databases and compared as canonical documents.
      const digestOk = (await recordsDigest(db)) === archiveDigest;
      console.log(`  ${(ms / 1000).toFixed(1)} s, record ${digestOk ? "uguali" : "DIVERSI"}`);
      const counts = await countRecords(db);
      return {
        records: counts.dossiers + counts.acts,
        raw_json_bytes: rawJsonBytes,
        wire_bytes: report.wireBytesReceived,
        wire_vs_raw: Number((report.wireBytesReceived / rawJsonBytes).toFixed(4)),
        pages: report.pages,
        local_seconds: Number((ms / 1000).toFixed(1)),
        apply_seconds: Number((report.applyMs / 1000).toFixed(1)),
        seconds_at_2mbit: Number(((report.wireBytesReceived * 8) / 2_000_000).toFixed(1)),
        digest_equal: digestOk,
      };
    };
    const v1Path = `${out}/branch-v1.db`;
    const v1Db = await freshDb(v1Path);
    const firstV1 = await firstSync(v1Db.db, 1);
    v1Db.client.close();
    for (const s of ["", "-wal", "-shm"]) await Deno.remove(v1Path + s).catch(() => {});

    const { db: branch, client: branchClient } = await freshDb(branchPath);
    const index = createRecordIndex();
    const deps = (url: string, indexed: boolean): SyncClientDeps => ({
      db: branch,
      clock: () => new Date(),
      transport: { fetch, archiveUrl: url, token, timeoutMs: 120_000 },
      onRecordsChanged: indexed ? (c) => followInIndex(branch, index, c) : () => Promise.resolve(),
    });
    const first = await firstSync(branch, 2);

    if (values["first-sync-only"]) {
      branchClient.close();
      console.log("");
      console.log(row("misura", "valore", "obiettivo"));
      console.log(row("-".repeat(52), "-".repeat(16), "-".repeat(14)));
      printFirstSyncs(firstV1, first);
      console.log(JSON.stringify({ dossiers, acts, first_sync: first, first_sync_v1: firstV1 }));
      return 0;
    }

    // 2. Search p95, idle and while a sync applies pages.
    console.log("indice di ricerca della sede…");
    await buildRecordIndex(branch, index);
    const queries = sampler.build(20);
    const searchOnce = async (i: number) => {
      const qc = queries[i % queries.length];
      if (!qc) return 0;
      const url = new URL("http://kiosk/");
      url.searchParams.set("q", qc.q);
      for (const [k, v] of Object.entries(qc.filters)) url.searchParams.set(k, v);
      const started = performance.now();
      const params = searchParamsOf(url.searchParams, await readVocabularies(branch));
      // Fresh queries each time: the cache would hide the cost of a busy index.
      index.cache.clear();
      index.answers.clear();
      await searchRecords(branch, index, params, "public", () => new Date());
      return performance.now() - started;
    };
    const idle: number[] = [];
    for (let i = 0; i < Math.max(200, queries.length); i++) idle.push(await searchOnce(i));
    const changedForSearch = Math.min(20_000, Math.floor(dossiers / 10));
    await touchDossiers(archivePath, changedForSearch, 0, "(RIESAME)", dossiers);
    const busy: number[] = [];
    let syncing = true;
    t = performance.now();
    // Paged as the kiosk's own scheduler pages.
    const during = syncOnce(deps(archiveUrl, true), kioskSizers())
      .finally(() => (syncing = false));
    for (let i = 0; syncing; i++) {
      busy.push(await searchOnce(i));
      // A kiosk sees a person type, not a flood: one query every 20 ms.
      await new Promise((r) => setTimeout(r, 20));
    }
    const busyReport = await during;
    const busyMs = performance.now() - t;
    const idleP95 = summarize(idle).p95;
    const busyP95 = summarize(busy).p95;

    // 3. 1,000 changed dossiers over a throttled link.
    console.log("1.000 pratiche modificate su 256 kbit/s, RTT 600 ms…");
    await touchDossiers(archivePath, 1000, changedForSearch, "(VARIANTE)", dossiers);
    await (await fetch(`${controlUrl}/reset`, { method: "POST" })).body?.cancel();
    t = performance.now();
    const slow = await syncOnce(deps(proxyUrl, true));
    const slowMs = performance.now() - t;
    const proxy: { bytesDown: number; bytesUp: number; requests: number } =
      await (await fetch(`${controlUrl}/stats`)).json();
    const linkMs = ((proxy.bytesDown + proxy.bytesUp) * 8 * 1000) / THROTTLE.bitsPerSecond +
      proxy.requests * THROTTLE.rttMs;
    branchClient.close();

    const figures = {
      dossiers,
      acts,
      first_sync: first,
      first_sync_v1: firstV1,
      search_during_sync: {
        idle_p95_ms: Number(idleP95.toFixed(2)),
        busy_p95_ms: Number(busyP95.toFixed(2)),
        ratio: Number((busyP95 / idleP95).toFixed(2)),
        queries_idle: idle.length,
        queries_busy: busy.length,
        changes_applied: busyReport.pulled,
        sync_seconds: Number((busyMs / 1000).toFixed(1)),
      },
      throttled_1000: {
        changes: slow.pulled,
        seconds: Number((slowMs / 1000).toFixed(1)),
        link_limit_seconds: Number((linkMs / 1000).toFixed(1)),
        ratio: Number((slowMs / linkMs).toFixed(2)),
        requests: proxy.requests,
        wire_bytes: proxy.bytesDown + proxy.bytesUp,
      },
    };
    console.log("");
    console.log(row("misura", "valore", "obiettivo"));
    console.log(row("-".repeat(52), "-".repeat(16), "-".repeat(14)));
    printFirstSyncs(firstV1, first);
    console.log(row("ricerca p95 a riposo", `${idleP95.toFixed(1)} ms`));
    console.log(
      row(
        `ricerca p95 durante la sinc. (${busyReport.pulled} modifiche)`,
        `${busyP95.toFixed(1)} ms`,
        "≤ 2× riposo",
      ),
    );
    console.log(row("1.000 pratiche a 256 kbit/s, RTT 600 ms", `${(slowMs / 1000).toFixed(1)} s`));
    console.log(
      row("  limite del collegamento (byte/velocità + RTT)", `${(linkMs / 1000).toFixed(1)} s`),
    );
    console.log(row("  rapporto", `${(slowMs / linkMs).toFixed(2)}×`, "≤ 1,5×"));
    console.log(JSON.stringify(figures));
    return 0;
  } finally {
    child.kill("SIGTERM");
    await reader.cancel().catch(() => {});
    await child.status;
  }
}

if (import.meta.main) {
  const code = await main();
  if (code >= 0) Deno.exit(code);
}
