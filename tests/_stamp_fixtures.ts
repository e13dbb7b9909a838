/**
 * Reading stamped PDFs back for the stamp tests: text through PDF.js (what a viewer would
 * extract), images through PDF.js's operator list (decoded pixels, so a PNG embedded with its
 * predictors is proved to decode), and in-memory byte sources that count what was read.
 */
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { ByteSource } from "../documents/http_range.ts";

const STANDARD_FONTS = new URL("../node_modules/pdfjs-dist/standard_fonts/", import.meta.url)
  .pathname;

/** What PDF.js sees on each page: its text items and the size of each image drawn. */
export interface SeenPage {
  text: string[];
  images: { width: number; height: number; kind: number; data: Uint8ClampedArray | Uint8Array }[];
  view: number[];
  rotate: number;
}

/** Opens `bytes` with PDF.js (legacy build, as in Node) and reads every page. */
export async function readWithPdfJs(bytes: Uint8Array): Promise<SeenPage[]> {
  const task = getDocument({
    data: bytes.slice(),
    standardFontDataUrl: STANDARD_FONTS,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    const pages: SeenPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = content.items.flatMap((item) => "str" in item ? [item.str] : []);
      const ops = await page.getOperatorList();
      const images: SeenPage["images"] = [];
      for (let i = 0; i < ops.fnArray.length; i++) {
        if (ops.fnArray[i] !== OPS.paintImageXObject) continue;
        const id = ops.argsArray[i][0] as string;
        const image = await new Promise<SeenPage["images"][number]>((resolve) =>
          page.objs.get(id, resolve)
        );
        images.push(image);
      }
      pages.push({ text, images, view: page.view, rotate: page.rotate });
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/** A byte source over `bytes` that counts how many bytes its readers pulled. */
export function memorySource(
  bytes: Uint8Array,
  mime: string,
  etag = crypto.randomUUID(),
): ByteSource & { read: number } {
  const source = {
    bytes: bytes.length,
    mime,
    etag,
    read: 0,
    open(start: number, endInclusive: number) {
      const part = bytes.subarray(start, endInclusive + 1);
      source.read += part.length;
      return ReadableStream.from([part.slice()]);
    },
  };
  return source;
}
