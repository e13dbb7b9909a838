/**
 * The soak of issue 14: "RSS after 30 min of mixed load and syncs". While a few clients
 * search, the kiosk syncs with a central archive over loopback, as a branch does: its own
 * scheduler (`main.ts serve --archive-url … --token …`) pulls the records the benchmark
 * changes on the archive, and its change follower files them into the index (compacting if
 * due). RSS is read every few seconds; the report gives the end, the peak and a trace.
 *
 * Same start on both sides: the archive is a byte copy of the kiosk's DB (the same imported
 * records, the same change numbers), registered with a branch token, and the kiosk's copy
 * gets the archive's head as its sync cursor, as if its last sync had just reached it. The
 * benchmark's own DB is never written: both sides are copies, removed at the end.
 *
 * The archive's sync API runs in a child process of this module (no search index there,
 * as `main.ts archive` would build one of its own): `deno run -A bench/_soak.ts
 * --serve-archive DB` prints `PORT n`.
 */
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import { addBranch } from "../db/branches.ts";
import { openDb } from "../db/client.ts";
import { readChangeSeq } from "../db/record_changes.ts";
import { readRecords, upsertRecords } from "../db/records.ts";
import type { DossierDoc } from "../domain/records.ts";
import { syncApi } from "../sync/api.ts";
import { readSyncState, writeCursor } from "../sync/sync_state.ts";
import { measureThroughput, type ThroughputFigures } from "./_http_load.ts";
import type { Kiosk } from "./_kiosk.ts";
import { memoryOf, pause } from "./_measure.ts";
import type { QueryCase } from "./_queries.ts";

const ROOT = new URL("..", import.meta.url).pathname;
/** The word every changed subject gains: a search for it counts what the index filed. */
export const SOAK_WORD = "variantesoak";
/** Share of the dossiers changed on the archive over the whole soak, in several rounds. */
const CHANGED_SHARE = 0.02;
const SAMPLE_MS = 5_000;

/** The two copies, the archive's API and what the kiosk needs to sync with it. */
export interface SoakSetup {
  kioskDbPath: string;
  archivePath: string;
  archiveUrl: string;
  token: string;
  /** The archive's change number both sides start at. */
  head: number;
  intervalMinutes: number;
  /** Environment for `main.ts serve`: the archive, the token, the sync interval. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** What the soak measured. */
export interface SoakFigures {
  minutes: number;
  clients: number;
  load: ThroughputFigures;
  syncIntervalMinutes: number;
  /** Sync runs the kiosk completed (each marks its pull done), with or without changes. */
  syncRuns: number;
  /** Rounds of changes written on the archive, and the dossiers changed in all. */
  changeRounds: number;
  recordsChanged: number;
  /** Of those, the ones the public may see (not restricted): a public search finds these. */
  publicChanged: number;
  /** Changes the kiosk's cursor moved past (the archive's change numbers it applied). */
  changesPulled: number;
  /** Hits of a search for SOAK_WORD at the end: the changed records the index holds. */
  foundBySearch: number;
  /** The kiosk's last sync error, if any, and its log lines about errors and compactions. */
  syncError: string | undefined;
  kioskErrors: string[];
  compactions: number;
  rssEndMiB: number;
  rssPeakMiB: number;
  /** RSS at the end of each minute of the soak. */
  traceMiB: number[];
}

async function copyDb(from: string, to: string): Promise<void> {
  // The WAL holds committed pages not yet in the main file: folded in before copying.
  const { client } = await openDb(from);
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();
  for (const s of ["", "-wal", "-shm"]) await Deno.remove(to + s).catch(() => {});
  await Deno.copyFile(from, to);
}

/** Reads the child's stdout until it printed its port. */
async function portOf(child: Deno.ChildProcess): Promise<number> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/PORT \d+/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the archive's sync API exited before listening");
    text += value;
  }
  reader.releaseLock();
  return Number(/PORT (\d+)/.exec(text)?.[1]);
}

/**
 * Copies `dbPath` into a kiosk DB and an archive DB in `outDir`, registers a branch on the
 * archive, sets the kiosk's cursor to the archive's head and serves the archive's sync API.
 */
