/** `main.ts reindex`: rewrite the search keys from the records and time a full index build. */
import { DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import { rebuildSearchKeys } from "../search/rebuild_keys.ts";
import { buildRecordIndex, createRecordIndex } from "../search/record_index.ts";

const HELP = `Usage: main.ts reindex [--db PATH]

Rewrites the identifier keys (table search_keys) of every dossier and act from the records,
then builds the in-memory search index once to check it, and reports the counts.
The kiosk needs no reindex after an import or a sync: it updates its index itself.
  --db PATH      database file or libSQL URL (env FALDONE_DB; default ./data/faldone.db)
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
      `search keys: ${counts.keys} for ${counts.dossiers} dossiers and ${counts.acts} acts ` +
        `(${(keysMs / 1000).toFixed(1)} s)`,
    );
    const index = createRecordIndex();
    const buildStart = performance.now();
    await buildRecordIndex(db, index);
    const state = index.state();
    console.log(
      `search index: ${state.indexed} of ${state.records} records indexed ` +
        `(${((performance.now() - buildStart) / 1000).toFixed(1)} s)`,
    );
    return 0;
  } finally {
    client.close();
  }
}
