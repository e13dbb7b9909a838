/**
 * The key that encrypts a branch DB at rest (libSQL's `encryptionKey`): where it comes
 * from, and what is wrong when a DB file does not open with it. A kiosk PC can be stolen,
 * so the key never lives in the DB's folder, in the DB or in the repo.
 */
import { dirname, resolve, sep } from "node:path";

/** A key that cannot be used, or a DB that does not open with the key given. */
export class DbKeyError extends Error {}

/** Fewer characters than this is a password, not a key. */
export const MIN_KEY_CHARS = 16;

const KEY_HINT = "FALDONE_DB_KEY oppure FALDONE_DB_KEY_FILE / --db-key-file PERCORSO";
const ENCRYPT_HINT = "main.ts db encrypt --db PATH";

/** The first 16 bytes of every plain SQLite file. */
const PLAIN_HEADER = "SQLite format 3\0";

/** Whether the local file is encrypted, plain SQLite, or not there (or empty) yet. */
export type FileState = "plain" | "encrypted" | "missing";

/** Reads the file's header: a plain DB starts with `SQLite format 3\0`, an encrypted one does not. */
export async function dbFileState(path: string): Promise<FileState> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "missing";
    throw err;
  }
  try {
    const head = new Uint8Array(16);
    let got = 0;
    while (got < head.length) {
      const n = await file.read(head.subarray(got));
      if (n === null) break;
      got += n;
    }
    if (got === 0) return "missing";
    return new TextDecoder().decode(head.subarray(0, got)) === PLAIN_HEADER ? "plain" : "encrypted";
  } finally {
    file.close();
  }
}

/** The folder a DB path lives in, resolved through symlinks where it exists. */
async function realFolder(path: string): Promise<string> {
  const folder = resolve(dirname(path));
  return await Deno.realPath(folder).catch(() => folder);
}

async function isInside(path: string, folder: string): Promise<boolean> {
  const real = await Deno.realPath(path).catch(() => resolve(path));
  return real === folder || real.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

function checkKey(key: string, from: string): string {
  if (key.length < MIN_KEY_CHARS) {
    throw new DbKeyError(
      `la chiave del database (${from}) è troppo corta: servono almeno ${MIN_KEY_CHARS} caratteri ` +
        "(per esempio: openssl rand -base64 32)",
    );
  }
  return key;
}

/**
 * Reads a key file that lies outside the DB's folder (whoever copies the data folder off the
 * machine must not get the key with it). The key is the file's first line.
 */
export async function readKeyFile(keyFile: string, dbPath: string, label: string): Promise<string> {
  if (await isInside(keyFile, await realFolder(dbPath))) {
    throw new DbKeyError(
      `il file della chiave ${keyFile} è nella cartella dei dati (${dirname(dbPath)}): ` +
        `chi copia la cartella avrebbe anche la chiave. Spostarlo fuori, per esempio in ` +
        `/etc/faldone/ con permessi 600 / the key file must be outside the database's folder`,
    );
  }
  let text: string;
  try {
    text = await Deno.readTextFile(keyFile);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new DbKeyError(`impossibile leggere il file della chiave ${keyFile}: ${reason}`);
  }
  return checkKey((text.split(/\r?\n/)[0] ?? "").trim(), label);
}

/**
 * The DB key from a key file (`--db-key-file` or FALDONE_DB_KEY_FILE) or from the
 * environment (FALDONE_DB_KEY); undefined when neither is set (a plain DB, as the demo).
 */
export async function resolveDbKey(
  dbPath: string,
  keyFile: string | undefined,
  envKey: string | undefined,
): Promise<string | undefined> {
  if (keyFile && envKey) {
    throw new DbKeyError(
      "indicare la chiave in un solo modo: FALDONE_DB_KEY oppure un file (FALDONE_DB_KEY_FILE / " +
        "--db-key-file), non entrambi",
    );
  }
  if (keyFile) return await readKeyFile(keyFile, dbPath, "file " + keyFile);
  if (envKey) return checkKey(envKey, "FALDONE_DB_KEY");
  return undefined;
}

/** Refuses a key for a DB that is not a local file (libSQL encrypts local files only). */
export function refuseRemoteKey(url: string): void {
  throw new DbKeyError(
    `la cifratura a riposo vale per un file locale, non per ${url.replace(/\?.*$/, "")}`,
  );
}

/** The message for a key given to a DB file that is still plain: never proceed silently. */
export function plainWithKeyError(path: string): DbKeyError {
  return new DbKeyError(
    `il database ${path} non è cifrato, ma è stata data una chiave. Per cifrarlo: fermare il ` +
      `chiosco e lanciare ${ENCRYPT_HINT.replace("PATH", path)} con la stessa chiave; per usarlo ` +
      "in chiaro, togliere la chiave",
  );
}

/** The message for SQLITE_NOTADB: the file is encrypted and the key is missing or wrong. */
export function unreadableError(path: string, keyGiven: boolean): DbKeyError {
  return new DbKeyError(
    keyGiven
      ? `il database ${path} non si apre con questa chiave: la chiave è sbagliata (o il file non ` +
        `è un database di Faldone). Il file non è stato modificato`
      : `il database ${path} è cifrato e non è stata data la chiave: impostare ${KEY_HINT}`,
  );
}