export async function prepareSoak(
  dbPath: string,
  outDir: string,
  minutes: number,
  log: (line: string) => void,
): Promise<SoakSetup> {
  const kioskDbPath = `${outDir}/soak-kiosk.db`;
  const archivePath = `${outDir}/soak-archive.db`;
  log("soak: copie del DB per la sede e per l'archivio…");
  await copyDb(dbPath, kioskDbPath);
  await Deno.copyFile(kioskDbPath, archivePath);
  const now = new Date();
  const archive = await openDb(archivePath);
  const token = await addBranch(archive.db, "sede-soak", now);
  const head = await readChangeSeq(archive.db);
  archive.client.close();
  const kiosk = await openDb(kioskDbPath);
  await writeCursor(kiosk.db, head, now);
  kiosk.client.close();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "bench/_soak.ts", "--serve-archive", archivePath],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const port = await portOf(child);
  const archiveUrl = `http://127.0.0.1:${port}`;
  // A sync every fifth of the soak (whole minutes: the kiosk's setting), so the change
  // rounds below reach the kiosk in several syncs.
  const intervalMinutes = Math.max(1, Math.floor(minutes / 6));
  return {
    kioskDbPath,
    archivePath,
    archiveUrl,
    token,
    head,
    intervalMinutes,
    env: {
      FALDONE_ARCHIVE_URL: archiveUrl,
      FALDONE_TOKEN: token,
      FALDONE_SYNC_MINUTES: String(intervalMinutes),
    },
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
      for (const path of [kioskDbPath, archivePath]) {
        for (const s of ["", "-wal", "-shm"]) await Deno.remove(path + s).catch(() => {});
      }
    },
  };
}

/**
 * Changes `n` dossiers on the archive (round `round` of `rounds`: every round takes other
 * dossiers), each subject gaining SOAK_WORD; returns how many were written.
 */
async function changeOnArchive(
  archivePath: string,
  round: number,
  rounds: number,
  n: number,
): Promise<{ changed: number; publicChanged: number }> {
  const { db, client } = await openDb(archivePath);
  try {
    // Spread over the archive by rowid, a different residue each round: no dossier twice.
    const stride = Math.max(rounds, Math.floor(1 / CHANGED_SHARE));
    const rows = await db.all<{ id: string }>(
      sql`SELECT id FROM dossiers WHERE rowid % ${stride} = ${round} LIMIT ${n}`,
    );
    const docs = await readRecords(db, "dossier", rows.map((r) => r.id)) as DossierDoc[];
    const changed = docs.map((d) => ({ ...d, subject: `${d.subject ?? ""} ${SOAK_WORD}` }));
    for (let i = 0; i < changed.length; i += 1000) {
      const part = changed.slice(i, i + 1000);
      await db.transaction((tx) => upsertRecords(tx, part, new Date()));
    }
    // Public search reads a dossier's public subject where it has one (the names blanked by
    // hand), not the subject changed here: only the others show the word to the public.
    const publicChanged = changed.filter((d) => !d.restricted && d.subjectPublic === undefined);
    return { changed: changed.length, publicChanged: publicChanged.length };
  } finally {
    client.close();
  }
}

/** Total hits of `q` on the kiosk's public search. */
async function totalOf(base: string, q: string): Promise<number> {
  const res = await fetch(`${base}/api/search?per_page=1&q=${encodeURIComponent(q)}`);
  const body = await res.json() as { total?: number };
  return res.ok ? body.total ?? 0 : Number.NaN;
}

/**
 * `minutes` of mixed load from `clients` (the cases in turn, spread over the list) while
 * the archive changes 2 % of `dossiers` in rounds the kiosk's scheduler pulls; RSS sampled.
 */
