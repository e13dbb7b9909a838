/** `main.ts reindex`: rewrite the search keys from the records and time a full index build. */
import { DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import { rebuildSearchKeys } from "../search/rebuild_keys.ts";
import { buildRecordIndex, createRecordIndex } from "../search/record_index.ts";

const HELP = `Uso: main.ts reindex [--db PERCORSO]

Riscrive dai record le chiavi degli identificativi (tabella search_keys) di ogni pratica e
atto, poi costruisce una volta l'indice di ricerca in memoria per verificarlo e riporta i conti.
Dopo un'importazione o una sincronizzazione non serve: la postazione aggiorna da sé l'indice.
  --db PERCORSO  file del database o URL libSQL (env FALDONE_DB; predefinito ./data/faldone.db)
${DB_KEY_HELP}`;

/** Runs the reindex; 0 on success. */
export async function reindexCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {});
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig("branch", values, (n) => Deno.env.get(n));
  const { db, client } = await openConfiguredDb(config);
  try {
    const started = performance.now();
    const counts = await rebuildSearchKeys(db);
    const keysMs = performance.now() - started;
    console.log(
      `chiavi di ricerca: ${counts.keys} per ${counts.dossiers} pratiche e ${counts.acts} atti ` +
        `(${(keysMs / 1000).toFixed(1)} s)`,
    );
    const index = createRecordIndex();
    const buildStart = performance.now();
    await buildRecordIndex(db, index);
    const state = index.state();
    console.log(
      `indice di ricerca: ${state.indexed} record indicizzati su ${state.records} ` +
        `(${((performance.now() - buildStart) / 1000).toFixed(1)} s)`,
    );
    return 0;
  } finally {
    client.close();
  }
}
