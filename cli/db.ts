/** `main.ts db encrypt | rekey | status`: encryption at rest of the local DB file. */
import { ConfigError, DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { toDbUrl } from "../db/client.ts";
import { dbFileState, readKeyFile, resolveDbKey } from "../db/db_key.ts";
import { rewriteDb } from "../db/db_rewrite.ts";
import { type PreparedStoreRekey, prepareStoreRekey } from "../documents/rekey_store.ts";

const HELP = `Usage: main.ts db encrypt | rekey | status  [--db PATH] [--db-key-file PATH]

Encryption at rest of the kiosk's DB file (README, "Encryption at rest"). Stop the kiosk and
every other command on the DB first: the file is copied under the new key, checked, and only
then put in place of the old one (a failure leaves the old file as it was).
  encrypt       encrypts a plain DB with the key of --db-key-file / FALDONE_DB_KEY_FILE /
                FALDONE_DB_KEY (the key the kiosk will then start with)
  rekey         changes the key: the current one as above, the new one from
                --new-key-file PATH (env FALDONE_DB_NEW_KEY_FILE, or FALDONE_DB_NEW_KEY);
                afterwards only the new key opens the DB
  status        says whether the DB file is encrypted
  --db PATH     database file (env FALDONE_DB; default ./data/faldone.db)
${DB_KEY_HELP}
  --new-key-file PATH  (rekey) file with the new key, outside the DB's folder`;

/** Runs one db subcommand; 0 on success. */
export async function dbCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { "new-key-file": { type: "string" } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [action] = positionals;
  if (action !== "encrypt" && action !== "rekey" && action !== "status") {
    throw new ConfigError(`db needs encrypt, rekey or status\n\n${HELP}`);
  }
  const env = (n: string) => Deno.env.get(n);
  const config = loadConfig("branch", values, env);
  const path = config.dbPath;
  if (!toDbUrl(path).startsWith("file:")) {
    throw new ConfigError(`db ${action} works on a local DB file, not on ${path}`);
  }
  const local = path.replace(/^file:/, "");
  if (action === "status") {
    const state = await dbFileState(local);
    console.log(
      state === "plain"
        ? `${local}: non cifrato (plain SQLite)`
        : state === "encrypted"
        ? `${local}: cifrato (encrypted)`
        : `${local}: non esiste ancora (does not exist)`,
    );
    return 0;
  }
  const key = await resolveDbKey(local, config.dbKeyFile, env("FALDONE_DB_KEY"));
  if (!key) {
    throw new ConfigError(
      "serve la chiave: FALDONE_DB_KEY_FILE / --db-key-file PATH oppure FALDONE_DB_KEY",
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
        "serve la nuova chiave: --new-key-file PATH (FALDONE_DB_NEW_KEY_FILE) o FALDONE_DB_NEW_KEY",
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
      ? "Avviare ora il chiosco con la stessa chiave; senza, il database non si apre."
      : "Mettere la nuova chiave al posto della vecchia: la vecchia non apre più il database.",
  );
  return 0;
}
