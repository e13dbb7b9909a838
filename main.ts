/**
 * Faldone's command line and composition root: the only module with top-level side effects.
 * Each subcommand lives in cli/ and receives its arguments.
 */
import { ConfigError } from "./config.ts";
import { FileStoreError } from "./documents/file_store.ts";
import { DbKeyError } from "./db/db_key.ts";
// The kiosk, unlike the other commands, is imported statically: Deno loads a static graph
// of ~350 modules with about half the CPU a dynamic import() of the same graph takes (0.5
// against 1.0 s of user time on the 2-core kiosk), and the kiosk's first answer waits for
// that load (docs/SEARCH.md, "At 1,000,000 dossiers"). The other commands stay on demand.
import { serveCommand } from "./cli/serve.ts";

/** A subcommand: its one-line summary and its entry point (loaded on demand but for serve). */
interface Command {
  summary: string;
  run: (args: string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: "avvia la postazione della sede (predefinito)",
    run: serveCommand,
  },
  import: {
    summary: "importa pratiche e atti da un file JSONL (docs/IMPORT.md)",
    run: async (args) => (await import("./cli/import.ts")).importCommand(args),
  },
  archive: {
    summary: "avvia l'archivio centrale (API di sincronizzazione per le sedi)",
    run: async (args) => (await import("./cli/archive.ts")).archiveCommand(args),
  },
  branch: {
    summary: "registra o revoca una sede sull'archivio (add NOME, revoke NOME, list)",
    run: async (args) => (await import("./cli/branch.ts")).branchCommand(args),
  },
  sync: {
    summary: "sincronizza una volta questa sede con l'archivio (--once)",
    run: async (args) => (await import("./cli/sync.ts")).syncCommand(args),
  },
  reindex: {
    summary: "riscrive le chiavi di ricerca dai record e verifica l'indice",
    run: async (args) => (await import("./cli/reindex.ts")).reindexCommand(args),
  },
  db: {
    summary: "cifra il file del database o ne cambia la chiave (encrypt, rekey, status)",
    run: async (args) => (await import("./cli/db.ts")).dbCommand(args),
  },
  user: {
    summary:
      "gestisce gli account di operatori e amministratori (add NOME --role R, list, disable NOME)",
    run: async (args) => (await import("./cli/user.ts")).userCommand(args),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    "Faldone: postazione di consultazione di pratiche edilizie e atti, anche senza rete",
    "",
    "Uso: main.ts [COMANDO] [OPZIONI]",
    "",
    "Comandi:",
    ...lines,
    "",
    "`main.ts COMANDO --help` elenca le opzioni di un comando.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h" || first === "help") {
    console.log(usage());
    return 0;
  }
  const name = first === undefined || first.startsWith("-") ? "serve" : first;
  const args = name === first ? rest : argv;
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Comando sconosciuto: "${name}".\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (err) {
    if (
      err instanceof ConfigError || err instanceof FileStoreError ||
      (err instanceof TypeError && "code" in err)
    ) {
      console.error(`Errore: ${err.message}`);
      return 2;
    }
    // A DB that does not open with the key given: said plainly, never a stack trace.
    if (err instanceof DbKeyError) {
      console.error(`Errore: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
