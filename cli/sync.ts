/** `main.ts sync --once`: one sync of this branch with the archive, from the command line. */
import { ConfigError, DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import { describeSyncError, SyncAuthError, SyncProtocolError } from "../sync/errors.ts";
import { countPendingMutations, setAsideMutations } from "../db/outbox.ts";
import { formatBytes, progressPrinter } from "../sync/progress_bar.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { createPageSizer } from "../sync/backoff.ts";
import { createChunkSizer, runFileTransfers } from "../sync/file_transfer.ts";
import { loadConfiguredAnchors, openConfiguredStore } from "./_documents.ts";

const HELP = `Uso: main.ts sync --once [--db PERCORSO] --archive-url URL --token TOKEN

Invia all'archivio le modifiche di questa sede in attesa e riceve quelle dell'archivio.
  --once             una sola sincronizzazione, poi esce (per ora obbligatorio)
  --db PERCORSO      database della sede (env FALDONE_DB; predefinito ./data/faldone.db)
${DB_KEY_HELP}
  --archive-url URL  l'archivio, es. https://archivio.comune.example (env FALDONE_ARCHIVE_URL)
  --token TOKEN      il token della sede da \`main.ts branch add\` (env FALDONE_TOKEN)
  --attempts N       rinuncia dopo N tentativi falliti di fila (predefinito 8)
  --timeout S        secondi concessi a una richiesta (predefinito 60)
  --backoff-ms N     attesa prima del primo nuovo tentativo, in millisecondi (predefinito 1000)
  --max-page-kb N    limite di una pagina o di un invio, in kB di JSON (predefinito 4096;
                     altrimenti la dimensione segue la linea, circa una pagina ogni 3 s)
  --max-chunk-kb N   limite di un blocco di byte dei documenti, in kB (predefinito 8192)
  --no-files         non trasferire i file dei documenti (solo le schede)
  --files-root CARTELLA  il file store dei documenti (predefinito files/ accanto al DB)
Codice di uscita: 0 allineata e nulla da inviare, 1 archivio irraggiungibile o modifiche
ancora da inviare, 3 rifiutata dall'archivio (token, sede revocata, versione del protocollo).`;

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    throw new ConfigError(`${name} deve essere un numero intero positivo`);
  }
  return n;
}

/** Runs one sync; the exit code says whether the branch is now up to date. */
export async function syncCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    once: { type: "boolean" },
    attempts: { type: "string" },
    timeout: { type: "string" },
    "backoff-ms": { type: "string" },
    "max-page-kb": { type: "string" },
    "max-chunk-kb": { type: "string" },
    "no-files": { type: "boolean" },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.once) {
    throw new ConfigError("sync richiede --once (la postazione si sincronizza da sé)");
  }
  const config = loadConfig("branch", values, (n) => Deno.env.get(n));
  if (!config.archiveUrl) {
    throw new ConfigError("serve --archive-url (o FALDONE_ARCHIVE_URL)");
  }
  if (!config.token) throw new ConfigError("serve --token (o FALDONE_TOKEN)");
  const maxPage = positiveInt(values["max-page-kb"], "--max-page-kb", 4096) * 1024;
  const sizer = () =>
    createPageSizer({ max: maxPage, initial: Math.min(maxPage, 64 * 1024), min: 4096 });
  const { db, client } = await openConfiguredDb(config);
  const bar = progressPrinter(Deno.stdout);
  try {
    const report = await syncOnce({
      db,
      clock: () => new Date(),
      transport: {
        fetch,
        archiveUrl: config.archiveUrl,
        token: config.token,
        timeoutMs: positiveInt(values.timeout, "--timeout", 60) * 1000,
      },
      // A running kiosk on the same DB rebuilds its index at start; this process has none.
      onRecordsChanged: () => Promise.resolve(),
      onProgress: bar.onProgress,
      branchName: config.branchName,
    }, {
      maxAttempts: positiveInt(values.attempts, "--attempts", 8),
      backoffBaseMs: positiveInt(values["backoff-ms"], "--backoff-ms", 1000),
      pullSizer: sizer(),
      pushSizer: sizer(),
    });
    bar.finish();
    if (!values["no-files"]) {
      // Bytes after records (docs/SYNC.md "Files"): a file that cannot come now waits, stalled,
      // and does not change the exit code, which is about the records.
      const files = await runFileTransfers({
        db,
        store: await openConfiguredStore(config),
        transport: {
          fetch,
          archiveUrl: config.archiveUrl,
          token: config.token,
          timeoutMs: positiveInt(values.timeout, "--timeout", 60) * 1000,
        },
        clock: () => new Date(),
        budgetBytes: config.filesBudgetMb * 1_000_000,
        anchors: await loadConfiguredAnchors(config),
        branchName: config.branchName,
      }, {
        maxAttempts: positiveInt(values.attempts, "--attempts", 8),
        backoffBaseMs: positiveInt(values["backoff-ms"], "--backoff-ms", 250),
        sizer: createChunkSizer(positiveInt(values["max-chunk-kb"], "--max-chunk-kb", 8192) * 1024),
      });
      console.log(
        `File: ${files.downloaded} ricevuti, ${files.uploaded} inviati, ${files.stalled} in attesa` +
          (files.evicted > 0 ? `, ${files.evicted} rimossi per lo spazio` : "") + ".",
      );
    }
    console.log(
      `Sincronizzazione completata: ${report.pulled} modifiche ricevute, ${report.pushed} inviate, ` +
        `${formatBytes(report.wireBytesReceived)} ricevuti, ${
          formatBytes(report.bytesSent)
        } inviati.`,
    );
    const aside = await setAsideMutations(db);
    for (const m of aside) {
      console.error(`Messa da parte n. ${m.number} (${m.entity} ${m.entityId}): ${m.reason}`);
    }
    const pending = await countPendingMutations(db);
    if (pending > 0) {
      console.error(`Restano ${pending} modifiche da inviare.`);
      return 1;
    }
    return 0;
  } catch (err) {
    bar.finish();
    console.error(`Errore: ${describeSyncError(err)}`);
    return err instanceof SyncAuthError || err instanceof SyncProtocolError ? 3 : 1;
  } finally {
    client.close();
  }
}
