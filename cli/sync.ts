/** `main.ts sync --once`: one sync of this branch with the archive, from the command line. */
import { ConfigError, DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import { describeSyncError, SyncAuthError, SyncProtocolError } from "../sync/errors.ts";
import { countPendingMutations, setAsideMutations } from "../sync/outbox.ts";
import { formatBytes, progressPrinter } from "../sync/progress_bar.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { createPageSizer } from "../sync/backoff.ts";

const HELP = `Usage: main.ts sync --once [--db PATH] --archive-url URL --token TOKEN

Pushes this branch's pending changes to the archive and pulls the archive's changes.
  --once             run one sync and exit (required for now)
  --db PATH          branch database (env FALDONE_DB; default ./data/faldone.db)
${DB_KEY_HELP}
  --archive-url URL  the archive, e.g. https://archivio.comune.example (env FALDONE_ARCHIVE_URL)
  --token TOKEN      this branch's token from \`main.ts branch add\` (env FALDONE_TOKEN)
  --attempts N       give up after N failed attempts in a row (default 8)
  --timeout S        seconds one request may take (default 60)
  --backoff-ms N     first retry delay in milliseconds (default 1000)
  --max-page-kb N    cap on one page or push batch, in kB of JSON (default 4096; the size
                     otherwise follows the link, aiming at a page every ~3 s)
Exit status: 0 up to date with an empty outbox, 1 archive unreachable or outbox not empty,
3 refused by the archive (token, revoked branch, protocol version).`;

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer`);
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
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.once) throw new ConfigError("sync needs --once (the kiosk syncs by itself)");
  const config = loadConfig("branch", values, (n) => Deno.env.get(n));
  if (!config.archiveUrl) {
    throw new ConfigError("--archive-url (or FALDONE_ARCHIVE_URL) is required");
  }
  if (!config.token) throw new ConfigError("--token (or FALDONE_TOKEN) is required");
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
    }, {
      maxAttempts: positiveInt(values.attempts, "--attempts", 8),
      backoffBaseMs: positiveInt(values["backoff-ms"], "--backoff-ms", 1000),
      pullSizer: sizer(),
      pushSizer: sizer(),
    });
    bar.finish();
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
