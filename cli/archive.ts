/** `main.ts archive`: the central archive, the same app in the archive role with the sync API. */
import { createApp } from "../app.ts";
import { loadConfig, parseFlags } from "../config.ts";
import { openDb } from "../db/client.ts";
import { loadDemoArchive } from "../demo/demo_archive.ts";
import { createRecordIndex } from "../search/record_index.ts";
import { buildAndFollow, createChangeFollower } from "../search/change_follower.ts";
import { reportFollowError } from "./serve.ts";
import { gpdOf, noticeSettingsOf, startNoticeJob } from "../pagopa/notice_job.ts";

const HELP = `Uso: main.ts archive [--port N] [--db PERCORSO|URL] [--no-demo]

Avvia l'archivio centrale (pagine di amministrazione e API /sync/v1 per le sedi).
  --port N           porta di ascolto (env PORT; predefinita 8100; 0 ne sceglie una libera)
  --db PERCORSO|URL  file del database, o URL di un server libSQL (libsql://…, http://…) con il
                     token in FALDONE_DB_AUTH_TOKEN (env FALDONE_DB; predefinito ./data/archive.db)
  --no-demo          non caricare l'archivio dimostrativo in un database vuoto (env FALDONE_NO_DEMO=1)
Le sedi si registrano con \`main.ts branch add NOME --db …\`. I record importati nello stesso
database mentre è in funzione (main.ts import) entrano nella ricerca in pochi secondi.`;

/** Opens the archive DB, serves at once and builds the search index behind it. */
export async function archiveCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {});
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig("archive", values, (n) => Deno.env.get(n));
  const authToken = Deno.env.get("FALDONE_DB_AUTH_TOKEN");
  const { db } = await openDb(config.dbPath, authToken ? { authToken } : {});
  const clock = () => new Date();
  if (config.demo) {
    const loaded = await loadDemoArchive(db, clock);
    if (loaded.dossiers + loaded.acts > 0) {
      console.log(
        `Archivio dimostrativo caricato: ${loaded.dossiers} pratiche, ${loaded.acts} atti`,
      );
    }
  }
  const index = createRecordIndex();
  const app = createApp({ db, index, clock, config });
  const server = Deno.serve({
    port: config.port,
    hostname: config.hostname,
    onListen: ({ hostname, port }) =>
      console.log(`Archivio in ascolto su http://${hostname}:${port}`),
  }, app.fetch);
  // Requests waiting for payment get their pagoPA notice, registered on GPD when configured.
  const noticeSettings = noticeSettingsOf(config);
  const gpd = gpdOf(config.pagopa);
  const noticeJob = noticeSettings
    ? startNoticeJob({ db, clock, settings: noticeSettings, gpd })
    : undefined;
  if (!noticeSettings) {
    console.log("Avvisi pagoPA spenti: imposta FALDONE_ENTE_CF e FALDONE_PAGOPA_SEGREGAZIONE.");
  } else if (!gpd) {
    console.log(
      "Avvisi pagoPA senza registrazione: imposta FALDONE_GPD_URL, FALDONE_GPD_KEY, " +
        "FALDONE_PAGOPA_IBAN e FALDONE_PAGOPA_TASSONOMIA.",
    );
  }
  // An import into the archive's DB while it runs reaches its search within seconds.
  await buildAndFollow(db, index, createChangeFollower(db, index), reportFollowError);
  await server.finished;
  await noticeJob?.stop();
  return 0;
}
