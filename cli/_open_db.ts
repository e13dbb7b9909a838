/** Opens the DB a command's config names, with its encryption key and server token if any. */
import type { Config } from "../config.ts";
import { type OpenDb, openDb, toDbUrl } from "../db/client.ts";
import type { DbSource } from "../search/index_source.ts";
import { resolveDbKey } from "../db/db_key.ts";

/** The key from --db-key-file / FALDONE_DB_KEY_FILE / FALDONE_DB_KEY; a server token likewise. */
export async function openConfiguredDb(
  config: Config,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): Promise<OpenDb & { source?: DbSource }> {
  const encryptionKey = await resolveDbKey(config.dbPath, config.dbKeyFile, env("FALDONE_DB_KEY"));
  const authToken = env("FALDONE_DB_AUTH_TOKEN");
  const options = {
    ...(authToken ? { authToken } : {}),
    ...(encryptionKey ? { encryptionKey } : {}),
  };
  // `source`: where the index build's worker opens the same DB on its own connection (none
  // for a DB in memory: another connection would open another, empty one).
  const url = toDbUrl(config.dbPath);
  const inMemory = url.includes(":memory:") || url.includes("mode=memory");
  return {
    ...await openDb(config.dbPath, options),
    ...(inMemory ? {} : { source: { url, ...options } }),
  };
}
