/**
 * How many pages a scan has, for the `pages` of a document a clerk uploads (an import line
 * states its own). Reading the file also proves it opens: a PDF pdf-lib cannot parse or a
 * TIFF with a compression the viewer lacks is refused at the counter, not at first view.
 */
import { PDFDocument } from "pdf-lib";
import type { SupportedMime } from "./file_type.ts";
import { openTiff, TiffError } from "./tiff_pages.ts";

/** The file does not open; the message is Italian, for the upload form. */
export class PageCountError extends Error {}

/** Pages of a PDF, TIFF or image; throws PageCountError when the file does not open. */
export async function countPages(bytes: Uint8Array, mime: SupportedMime): Promise<number> {
  switch (mime) {
    case "application/pdf":
      try {
        const pdf = await PDFDocument.load(bytes, {
          ignoreEncryption: true,
          updateMetadata: false,
          throwOnInvalidObject: false,
        });
        return pdf.getPageCount();
      } catch {
        throw new PageCountError("Il PDF non si apre: è danneggiato o incompleto.");
      }
    case "image/tiff":
      try {
        return openTiff(bytes).pageCount;
      } catch (err) {
        throw new PageCountError(
          err instanceof TiffError ? err.message : "Il TIFF non si apre: è danneggiato.",
        );
      }
    default:
      return 1;
  }
}
