/** `main.ts archive`: the central archive, the same app in the archive role with the sync API. */
import { createApp } from "../app.ts";
import { DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import { loadDemoArchive } from "../demo/demo_archive.ts";
import { configuredStamper, openConfiguredStore } from "./_documents.ts";
import { createRecordIndex } from "../search/record_index.ts";
import { buildAndFollow, createChangeFollower } from "../search/change_follower.ts";
import { warmFrequentWords } from "../search/warm_up.ts";
import { warmSearchPaths } from "./_warm_paths.ts";
import { reportFollowError } from "./serve.ts";
import { gpdOf, noticeSettingsOf, startNoticeJob } from "../pagopa/notice_job.ts";
import { loadNoticeChannels } from "../notices/settings.ts";
import { startNoticeSender } from "../notices/sender_job.ts";
import { startReminderJob } from "../notices/reminder_job.ts";
import { appIoSender } from "../notices/app_io.ts";
import { emailSender } from "../notices/email.ts";

const HELP = `Uso: main.ts archive [--port N] [--db PERCORSO|URL] [--no-demo]

Avvia l'archivio centrale (pagine di amministrazione e API /sync/v1 per le sedi).
  --port N           porta di ascolto (env PORT; predefinita 8100; 0 ne sceglie una libera)
  --db PERCORSO|URL  file del database, o URL di un server libSQL (libsql://…, http://…) con il
                     token in FALDONE_DB_AUTH_TOKEN (env FALDONE_DB; predefinito ./data/archive.db)
${DB_KEY_HELP}
  --no-demo          non caricare l'archivio dimostrativo in un database vuoto (env FALDONE_NO_DEMO=1)
Accesso dei cittadini (SPID/CIE tramite il broker OpenID Connect del Comune, /area-personale):
FALDONE_OIDC_ISSUER, FALDONE_OIDC_CLIENT_ID, FALDONE_OIDC_CLIENT_SECRET, FALDONE_PUBLIC_URL
(tutte e quattro, o nessuna; docs/ACCESS.md «Sign-in online»).
Avvisi ai cittadini (docs/NOTICES.md): App IO con FALDONE_APPIO_KEY (e FALDONE_APPIO_URL);
e-mail con FALDONE_SMTP_HOST, FALDONE_SMTP_FROM, FALDONE_SMTP_PORT, FALDONE_SMTP_SECURE=1,
FALDONE_SMTP_USER, FALDONE_SMTP_PASSWORD. FALDONE_GRANT_NOTICE_DAYS: giorni prima della scadenza
di una concessione in cui avvisare (predefinito 7).
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
  const channels = loadNoticeChannels((n) => Deno.env.get(n));
  const { db } = await openConfiguredDb(config);
  const clock = () => new Date();
  const fileStore = await openConfiguredStore(config);
  if (config.demo) {
    const loaded = await loadDemoArchive(db, clock, undefined, {
      store: fileStore,
      anchorsDir: config.trustAnchorsDir,
      clock,
    });
    if (loaded.dossiers + loaded.acts > 0) {
      console.log(
        `Archivio dimostrativo caricato: ${loaded.dossiers} pratiche, ${loaded.acts} atti`,
      );
    }
  }
  const index = createRecordIndex();
  const stamper = configuredStamper(config, fileStore);
  const app = createApp({ db, index, clock, config, fileStore, stamper });
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
  // Notices to citizens (App IO, e-mail): queued with their events, sent by this job.
  const email = channels.smtp ? emailSender(channels.smtp) : undefined;
  const noticeSender = startNoticeSender({
    db,
    clock,
    comune: config.comuneName,
    channels: { app_io: channels.appIo ? appIoSender(channels.appIo) : undefined, email },
  });
  // Reminders the day before a booking and before a grant expires: queued by the calendar.
  const reminders = startReminderJob({ db, clock, grantNoticeDays: config.grantNoticeDays });
  // Which channels are on, never with their key or password.
  console.log(
    `Avvisi ai cittadini: App IO ${channels.appIo ? "attivo" : "spento"}, e-mail ${
      channels.smtp ? `attiva (${channels.smtp.host}:${channels.smtp.port})` : "spenta"
    }`,
  );
  // An import into the archive's DB while it runs reaches its search within seconds.
  await buildAndFollow(db, index, createChangeFollower(db, index), reportFollowError);
  // Citizens search the archive's site from home: its search code compiled first (serve.ts).
  await warmSearchPaths((request) => app.fetch(request), db, index);
  await warmFrequentWords(index);
  stamper?.warmUp();
  await server.finished;
  await stamper?.close();
  await noticeJob?.stop();
  await reminders.stop();
  await noticeSender.stop();
  email?.close();
  return 0;
}
