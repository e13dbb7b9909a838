/**
 * A file of the store as a ByteSource for documents/http_range.ts. The two count ranges
 * differently: the viewer's Range code asks for `start` to `endInclusive` (as HTTP writes
 * ranges), the store reads `start` to `end` excluded (like `Blob.slice`); this adapter is the
 * one place that adds the 1.
 */
import type { FileStore } from "./file_store.ts";
import type { ByteSource } from "./http_range.ts";

/** A stored file as a ByteSource, which another thread can open again by its hash. */
export interface StoreByteSource extends ByteSource {
  /** The file's sha256 in the store (also its ETag). */
  sha256: string;
  /** Runs `onOpen` as a read would: for reads of the same file made elsewhere (a worker). */
  noteUse(): Promise<void>;
}

/** Whether `source` is a file of the store (`storeByteSource`). */
export function isStoreByteSource(source: ByteSource): source is StoreByteSource {
  return "sha256" in source && typeof source.sha256 === "string" && "noteUse" in source;
}

/**
 * The stored file `sha256` (of `bytes` bytes) served as `mime`; its sha256 is its ETag, so a
 * browser revalidates with a strong validator that never changes for the same bytes.
 * `onOpen` runs once per read (e.g. to note the file was used, for the disk budget).
 */
export function storeByteSource(
  store: FileStore,
  file: { sha256: string; bytes: number; mime: string },
  onOpen?: () => Promise<void>,
): StoreByteSource {
  return {
    bytes: file.bytes,
    mime: file.mime,
    etag: file.sha256,
    sha256: file.sha256,
    noteUse: async () => await onOpen?.(),
    async open(start, endInclusive) {
      // The store checks the range and the file before a byte is sent; its stream goes out
      // as it is (a plain file's own stream is sent by Deno without copies through JS).
      const stream = await store.open(file.sha256, { start, end: endInclusive + 1 });
      await onOpen?.();
      return stream;
    },
  };
}
