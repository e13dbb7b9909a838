/**
 * Writes a PDF as a stream of its objects, for a whole stamped document: pdf-lib's `save()`
 * builds the entire output in one buffer (another 150 MB for a 150 MB scan, beside the parsed
 * one), while here the output is never held: each object is serialised when the reader pulls,
 * and the layout (offsets, xref, total length) is computed first from the objects' sizes, so
 * the length is known before the first byte (a download gets its Content-Length).
 */
import type { PDFObject, PDFRef } from "pdf-lib";

/** What to write: objects in order, and the trailer's entries. */
export interface PdfParts {
  objects: [PDFRef, PDFObject][];
  root: PDFRef;
  info?: PDFObject | undefined;
}

const encoder = new TextEncoder();
/** Objects serialised per pull, up to this many bytes (a big scan image is one pull alone). */
const PULL_BYTES = 256 * 1024;

function objectHeader(ref: PDFRef): string {
  return `${ref.objectNumber} ${ref.generationNumber} obj\n`;
}
const OBJECT_END = "\nendobj\n\n";
const HEADER = new Uint8Array([
  ...encoder.encode("%PDF-1.7\n%"),
  0xe2,
  0xe3,
  0xcf,
  0xd3,
  0x0a,
]);

/** The PDF as a byte stream and its length. */
export function streamPdf(parts: PdfParts): { bytes: number; stream: ReadableStream<Uint8Array> } {
  const offsets = new Map<number, { offset: number; generation: number }>();
  let at = HEADER.length;
  let largest = 0;
  for (const [ref, object] of parts.objects) {
    offsets.set(ref.objectNumber, { offset: at, generation: ref.generationNumber });
    largest = Math.max(largest, ref.objectNumber);
    at += objectHeader(ref).length + object.sizeInBytes() + OBJECT_END.length;
  }
  const xrefOffset = at;
  const lines = ["xref", `0 ${largest + 1}`, "0000000000 65535 f\r"];
  for (let i = 1; i <= largest; i++) {
    const entry = offsets.get(i);
    lines.push(
      entry
        ? `${String(entry.offset).padStart(10, "0")} ${
          String(entry.generation).padStart(5, "0")
        } n\r`
        : "0000000000 65535 f\r",
    );
  }
  const info = parts.info ? ` /Info ${parts.info.toString()}` : "";
  const tail = encoder.encode(
    `${lines.join("\n")}\ntrailer\n<< /Size ${
      largest + 1
    } /Root ${parts.root.toString()}${info} >>\n` +
      `startxref\n${xrefOffset}\n%%EOF\n`,
  );
  const total = xrefOffset + tail.length;

  let index = 0;
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(HEADER);
        return;
      }
      if (index >= parts.objects.length) {
        controller.enqueue(tail);
        controller.close();
        return;
      }
      // A batch of objects up to PULL_BYTES, serialised into one buffer.
      const batch: [PDFRef, PDFObject][] = [];
      let size = 0;
      while (index < parts.objects.length && (batch.length === 0 || size < PULL_BYTES)) {
        const item = parts.objects[index++]!;
        batch.push(item);
        size += objectHeader(item[0]).length + item[1].sizeInBytes() + OBJECT_END.length;
      }
      const out = new Uint8Array(size);
      let offset = 0;
      for (const [ref, object] of batch) {
        offset += encoder.encodeInto(objectHeader(ref), out.subarray(offset)).written;
        offset += object.copyBytesInto(out, offset);
        offset += encoder.encodeInto(OBJECT_END, out.subarray(offset)).written;
      }
      controller.enqueue(out);
    },
  }, { highWaterMark: 0 });
  return { bytes: total, stream };
}
