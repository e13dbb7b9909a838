/**
 * Faldone's command line and composition root: the only module with top-level side effects.
 * Each subcommand lives in cli/ and receives its arguments.
 */
import { ConfigError } from "./config.ts";
import { DbKeyError } from "./db/db_key.ts";

/** A subcommand: its one-line summary and its entry point (loaded on demand). */
interface Command {
  summary: string;
  run: (args: string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: "serve the branch kiosk (default)",
    run: async (args) => (await import("./cli/serve.ts")).serveCommand(args),
  },
  import: {
    summary: "import dossiers and acts from a JSONL file (docs/IMPORT.md)",
    run: async (args) => (await import("./cli/import.ts")).importCommand(args),
  },
  archive: {
    summary: "serve the central archive (sync API for the branches)",
    run: async (args) => (await import("./cli/archive.ts")).archiveCommand(args),
  },
  branch: {
    summary: "register or revoke a branch on the archive (add NAME, revoke NAME, list)",
    run: async (args) => (await import("./cli/branch.ts")).branchCommand(args),
  },
  sync: {
    summary: "sync this branch with the archive once (--once)",
    run: async (args) => (await import("./cli/sync.ts")).syncCommand(args),
  },
  reindex: {
    summary: "rewrite the search keys from the records and check the index",
    run: async (args) => (await import("./cli/reindex.ts")).reindexCommand(args),
  },
  db: {
    summary: "encrypt the DB file at rest or change its key (encrypt, rekey, status)",
    run: async (args) => (await import("./cli/db.ts")).dbCommand(args),
  },
  user: {
    summary: "manage clerk and admin accounts (add NAME --role R, list, disable NAME)",
    run: async (args) => (await import("./cli/user.ts")).userCommand(args),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    "Faldone: offline-first records kiosk",
    "",
    "Usage: main.ts [COMMAND] [OPTIONS]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `main.ts COMMAND --help` for a command's options.",
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
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (err) {
    if (err instanceof ConfigError || (err instanceof TypeError && "code" in err)) {
      console.error(`Error: ${err.message}`);
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
