/** `main.ts branch add|revoke|list`: the branches allowed to sync with this archive. */
import { ConfigError, DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { addBranch, BranchError, listBranches, revokeBranch } from "../db/branches.ts";
import { openConfiguredDb } from "./_open_db.ts";

const HELP = `Uso: main.ts branch add NOME | revoke NOME | list  [--db PERCORSO]

Registra le sedi che possono sincronizzarsi con questo archivio.
  add NOME       registra NOME e stampa il suo token una sola volta, come ultima riga: va dato
                 alla sede (--token / FALDONE_TOKEN); l'archivio ne conserva solo l'hash
  revoke NOME    il token della sede smette subito di funzionare
  list           sedi registrate
  --db PERCORSO  database dell'archivio (env FALDONE_DB; predefinito ./data/archive.db)
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
    throw new ConfigError(`branch richiede add NOME, revoke NOME oppure list\n\n${HELP}`);
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
