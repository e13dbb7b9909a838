/** Opens the DB a command's config names, with its encryption key and server token if any. */
import type { Config } from "../config.ts";
import { type OpenDb, openDb } from "../db/client.ts";
import { resolveDbKey } from "../db/db_key.ts";

/** The key from --db-key-file / FALDONE_DB_KEY_FILE / FALDONE_DB_KEY; a server token likewise. */
export async function openConfiguredDb(
  config: Config,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): Promise<OpenDb> {
  const encryptionKey = await resolveDbKey(config.dbPath, config.dbKeyFile, env("FALDONE_DB_KEY"));
  const authToken = env("FALDONE_DB_AUTH_TOKEN");
  return await openDb(config.dbPath, {
    ...(authToken ? { authToken } : {}),
    ...(encryptionKey ? { encryptionKey } : {}),
  });
}
