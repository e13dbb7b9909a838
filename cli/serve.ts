/** `main.ts serve`: the branch kiosk on its local DB. */
import { createApp } from "../app.ts";
import { DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import { countRecords } from "../db/records.ts";
import { loadDemoArchive } from "../demo/demo_archive.ts";
import { createRecordIndex } from "../search/record_index.ts";
import { buildAndFollow, createChangeFollower } from "../search/change_follower.ts";
import { startBranchSync } from "../sync/branch_sync.ts";

const HELP = `Usage: main.ts serve [--port N] [--db PATH] [--no-demo]

Serves the kiosk on http://localhost:8000 from ./data/faldone.db.
  --port N       port to listen on (env PORT; default 8000; 0 picks a free one)
  --db PATH      database file or libSQL URL (env FALDONE_DB; default ./data/faldone.db)
${DB_KEY_HELP}
  --no-demo      do not load the demo archive into an empty database (env FALDONE_NO_DEMO=1)

The page answers at once; /healthz says "starting" until the search index is built.
Records written to the same database by another process (main.ts import, main.ts sync
--once) reach the search within a few seconds, without a restart.`;

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
  const { db } = await openConfiguredDb(config);
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
  });
  const app = createApp({ db, index, clock, config, syncScheduler });
  const started = performance.now();
  const server = Deno.serve({
    port: config.port,
    hostname: config.hostname,
    onListen: ({ port }) => {
      const host = config.hostname === "0.0.0.0" ? "localhost" : config.hostname;
      console.log(`Faldone in ascolto su http://${host}:${port}`);
    },
  }, app.fetch);
  // The server answers while the demo loads and the index builds; /healthz says when
  // search is complete, and result pages warn that they may be incomplete until then.
  // A branch synced from an archive gets its records from there, never from the demo.
  if (config.demo && !config.archiveUrl) {
    const loaded = await loadDemoArchive(db, clock);
    if (loaded.dossiers + loaded.acts > 0) {
      console.log(
        `Archivio dimostrativo caricato: ${loaded.dossiers} pratiche, ${loaded.acts} atti`,
      );
    }
  }
  const counts = await countRecords(db);
  await buildAndFollow(db, index, follower, reportFollowError);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `pronto: ${counts.dossiers} pratiche e ${counts.acts} atti indicizzati in ${seconds} s`,
  );
  await server.finished;
  return 0;
}
