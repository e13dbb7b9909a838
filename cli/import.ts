/** `main.ts import FILE.jsonl`: streams a JSONL file into the local database. */
import { DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import { importJsonl, importJsonlFile, type ImportSummary } from "../db/import.ts";
import type { ImportFilesOptions } from "../db/_import_files.ts";
import { FileStoreError } from "../documents/file_store.ts";
import { loadConfiguredAnchors, openConfiguredStore } from "./_documents.ts";

const HELP = `Uso: main.ts import FILE.jsonl [--db PERCORSO] [--files CARTELLA]

Importa pratiche e atti da un file JSONL (formato: docs/IMPORT.md); "-" legge da stdin.
Le righe errate sono scartate e segnalate con il loro numero; le altre vengono importate.
Reimportare lo stesso file non cambia nulla.
I file dei documenti (documents[].file, attachments[].file) sono cercati nella cartella
del JSONL: quelli presenti sono verificati e copiati nel file store, quelli assenti restano
solo metadati. Con --files CARTELLA sono cercati in quella cartella e devono esserci tutti.
  --db PERCORSO     file del database o URL libSQL (env FALDONE_DB; predefinito ./data/faldone.db)
${DB_KEY_HELP}
  --files CARTELLA  cartella a cui sono relativi i nomi dei file; ogni file nominato deve esserci
  --no-files        importa solo i metadati, senza cercare alcun file
  --files-root CARTELLA  il file store (env FALDONE_FILES_ROOT; predefinito files/ accanto al DB)

Codice di uscita: 0 tutte le righe importate, 1 alcune righe scartate, 2 file illeggibile o
uso errato.`;

/** How many rejected lines and warnings are printed before "… e altre N". */
const SHOWN = 20;

/** The summary as printed at the end of an import. */
export function formatSummary(s: ImportSummary): string {
  const lines = [
    `Nuove: ${s.inserted}  Aggiornate: ${s.updated}  Invariate: ${s.unchanged}  ` +
    `Rifiutate: ${s.rejected}  Avvisi: ${s.warnings}`,
  ];
  const list = (title: string, messages: string[], total: number) => {
    if (total === 0) return;
    lines.push("", `${title}:`, ...messages.slice(0, SHOWN).map((m) => `  ${m}`));
    if (total > SHOWN) lines.push(`  … e altre ${total - SHOWN}`);
  };
  if (s.files) {
    lines.push(
      `File copiati: ${s.files.stored} (${
        megabytes(s.files.bytes)
      })  Già presenti: ${s.files.known}` +
        `  Assenti (solo metadati): ${s.files.absent}`,
    );
  }
  list("Righe rifiutate", s.errors, Math.max(s.rejected, s.errors.length));
  list("Avvisi (righe importate)", s.warningMessages, s.warnings);
  return lines.join("\n");
}

function megabytes(n: number): string {
  return `${(n / 1_000_000).toLocaleString("it-IT", { maximumFractionDigits: 1 })} MB`;
}

function progressBar(bytes: number, total: number, lines: number, fileBytes: number): string {
  const ratio = total > 0 ? Math.min(1, bytes / total) : 0;
  const width = 30;
  const done = Math.round(ratio * width);
  return `\r[${"#".repeat(done)}${".".repeat(width - done)}] ${(ratio * 100).toFixed(0)}%  ` +
    `${lines.toLocaleString("it-IT")} righe` +
    (fileBytes > 0 ? `, ${megabytes(fileBytes)} di file` : "");
}

/** Runs the import command; returns the exit status. */
export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    files: { type: "string" },
    "no-files": { type: "boolean" },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const path = positionals[0];
  if (!path || positionals.length > 1) {
    console.error(`Indicare un solo file da importare.\n\n${HELP}`);
    return 2;
  }
  let size = 0;
  if (path !== "-") {
    try {
      const info = await Deno.stat(path);
      // A folder opens fine on Linux; its first read would fail inside the import's worker.
      if (info.isDirectory) throw new Deno.errors.IsADirectory(path);
      size = info.size;
      // Opened once here so an unreadable file is reported before the database is touched.
      (await Deno.open(path)).close();
    } catch (err) {
      console.error(`Impossibile leggere ${path}: ${unreadableReason(err)}`);
      return 2;
    }
  }
  const config = loadConfig("branch", values, (n) => Deno.env.get(n));
  // Files: from --files DIR (all required), else from the JSONL's folder (those present).
  const filesDir = values["no-files"]
    ? undefined
    : values.files ?? (path === "-" ? undefined : folderOf(path));
  if (values.files !== undefined) {
    try {
      if (!(await Deno.stat(values.files)).isDirectory) throw new Error("not a directory");
    } catch {
      console.error(`--files: ${values.files} non è una cartella leggibile`);
      return 2;
    }
  }
  const tty = Deno.stdout.isTerminal();
  const encoder = new TextEncoder();
  let linesDone = 0;
  let jsonlBytes = 0;
  let fileBytes = 0;
  const show = () => {
    if (tty) {
      Deno.stdout.writeSync(encoder.encode(progressBar(jsonlBytes, size, linesDone, fileBytes)));
    }
  };
  let files: ImportFilesOptions | undefined;
  if (filesDir !== undefined) {
    try {
      files = {
        store: await openConfiguredStore(config),
        root: filesDir,
        strict: values.files !== undefined,
        anchors: await loadConfiguredAnchors(config),
        onProgress: (bytes) => {
          fileBytes = bytes;
          show();
        },
      };
    } catch (err) {
      if (err instanceof FileStoreError) {
        console.error(`File store ${config.filesRoot}: ${err.message}`);
        return 2;
      }
      throw err;
    }
  }
  const { db, client } = await openConfiguredDb(config);
  try {
    const options = {
      clock: () => new Date(),
      onProgress: (lines: number, bytes: number) => {
        linesDone = lines;
        jsonlBytes = bytes;
        show();
      },
      ...(files ? { files } : {}),
    };
    // A named file is read by the import's worker itself (faster than forwarding a stream).
    const summary = path === "-"
      ? await importJsonl(db, Deno.stdin.readable, options)
      : await importJsonlFile(db, path, options);
    if (tty) Deno.stdout.writeSync(encoder.encode("\n"));
    console.log(formatSummary(summary));
    return summary.rejected > 0 ? 1 : 0;
  } finally {
    client.close();
  }
}

/** The folder a file path is in ("." for a bare name). */
function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
}

/** Why a file cannot be read, in Italian (Deno's own messages are English, with OS codes). */
function unreadableReason(err: unknown): string {
  if (err instanceof Deno.errors.NotFound) return "il file non esiste";
  if (err instanceof Deno.errors.PermissionDenied) return "permesso negato";
  if (err instanceof Deno.errors.IsADirectory) return "è una cartella, non un file";
  return err instanceof Error ? err.message : String(err);
}
