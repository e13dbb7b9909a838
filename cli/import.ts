/** `main.ts import FILE.jsonl`: streams a JSONL file into the local database. */
import { DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import { importJsonl, importJsonlFile, type ImportSummary } from "../db/import.ts";

const HELP = `Usage: main.ts import FILE.jsonl [--db PATH]

Importa pratiche e atti da un file JSONL (formato: docs/IMPORT.md); "-" legge da stdin.
Le righe errate sono scartate e segnalate con il loro numero; le altre vengono importate.
Reimportare lo stesso file non cambia nulla.
  --db PATH      database file or libSQL URL (env FALDONE_DB; default ./data/faldone.db)
${DB_KEY_HELP}

Exit status: 0 all lines imported, 1 some lines rejected, 2 file unreadable or bad usage.`;

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
  list("Righe rifiutate", s.errors, Math.max(s.rejected, s.errors.length));
  list("Avvisi (righe importate)", s.warningMessages, s.warnings);
  return lines.join("\n");
}

function progressBar(bytes: number, total: number, lines: number): string {
  const ratio = total > 0 ? Math.min(1, bytes / total) : 0;
  const width = 30;
  const done = Math.round(ratio * width);
  return `\r[${"#".repeat(done)}${".".repeat(width - done)}] ${(ratio * 100).toFixed(0)}%  ` +
    `${lines.toLocaleString("it-IT")} righe`;
}

/** Runs the import command; returns the exit status. */
export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {});
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
      size = (await Deno.stat(path)).size;
      // Opened once here so an unreadable file is reported before the database is touched.
      (await Deno.open(path)).close();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      console.error(`Impossibile leggere ${path}: ${reason}`);
      return 2;
    }
  }
  const config = loadConfig("branch", values, (n) => Deno.env.get(n));
  const { db, client } = await openConfiguredDb(config);
  const tty = Deno.stdout.isTerminal();
  const encoder = new TextEncoder();
  try {
    const options = {
      clock: () => new Date(),
      onProgress: (lines: number, bytes: number) => {
        if (tty) Deno.stdout.writeSync(encoder.encode(progressBar(bytes, size, lines)));
      },
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
