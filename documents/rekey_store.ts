/**
 * Re-encrypts the file store under a new key (or encrypts a plain one), for `main.ts db
 * encrypt | rekey`: the store shares the DB's key, so changing one without the other would
 * leave files no key opens. Every file is copied into a new store beside the old one and
 * checked by its sha256 on the way in (the store's own put); the caller then rewrites the DB,
 * and only when both made it is the new folder put in place of the old. A failure on either
 * side leaves the old store (and the old DB) as they were.
 */
import { openFileStore } from "./file_store.ts";

/** A store copied under the new key, waiting to replace the old one. */
export interface PreparedStoreRekey {
  files: number;
  bytes: number;
  /** Puts the new store in place of the old one. */
  commit(): Promise<void>;
  /** Drops the copy; the old store stays. */
  abort(): Promise<void>;
}

/**
 * Copies every file of the store at `root` (opened with `oldKey`, undefined: plain) into a
 * new folder encrypted with `newKey`. Files whose header no longer opens are an error: the
 * copy is dropped, and the message names them.
 */
export async function prepareStoreRekey(
  root: string,
  oldKey: string | undefined,
  newKey: string,
): Promise<PreparedStoreRekey> {
  const exists = await Deno.stat(root).then(() => true, () => false);
  if (!exists) return { files: 0, bytes: 0, commit: async () => {}, abort: async () => {} };
  const old = await openFileStore(root, { key: oldKey });
  const next = `${root}.rekey-${Date.now()}`;
  const fresh = await openFileStore(next, { key: newKey });
  let files = 0, bytes = 0;
  try {
    for await (const f of old.list()) {
      if (f.sha256 === undefined || f.damaged) {
        throw new Error(
          `file ${f.name} del file store illeggibile: ${f.damaged ?? "intestazione"}`,
        );
      }
      const put = await fresh.put(await old.open(f.sha256), { sha256: f.sha256 });
      files++;
      bytes += put.bytes;
    }
    // Derived data that is not in the store's shards (TIFF page lists, by sha256) moves as is.
    await copyFolder(`${root}/.pages`, `${next}/.pages`);
  } catch (err) {
    await Deno.remove(next, { recursive: true });
    throw err;
  }
  return {
    files,
    bytes,
    commit: async () => {
      const retired = `${root}.old-${Date.now()}`;
      await Deno.rename(root, retired);
      await Deno.rename(next, root);
      await Deno.remove(retired, { recursive: true });
    },
    abort: () => Deno.remove(next, { recursive: true }),
  };
}

async function copyFolder(from: string, to: string): Promise<void> {
  let entries;
  try {
    entries = Deno.readDir(from);
    await Deno.mkdir(to, { recursive: true });
    for await (const e of entries) {
      if (e.isFile) await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}
