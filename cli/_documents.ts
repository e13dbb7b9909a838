/** The file store and trust anchors a command opens from its config. */
import type * as pkijs from "pkijs";
import type { Config } from "../config.ts";
import { type FileStore, openFileStore } from "../documents/file_store.ts";
import { StampPool } from "../documents/stamp_pool.ts";
import { loadTrustAnchors } from "../documents/trust_anchors.ts";
import { readKeyFile } from "../db/db_key.ts";

/**
 * Opens (creating on first use) the configured file store, encrypted with the DB's own key
 * (from --db-key-file / FALDONE_DB_KEY_FILE, else FALDONE_DB_KEY): one secret protects both.
 * Throws FileStoreError, or DbKeyError for an unusable key file.
 */
export async function openConfiguredStore(config: Config): Promise<FileStore> {
  const key = config.dbKeyFile
    ? await readKeyFile(config.dbKeyFile, config.dbPath, "--db-key-file")
    : config.filesKey;
  return await openFileStore(config.filesRoot, { key });
}

/**
 * The stamped pages' workers (config.stampWorkers; 0: none, pages are stamped on the request
 * thread). They start with the first page asked; the caller closes the pool with the server.
 */
export function configuredStamper(config: Config, store: FileStore): StampPool | undefined {
  return config.stampWorkers > 0
    ? new StampPool(store, { workers: config.stampWorkers })
    : undefined;
}

/**
 * The configured trust anchors; none when the folder does not exist (signed files then say
 * their chain was not checked). Unreadable files in it are reported on stderr and skipped.
 */
export async function loadConfiguredAnchors(config: Config): Promise<pkijs.Certificate[]> {
  try {
    const anchors = await loadTrustAnchors(config.trustAnchorsDir);
    for (const s of anchors.skipped) {
      console.error(`autorità di fiducia: ${s.file} ignorato: ${s.reason}`);
    }
    return anchors.certificates;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
}
