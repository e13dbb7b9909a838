/** `main.ts branch add|revoke|list`: the branches allowed to sync with this archive. */
import { ConfigError, DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { addBranch, BranchError, listBranches, revokeBranch } from "../db/branches.ts";
import { openConfiguredDb } from "./_open_db.ts";

const HELP = `Usage: main.ts branch add NAME | revoke NAME | list  [--db PATH]

Registers the branches (sedi) that may sync with this archive.
  add NAME      registers NAME and prints its token once, as the last line: give it to the
                branch (--token / FALDONE_TOKEN); the archive keeps only its hash
  revoke NAME   the branch's token stops working at once
  list          registered branches
  --db PATH     archive database (env FALDONE_DB; default ./data/archive.db)
${DB_KEY_HELP}`;

/** Runs one branch subcommand on the archive DB. */
export async function branchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {});
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [action, name] = positionals;
  if (action !== "list" && (action !== "add" && action !== "revoke" || !name)) {
    throw new ConfigError(`branch needs add NAME, revoke NAME or list\n\n${HELP}`);
  }
  const config = loadConfig("archive", values, (n) => Deno.env.get(n));
  const { db, client } = await openConfiguredDb(config);
  try {
    const now = new Date();
    if (action === "add" && name) {
      const token = await addBranch(db, name, now);
      console.log(`Sede "${name}" registrata. Token (mostrato solo ora, conservarlo):`);
      console.log(token);
      return 0;
    }
    if (action === "revoke" && name) {
      if (!await revokeBranch(db, name, now)) {
        console.error(`Sede "${name}" non trovata.`);
        return 1;
      }
      console.log(`Sede "${name}" revocata: il suo token non è più accettato.`);
      return 0;
    }
    for (const b of await listBranches(db)) {
      const state = b.revokedAt ? `revocata ${b.revokedAt}` : "attiva";
      console.log(
        `${b.name}\t${state}\tultima modifica applicata n. ${b.lastAppliedNumber}\tvista ${
          b.lastSeenAt ?? "mai"
        }`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof BranchError) {
      console.error(`Errore: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    client.close();
  }
}
