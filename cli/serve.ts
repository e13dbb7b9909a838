/** `main.ts serve`: the branch kiosk on its local DB. */
import { createApp } from "../app.ts";
import { DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import { countRecords } from "../db/records.ts";
import { loadDemoArchive } from "../demo/demo_archive.ts";
import { createRecordIndex } from "../search/record_index.ts";
import { buildAndFollow, createChangeFollower } from "../search/change_follower.ts";
import { warmFrequentWords } from "../search/warm_up.ts";
import { warmSearchPaths } from "./_warm_paths.ts";
import { type CardReader, inThreadCardReader, workerCardReader } from "../search/card_reader.ts";
import { collectGarbage, releaseFreeMemoryOnGrowth } from "./_free_memory.ts";
import { DEFAULT_IDLE_COLLECTION, idleCollector } from "./_idle_collection.ts";
import { startBranchSync } from "../sync/branch_sync.ts";
import { startPinJob } from "../sync/pin_job.ts";
import { configuredStamper, loadConfiguredAnchors, openConfiguredStore } from "./_documents.ts";

const HELP = `Uso: main.ts serve [--port N] [--db PERCORSO] [--no-demo]

Avvia la postazione su http://localhost:8000 con i dati di ./data/faldone.db.
  --port N       porta di ascolto (env PORT; predefinita 8000; 0 ne sceglie una libera)
  --db PERCORSO  file del database o URL libSQL (env FALDONE_DB; predefinito ./data/faldone.db)
${DB_KEY_HELP}
  --no-demo      non caricare l'archivio dimostrativo in un database vuoto (env FALDONE_NO_DEMO=1)
  --files-root CARTELLA  il file store dei documenti (env FALDONE_FILES_ROOT; predefinito files/ accanto al DB)

Le pagine rispondono subito; /healthz dice "starting" finché l'indice di ricerca non è pronto.
I record scritti nello stesso database da un altro processo (main.ts import, main.ts sync
--once) entrano nella ricerca in pochi secondi, senza riavvio.`;

/** How often RSS is looked at, and how much it may grow before freed memory is given back. */
const FREE_MEMORY_EVERY_MS = 5_000;
const FREE_MEMORY_GROWTH_BYTES = 64 * 2 ** 20;

/** A failed round of following the DB is logged; the next round tries again. */
export function reportFollowError(error: unknown): void {
  console.error(`indice: aggiornamento dal database non riuscito: ${error}`);
}

/** Opens the DB (loading the demo into an empty one), serves at once, indexes behind it. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {});
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig("branch", values, (n) => Deno.env.get(n));
  const clock = () => new Date();
  const { db, source } = await openConfiguredDb(config);
  const fileStore = await openConfiguredStore(config);
  const index = createRecordIndex();
  // One way into the index for every change: this process's sync and other processes'
  // imports alike (followed through the DB's change sequence).
  const follower = createChangeFollower(db, index);
  const syncScheduler = startBranchSync({
    db,
    index,
    config,
    clock,
    afterRecordsChanged: () => follower.catchUp(),
    fileStore,
    anchors: await loadConfiguredAnchors(config),
  });
  const stamper = configuredStamper(config, fileStore);
  // Result cards read on the other core (card_reader.ts), for a local file: libSQL steps a
  // remote DB's queries off this thread already.
  const cardReader: CardReader | undefined = source?.url.startsWith("file:")
    ? workerCardReader(source, inThreadCardReader(db))
    : undefined;
  let warmedUp = false;
  const app = createApp({
    db,
    index,
    clock,
    config,
    syncScheduler,
    fileStore,
    stamper,
    cardReader,
    warmedUp: () => warmedUp,
  });
  // Pins that end by the calendar (a booking's day, a grant's expiry), offline too.
  const pins = startPinJob({ db, clock, branchName: config.branchName });
  const started = performance.now();
  // Young collections between requests once ready (_idle_collection.ts); the build's own
  // are V8's business.
  const idle = idleCollector({ ...DEFAULT_IDLE_COLLECTION, active: () => warmedUp });
  const server = Deno.serve({
    port: config.port,
    hostname: config.hostname,
    onListen: ({ port }) => {
      const host = config.hostname === "0.0.0.0" ? "localhost" : config.hostname;
      console.log(`Faldone in ascolto su http://${host}:${port}`);
    },
  }, async (request, info) => {
    idle?.begin();
    try {
      return await app.fetch(request, info);
    } finally {
      idle?.end();
    }
  });
  // The server answers while the demo loads and the index builds; /healthz says when
  // search is complete, and result pages warn that they may be incomplete until then.
  // A branch synced from an archive gets its records from there, never from the demo.
  if (config.demo && !config.archiveUrl) {
    const demoStarted = performance.now();
    const loaded = await loadDemoArchive(db, clock, undefined, {
      store: fileStore,
      anchorsDir: config.trustAnchorsDir,
      clock,
    });
    if (loaded.dossiers + loaded.acts > 0) {
      const seconds = ((performance.now() - demoStarted) / 1000).toFixed(1);
      console.log(
        `Archivio dimostrativo caricato: ${loaded.dossiers} pratiche, ${loaded.acts} atti, ` +
          `${loaded.files} file in ${seconds} s`,
      );
    }
  }
  // The stamping workers load their modules now, on the other core while the index builds,
  // not at the first consultation's first page nor beside the first searches once ready.
  stamper?.warmUp();
  const counts = await countRecords(db);
  // Read in a worker on its own connection, filed here: the two cores overlap (index_source.ts).
  await buildAndFollow(db, index, follower, reportFollowError, source);
  // The search pages' code compiled by V8 before the first visitor, not under them.
  const warmStarted = performance.now();
  const warmRequests = await warmSearchPaths((request) => app.fetch(request), db, index);
  const warmMs = performance.now() - warmStarted;
  // The slowest first answers (the most frequent words) are ranked ahead of anyone asking.
  // /healthz says ready only after this: at 1M the warm-up ranks for 0.15-0.3 s, and the
  // searches asked meanwhile each waited behind a word's ranking (10-60 ms).
  await warmFrequentWords(index);
  // The build freed about twice what it keeps, in V8's heap and in typed arrays' stores that
  // only a collection frees: collected now, not by V8 10-15 s later in 200-400 ms pauses
  // under the first visitors' searches. glibc keeps the stores' freed pages: the first
  // searches reuse them without faulting (_free_memory.ts); about 90 MiB at 1M.
  const rssBefore = Deno.memoryUsage().rss;
  const gcMs = collectGarbage();
  const freedMiB = Math.round((rssBefore - Deno.memoryUsage().rss) / 2 ** 20);
  warmedUp = true;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `pronto: ${counts.dossiers} pratiche e ${counts.acts} atti indicizzati in ${seconds} s` +
      (freedMiB > 0
        ? ` (${freedMiB} MiB di memoria restituiti al sistema in ${(gcMs ?? 0).toFixed(0)} ms)`
        : "") +
      (warmRequests > 0
        ? `; ${warmRequests} ricerche di riscaldamento in ${(warmMs / 1000).toFixed(1)} s`
        : ""),
  );
  // Queries allocate and free their hit lists outside V8's heap too, and syncs the rows
  // they apply: under 50 clients RSS grew by half again, and a minute of load at 1M once left
  // it at 1,338 MiB (571 MiB after a trim), past the 1 GiB target. Given back whenever it is
  // 64 MiB above the lowest it has been, looked at every 5 s: a trim takes milliseconds.
  releaseFreeMemoryOnGrowth({
    everyMs: FREE_MEMORY_EVERY_MS,
    growthBytes: FREE_MEMORY_GROWTH_BYTES,
  });
  await server.finished;
  cardReader?.close();
  await stamper?.close();
  await pins.stop();
  return 0;
}
