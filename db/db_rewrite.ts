/**
 * Encrypting a plain DB file and changing the key of an encrypted one, without ever losing it.
 *
 * libSQL (SQLite3 Multiple Ciphers 1.8 inside @libsql/client 0.18) refuses `PRAGMA rekey`
 * in WAL mode, and rewriting in place would leave a half-converted file after a crash. So
 * the DB is copied with `VACUUM INTO` to a new file under the new key (the copy's URI names
 * the cipher and key), the copy is checked (integrity and every table's row count), flushed
 * to disk, and only then renamed over the old file: a failure at any step leaves the old
 * file as it was and removes the copy.
 */
import { type Client, createClient } from "@libsql/client";
import { dirname } from "node:path";
import { dbFileState, DbKeyError, plainWithKeyError, unreadableError } from "./db_key.ts";
import { isNotADb } from "./client.ts";

/** The cipher @libsql/client applies to `encryptionKey` (the one a copy must use). */
const CIPHER = "aes256cbc";

/** What was copied, for the message printed after it. */
export interface RewriteReport {
  tables: number;
  rows: number;
}

const hex = (text: string) =>
  Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, "0")).join("");

/** A path as a SQLite URI filename: anything but plain path characters percent-encoded. */
function uriPath(path: string): string {
  return Array.from(new TextEncoder().encode(path), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9/._~-]/.test(c) ? c : `%${b.toString(16).padStart(2, "0").toUpperCase()}`;
  }).join("");
}

/** The copy sits next to the DB (same filesystem: the rename is atomic); a stale one is removed. */
export function rewritePath(path: string): string {
  return `${path}.rekey-tmp`;
}

async function removeCopy(copy: string): Promise<void> {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) {
    await Deno.remove(copy + suffix).catch(() => {});
  }
}

/** Row counts of every table, to compare the copy with the original. */
async function tableCounts(client: Client): Promise<Map<string, number>> {
  const tables = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
  );
  const counts = new Map<string, number>();
  for (const row of tables.rows) {
    const name = String(row.name);
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const r = await client.execute(`SELECT count(*) AS n FROM ${quoted}`);
    counts.set(name, Number(r.rows[0]?.n ?? 0));
  }
  return counts;
}

function open(path: string, key: string | undefined): Client {
  // One connection: the locking mode set below must hold on the connection that copies.
  return createClient({
    url: `file:${path}`,
    timeout: 2_000,
    concurrency: 1,
    ...(key ? { encryptionKey: key } : {}),
  });
}

/** Checks the copy with the new key: it opens, is intact and holds the same rows. */
async function verifyCopy(copy: string, key: string, expected: Map<string, number>) {
  if (await dbFileState(copy) !== "encrypted") {
    throw new DbKeyError(`la copia ${copy} non risulta cifrata: conversione annullata`);
  }
  const client = open(copy, key);
  try {
    const check = await client.execute("PRAGMA integrity_check");
    const verdict = String(check.rows[0]?.[0] ?? "");
    if (verdict !== "ok") throw new DbKeyError(`la copia non è integra (${verdict}): annullata`);
    const counts = await tableCounts(client);
    for (const [name, n] of expected) {
      if (counts.get(name) !== n) {
        throw new DbKeyError(
          `la copia ha ${counts.get(name) ?? 0} righe in ${name} invece di ${n}: annullata`,
        );
      }
    }
  } finally {
    client.close();
  }
}

/**
 * Rewrites the local DB file at `path` under `newKey`: from plain when `oldKey` is undefined
 * (encrypt), from `oldKey` otherwise (rotate). No other process may have the DB open.
 * `afterCopy` runs between the copy and its check (tests inject a fault there).
 */
export async function rewriteDb(
  path: string,
  oldKey: string | undefined,
  newKey: string,
  options: { afterCopy?: (copy: string) => Promise<void> } = {},
): Promise<RewriteReport> {
  const state = await dbFileState(path);
  if (state === "missing") throw new DbKeyError(`il database ${path} non esiste`);
  if (oldKey === undefined && state === "encrypted") {
    throw new DbKeyError(
      `il database ${path} è già cifrato (o non è un database): per cambiare chiave usare ` +
        "main.ts db rekey",
    );
  }
  if (oldKey !== undefined && state === "plain") throw plainWithKeyError(path);
  if (oldKey === newKey) throw new DbKeyError("la nuova chiave è uguale a quella attuale");
  const copy = rewritePath(path);
  await removeCopy(copy);
  const source = open(path, oldKey);
  try {
    try {
      await source.execute("SELECT count(*) FROM sqlite_master");
    } catch (err) {
      if (isNotADb(err)) throw unreadableError(path, oldKey !== undefined);
      throw err;
    }
    // Leaving WAL needs the file to itself: it fails while a kiosk or a command has it open,
    // and it folds the WAL into the file, so the copy below sees every committed row.
    try {
      await source.execute("PRAGMA journal_mode = DELETE");
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new DbKeyError(
        `il database ${path} è aperto da un altro processo (${reason}): fermare il chiosco e ` +
          "gli altri comandi, poi riprovare",
      );
    }
    // Held until the rename: nobody writes to the old file while it is being copied.
    await source.execute("PRAGMA locking_mode = EXCLUSIVE");
    // Counted under that lock: the rows the copy must hold.
    const expected = await tableCounts(source);
    await source.execute({
      sql: "VACUUM INTO ?",
      args: [`file:${uriPath(copy)}?cipher=${CIPHER}&hexkey=${hex(newKey)}`],
    });
    await options.afterCopy?.(copy);
    await verifyCopy(copy, newKey, expected);
    const file = await Deno.open(copy, { read: true, write: true });
    try {
      await file.sync();
    } finally {
      file.close();
    }
    // Windows cannot rename over a file that is open: there the lock ends a moment early.
    if (Deno.build.os === "windows") source.close();
    await Deno.rename(copy, path);
    // The rename itself reaches the disk with its folder.
    await Deno.open(dirname(path), { read: true }).then(async (dir) => {
      await dir.sync().catch(() => {});
      dir.close();
    }, () => {});
    return {
      tables: expected.size,
      rows: [...expected.values()].reduce((a, b) => a + b, 0),
    };
  } catch (err) {
    await removeCopy(copy);
    throw err;
  } finally {
    source.close();
  }
}
