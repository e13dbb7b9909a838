/** The file store and trust anchors a command opens from its config. */
import type * as pkijs from "pkijs";
import type { Config } from "../config.ts";
import { type FileStore, openFileStore } from "../documents/file_store.ts";
import { loadTrustAnchors } from "../documents/trust_anchors.ts";

/** Opens (creating on first use) the configured file store; throws FileStoreError. */
export function openConfiguredStore(config: Config): Promise<FileStore> {
  return openFileStore(config.filesRoot, { key: config.filesKey });
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
