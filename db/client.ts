/** Opens the libSQL database and brings its schema up to date. */
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
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

/**
 * Opens (creating if needed) the database at `pathOrUrl`, applies pending migrations and
 * turns on WAL and foreign keys for local files.
 */
export async function openDb(
  pathOrUrl: string,
  options: { authToken?: string } = {},
): Promise<OpenDb> {
  const url = toDbUrl(pathOrUrl);
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length);
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    if (dir) await Deno.mkdir(dir, { recursive: true });
  }
  // The client keeps a pool of connections: per-connection pragmas would not reach them all,
  // so the busy timeout goes through the client config and child rows are deleted explicitly
  // by the db/ modules rather than by ON DELETE CASCADE.
  const client = createClient({
    url,
    timeout: 10_000,
    ...(options.authToken ? { authToken: options.authToken } : {}),
  });
  if (url.startsWith("file:")) {
    // WAL (persistent in the file) lets the kiosk read while sync or import writes.
    await client.execute("PRAGMA journal_mode = WAL");
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  // An import that died mid-way may have left its deferred index unbuilt.
  await ensureDeferredIndexes(db);
  return { db, client };
}
