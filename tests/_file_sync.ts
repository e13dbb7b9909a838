/**
 * File-transfer test setup: an archive holding real bytes for a public act attachment (or a
 * dossier scan), a branch that synced the records, and the branch's file-transfer deps.
 */
import { createHash } from "node:crypto";
import type { ActDoc, DossierDoc } from "../domain/records.ts";
import { ingestedRows, ingestFile } from "../documents/ingest.ts";
import { recordDocumentFiles } from "../db/document_files.ts";
import { createPageSizer } from "../sync/backoff.ts";
import type { FileTransferDeps, FileTransferOptions } from "../sync/file_transfer.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { noise } from "./_document_fixtures.ts";
import { createSyncPair, type SyncPair } from "./_sync_setup.ts";
import { act, documentRef, dossier } from "./fixtures.ts";

/** A PDF-typed file of `size` incompressible bytes (the store checks the type by magic). */
export function pdfBytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  out.set(noise(size, seed));
  out.set(new TextEncoder().encode("%PDF-1.7\n"));
  return out;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A sync pair whose archive holds `bytes` as the public attachment of an act. */
export async function pairWithFile(
  bytes: Uint8Array<ArrayBuffer>,
  where: "act" | "dossier" = "act",
): Promise<{ pair: SyncPair; sha: string; record: ActDoc | DossierDoc }> {
  const sha = sha256Hex(bytes);
  const doc = documentRef({ sha256: sha, bytes: bytes.byteLength, public: where === "act" });
  const record = where === "act" ? act({ attachments: [doc] }) : dossier({ documents: [doc] });
  const pair = await createSyncPair({ archiveRecords: [record], files: true });
  const file = await ingestFile(pair.archiveStore!, { bytes }, { clock: pair.archive.clock });
  await pair.archive.db.transaction((tx) =>
    recordDocumentFiles(tx, ingestedRows(file, pair.archive.clock()))
  );
  await syncOnce(pair.clientDeps(), { sleep: () => Promise.resolve() });
  return { pair, sha, record };
}

/** Deps for the branch's file transfers through `url` (a proxy). */
export function fileDeps(
  pair: SyncPair,
  url: string,
  budgetBytes = 1e9,
): FileTransferDeps {
  return {
    db: pair.branch.db,
    store: pair.branchStore!,
    transport: { fetch, archiveUrl: url, token: pair.token, timeoutMs: 10_000 },
    clock: pair.branch.clock,
    budgetBytes,
  };
}

/** No waiting between retries, and a fixed chunk size so bytes can be counted exactly. */
export function fastOptions(chunk?: number): Partial<FileTransferOptions> {
  return {
    sleep: () => Promise.resolve(),
    maxAttempts: 50,
    ...(chunk ? { sizer: createPageSizer({ initial: chunk, min: chunk, max: chunk }) } : {}),
  };
}
