/** Opens the libSQL database and brings its schema up to date. */
import { type Client, createClient, LibsqlError } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { dbFileState, plainWithKeyError, refuseRemoteKey, unreadableError } from "./db_key.ts";
import { ensureDeferredIndexes } from "./deferred_indexes.ts";
import * as schema from "./schema.ts";

export type Db = LibSQLDatabase<typeof schema>;

/** A migrated database and the client under it (kept so callers can close it). */
export interface OpenDb {
  db: Db;
  client: Client;
}

const MIGRATIONS_FOLDER = new URL("./migrations", import.meta.url).pathname;

/** Turns a plain path into a `file:` URL; leaves `file:`, `libsql:`, `http(s):` URLs alone. */
export function toDbUrl(pathOrUrl: string): string {
  return /^(file|libsql|https?|wss?):/.test(pathOrUrl) ? pathOrUrl : `file:${pathOrUrl}`;
}

/** Whether libSQL refused the file as "not a database": encrypted, and the key is wrong. */
export function isNotADb(err: unknown): boolean {
  return err instanceof LibsqlError && err.code === "SQLITE_NOTADB";
}

/**
 * Opens (creating if needed) the database at `pathOrUrl`, applies pending migrations and
 * turns on WAL and foreign keys for local files. With `encryptionKey` a local file is
 * encrypted at rest (a new one is created encrypted); a key that does not fit the file
 * throws DbKeyError before anything is written.
 */
export async function openDb(
  pathOrUrl: string,
  options: { authToken?: string; encryptionKey?: string } = {},
): Promise<OpenDb> {
  const url = toDbUrl(pathOrUrl);
  const key = options.encryptionKey;
  const path = url.startsWith("file:") ? url.slice("file:".length) : undefined;
  if (key && path === undefined) refuseRemoteKey(url);
  if (path !== undefined) {
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    if (dir) await Deno.mkdir(dir, { recursive: true });
    // libSQL would answer "not a database" for a plain file opened with a key: say why instead.
    if (key && await dbFileState(path) === "plain") throw plainWithKeyError(path);
  }
  // The client keeps a pool of connections: per-connection pragmas would not reach them all,
  // so the busy timeout goes through the client config and child rows are deleted explicitly
  // by the db/ modules rather than by ON DELETE CASCADE. The key too goes to every connection.
  const client = createClient({
    url,
    timeout: 10_000,
    ...(options.authToken ? { authToken: options.authToken } : {}),
    ...(key ? { encryptionKey: key } : {}),
  });
  try {
    if (path !== undefined) {
      // WAL (persistent in the file) lets the kiosk read while sync or import writes.
      // The first read of the file: a missing or wrong key fails here, before any write.
      await client.execute("PRAGMA journal_mode = WAL");
    }
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    // An import that died mid-way may have left its deferred index unbuilt.
    await ensureDeferredIndexes(db);
    return { db, client };
  } catch (err) {
    client.close();
    if (path !== undefined && isNotADb(err)) throw unreadableError(path, Boolean(key));
    throw err;
  }
}
