/** A file on disk as a ByteSource: for tests, the bench, and any file outside the store. */
import type { ByteSource } from "./http_range.ts";

/** Bytes read per pull: small enough that a cancelled request stops reading at once. */
const CHUNK = 64 * 1024;

/**
 * Streams `path` from `start` to `endInclusive`, one chunk per pull, so memory stays flat
 * whatever the file size; the file is closed at the end, on error and when the reader cancels
 * (a client that disconnects or a media element that seeks elsewhere).
 */
export function openFileRange(
  path: string,
  start: number,
  endInclusive: number,
): ReadableStream<Uint8Array> {
  let file: Deno.FsFile | undefined;
  let position = start;
  const close = () => {
    file?.close();
    file = undefined;
  };
  return new ReadableStream<Uint8Array>({
    async start() {
      file = await Deno.open(path, { read: true });
      await file.seek(start, Deno.SeekMode.Start);
    },
    async pull(controller) {
      const left = endInclusive - position + 1;
      if (!file || left <= 0) {
        close();
        controller.close();
        return;
      }
      const buffer = new Uint8Array(Math.min(CHUNK, left));
      const read = await file.read(buffer);
      if (read === null) {
        close();
        controller.error(new Error(`${path} ended before byte ${endInclusive}`));
        return;
      }
      position += read;
      controller.enqueue(buffer.subarray(0, read));
    },
    cancel() {
      close();
    },
  }, { highWaterMark: 0 });
}

/** A ByteSource over a file; the ETag defaults to size and modification time. */
export async function fileByteSource(
  path: string,
  mime: string,
  etag?: string,
): Promise<ByteSource> {
  const info = await Deno.stat(path);
  return {
    bytes: info.size,
    mime,
    etag: etag ?? `${info.size.toString(16)}-${(info.mtime?.getTime() ?? 0).toString(16)}`,
    open: (start, endInclusive) => openFileRange(path, start, endInclusive),
  };
}