export async function runSoak(
  kiosk: Kiosk,
  setup: SoakSetup,
  cases: QueryCase[],
  o: { minutes: number; clients: number; dossiers: number; log: (line: string) => void },
): Promise<SoakFigures> {
  const interval = setup.intervalMinutes;
  // The last round is written an interval before the end, so its sync lands in the soak.
  const rounds = Math.max(1, Math.floor(o.minutes / interval) - 1);
  const perRound = Math.ceil((o.dossiers * CHANGED_SHARE) / rounds);
  o.log(
    `soak: ${o.minutes} min, ${o.clients} client, ${rounds} giri di ${perRound} pratiche ` +
      `modificate sull'archivio, sinc. ogni ${interval} min…`,
  );
  const started = performance.now();
  const deadline = started + o.minutes * 60_000;
  const load = measureThroughput(kiosk.base, cases, o.clients, o.minutes * 60, { spread: true });
  const kioskDb = await openDb(setup.kioskDbPath);
  let recordsChanged = 0;
  let publicChanged = 0;
  let round = 0;
  let peak = 0;
  let last = 0;
  const traceMiB: number[] = [];
  const pulls = new Set<string>();
  const sampleSync = async () => {
    const state = await readSyncState(kioskDb.db);
    if (state.lastPullAt) pulls.add(state.lastPullAt);
    return state;
  };
  while (performance.now() < deadline) {
    const elapsedMin = (performance.now() - started) / 60_000;
    // Round r is written a quarter interval after the r-th interval began.
    if (round < rounds && elapsedMin >= (round + 0.25) * interval) {
      const wrote = await changeOnArchive(setup.archivePath, round, rounds, perRound);
      recordsChanged += wrote.changed;
      publicChanged += wrote.publicChanged;
      round++;
      o.log(`  ${elapsedMin.toFixed(1)} min: giro ${round}, ${wrote.changed} pratiche modificate`);
    }
    const { rssMiB } = await memoryOf(kiosk.pid).catch(() => ({ rssMiB: Number.NaN }));
    if (rssMiB > peak) peak = rssMiB;
    last = rssMiB;
    const state = await sampleSync();
    if (Math.floor(elapsedMin) >= traceMiB.length + 1) {
      traceMiB.push(rssMiB);
      o.log(
        `  ${traceMiB.length} min: RSS ${rssMiB} MiB (picco ${peak}), cursore ` +
          `+${state.cursor - setup.head}`,
      );
    }
    await pause(Math.min(SAMPLE_MS, Math.max(0, deadline - performance.now())));
  }
  const figures = await load;
  const state = await sampleSync();
  kioskDb.client.close();
  const { rssMiB } = await memoryOf(kiosk.pid);
  if (traceMiB.length < o.minutes) traceMiB.push(rssMiB);
  const foundBySearch = await totalOf(kiosk.base, SOAK_WORD);
  o.log(
    `  ${figures.requests} ricerche, ${figures.errors} errori; RSS ${rssMiB} MiB (picco ${
      Math.max(peak, last, rssMiB)
    }); ${
      state.cursor - setup.head
    } modifiche applicate, ${foundBySearch} trovate di ${publicChanged} pubbliche`,
  );
  return {
    minutes: o.minutes,
    clients: o.clients,
    load: figures,
    syncIntervalMinutes: interval,
    syncRuns: pulls.size,
    changeRounds: round,
    recordsChanged,
    publicChanged,
    changesPulled: state.cursor - setup.head,
    foundBySearch,
    syncError: state.lastError ?? undefined,
    kioskErrors: kiosk.log.filter((l) => /error|errore|non riuscit/i.test(l)).slice(0, 5),
    compactions: kiosk.log.filter((l) => l.includes("compattazione")).length,
    rssEndMiB: rssMiB,
    rssPeakMiB: Math.max(peak, rssMiB),
    traceMiB,
  };
}

/** Child mode: the archive's sync API on `dbPath`, on a free loopback port. */
async function serveArchive(dbPath: string): Promise<void> {
  const { db } = await openDb(dbPath);
  const api = new Hono().route("/sync/v1", syncApi({ db, clock: () => new Date() }));
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, api.fetch);
  console.log(`PORT ${server.addr.port}`);
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--serve-archive");
  const path = Deno.args[i + 1];
  if (i < 0 || !path) {
    console.error("uso: deno run -A bench/_soak.ts --serve-archive DB");
    Deno.exit(2);
  }
  await serveArchive(path);
}
