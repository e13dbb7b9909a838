/** `main.ts db encrypt | rekey | status`: encryption at rest of the local DB file. */
import { ConfigError, DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { toDbUrl } from "../db/client.ts";
import { dbFileState, readKeyFile, resolveDbKey } from "../db/db_key.ts";
import { rewriteDb } from "../db/db_rewrite.ts";
import { type PreparedStoreRekey, prepareStoreRekey } from "../documents/rekey_store.ts";

const HELP = `Uso: main.ts db encrypt | rekey | status  [--db PERCORSO] [--db-key-file PERCORSO]

Cifratura del file del database della postazione (README, "Encryption at rest"). Prima fermare
la postazione e ogni altro comando sul database: il file è copiato con la nuova chiave,
verificato, e solo allora messo al posto del vecchio (se qualcosa va storto, il vecchio file
resta com'era).
  encrypt       cifra un database in chiaro con la chiave di --db-key-file / FALDONE_DB_KEY_FILE /
                FALDONE_DB_KEY (la stessa con cui poi si avvia la postazione)
  rekey         cambia la chiave: quella attuale come sopra, la nuova da
                --new-key-file PERCORSO (env FALDONE_DB_NEW_KEY_FILE, o FALDONE_DB_NEW_KEY);
                dopo, il database si apre solo con la nuova chiave
  status        dice se il file del database è cifrato
  --db PERCORSO file del database (env FALDONE_DB; predefinito ./data/faldone.db)
${DB_KEY_HELP}
  --new-key-file PERCORSO  (rekey) file con la nuova chiave, fuori dalla cartella del database`;

/** Runs one db subcommand; 0 on success. */
export async function dbCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { "new-key-file": { type: "string" } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [action] = positionals;
  if (action !== "encrypt" && action !== "rekey" && action !== "status") {
    throw new ConfigError(`db vuole encrypt, rekey o status\n\n${HELP}`);
  }
  const env = (n: string) => Deno.env.get(n);
  const config = loadConfig("branch", values, env);
  const path = config.dbPath;
  if (!toDbUrl(path).startsWith("file:")) {
    throw new ConfigError(`db ${action} funziona su un file di database locale, non su ${path}`);
  }
  const local = path.replace(/^file:/, "");
  if (action === "status") {
    const state = await dbFileState(local);
    console.log(
      state === "plain"
        ? `${local}: non cifrato`
        : state === "encrypted"
        ? `${local}: cifrato`
        : `${local}: non esiste ancora`,
    );
    return 0;
  }
  const key = await resolveDbKey(local, config.dbKeyFile, env("FALDONE_DB_KEY"));
  if (!key) {
    throw new ConfigError(
      "serve la chiave: FALDONE_DB_KEY_FILE / --db-key-file PERCORSO oppure FALDONE_DB_KEY",
    );
  }
  const started = performance.now();
  let report;
  let store: PreparedStoreRekey;
  if (action === "encrypt") {
    // The file store shares the DB's key: copied under it first, swapped once the DB is done.
    store = await prepareStoreRekey(config.filesRoot, undefined, key);
    report = await rewriteDb(local, undefined, key).catch(async (err) => {
      await store.abort();
      throw err;
    });
  } else {
    const newFile = values["new-key-file"] ?? env("FALDONE_DB_NEW_KEY_FILE");
    const newKey = newFile
      ? await readKeyFile(newFile, local, "file " + newFile)
      : await resolveDbKey(local, undefined, env("FALDONE_DB_NEW_KEY"));
    if (!newKey) {
      throw new ConfigError(
        "serve la nuova chiave: --new-key-file PERCORSO (FALDONE_DB_NEW_KEY_FILE) o FALDONE_DB_NEW_KEY",
      );
    }
    store = await prepareStoreRekey(config.filesRoot, key, newKey);
    report = await rewriteDb(local, key, newKey).catch(async (err) => {
      await store.abort();
      throw err;
    });
  }
  await store.commit();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${local}: ${action === "encrypt" ? "cifrato" : "chiave cambiata"} ` +
      `(${report.tables} tabelle, ${report.rows} righe verificate; ` +
      `file store: ${store.files} file; ${seconds} s).`,
  );
  console.log(
    action === "encrypt"
      ? "Avviare ora la postazione con la stessa chiave; senza, il database non si apre."
      : "Mettere la nuova chiave al posto della vecchia: la vecchia non apre più il database.",
  );
  return 0;
}
