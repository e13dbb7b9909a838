/**
 * Converts one TIFF to PNG pages off the server's request thread (documents/tiff_pages.ts is
 * synchronous and takes about half a second per A4 page). Gets the TIFF's bytes, answers with
 * the page count, then each page in order, then `done`; a TIFF that cannot be shown answers
 * `failed` with the Italian message.
 */
/// <reference lib="deno.worker" />
import { openTiff, TiffError } from "./tiff_pages.ts";
import type { FromTiffWorker } from "./_tiff_page_messages.ts";

const post = (message: FromTiffWorker, transfer: Transferable[] = []) =>
  self.postMessage(message, transfer);

self.onmessage = (event: MessageEvent<Uint8Array>) => {
  try {
    const doc = openTiff(event.data);
    post({ count: doc.pageCount });
    for (let i = 0; i < doc.pageCount; i++) {
      const { png } = doc.page(i);
      post({ page: i, png }, [png.buffer as ArrayBuffer]);
    }
    post({ done: true });
  } catch (err) {
    const message = err instanceof TiffError
      ? err.message
      : `Conversione del TIFF non riuscita: ${(err as Error).message ?? err}`;
    post({ failed: message });
  }
  self.close();
};
