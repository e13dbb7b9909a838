/**
 * Documents made on the fly for the viewer tests and bench: PDFs (pdf-lib), a PNG and a WAV,
 * so no binary fixture is committed and each test knows exactly what it should see.
 */
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  StandardFonts,
} from "pdf-lib";

/** Page colours of `pagedPdf`, one per page in turn: red, green, blue. */
export const PAGE_COLOURS: [number, number, number][] = [[220, 30, 30], [30, 160, 30], [
  30,
  30,
  220,
]];

/** An A4 PDF whose page n is filled with PAGE_COLOURS[n % 3] and says "Pagina n". */
export async function pagedPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    const [r, g, b] = PAGE_COLOURS[i % PAGE_COLOURS.length] ?? [0, 0, 0];
    page.drawRectangle({
      x: 40,
      y: 40,
      width: 515,
      height: 700,
      color: rgb(r / 255, g / 255, b / 255),
    });
    page.drawText(`Pagina ${i + 1}`, { x: 60, y: 770, size: 36, font });
  }
  return await doc.save();
}

/** Cheap deterministic noise (xorshift32): incompressible, so the file is as big as asked. */
export function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, Math.floor(length / 4));
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return out;
}

/** How each page of a scan-like PDF gets its picture. */
export type PageImage =
  | { kind: "raw"; width: number; height: number }
  | { kind: "jpeg"; images: Uint8Array[] };

/**
 * A scan-like PDF: one full-page picture per page, each its own object (nothing shared), so
 * the file is about `pages` × the picture size. `raw` pictures are uncompressed RGB noise;
 * `jpeg` cycles through the given JPEGs (e.g. noise encoded by a browser).
 */
export async function scanPdf(pages: number, image: PageImage): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    if (image.kind === "jpeg") {
      const jpeg = await doc.embedJpg(image.images[i % image.images.length] ?? new Uint8Array());
      page.drawImage(jpeg, { x: 0, y: 0, width: 595, height: 842 });
      continue;
    }
    const pixels = noise(image.width * image.height * 3, i + 1);
    const stream = doc.context.stream(pixels, {
      Type: "XObject",
      Subtype: "Image",
      Width: image.width,
      Height: image.height,
      ColorSpace: "DeviceRGB",
      BitsPerComponent: 8,
    });
    page.node.setXObject(PDFName.of("Scan"), doc.context.register(stream));
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(595, 0, 0, 842, 0, 0),
      drawObject("Scan"),
      popGraphicsState(),
    );
  }
  return await doc.save({ objectsPerTick: Infinity });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG of one colour with a black band across the middle third. */
export async function bandedPng(
  width: number,
  height: number,
  colour: [number, number, number],
): Promise<Uint8Array> {
  const raw = new Uint8Array((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const band = y >= height / 3 && y < (2 * height) / 3;
    for (let x = 0; x < width; x++) {
      raw.set(band ? [0, 0, 0] : colour, y * (width * 3 + 1) + 1 + x * 3);
    }
  }
  // PNG's IDAT is a zlib stream, which is what CompressionStream calls "deflate".
  const idat: Uint8Array = new Uint8Array(
    await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate")))
      .arrayBuffer(),
  );
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const signature = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
  const parts = [
    signature,
    chunk("IHDR", header),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array()),
  ];
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}

/** A mono 16-bit PCM WAV of a 440 Hz tone. */
export function toneWav(seconds: number, sampleRate = 22050): Uint8Array {
  const samples = Math.round(seconds * sampleRate);
  const out = new Uint8Array(44 + samples * 2);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => out.set(new TextEncoder().encode(s), at);
  text(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) {
    view.setInt16(
      44 + i * 2,
      Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)),
      true,
    );
  }
  return out;
}

/**
 * The markers of a baseline JPEG of `width`×`height` with `components` components (1 grey, 3
 * YCbCr, 4 CMYK) and a few bytes of scan data: what pdf-lib embeds and the server's preview
 * search reads (SOI, the frame header, EOI). Not decodable to pixels: tests that look at the
 * picture in a browser encode a real one there.
 */
export function jpegMarkers(width: number, height: number, components = 3): Uint8Array {
  const frame = [0xff, 0xc0, 0, 8 + 3 * components, 8, height >> 8, height & 255, width >> 8];
  frame.push(width & 255, components);
  for (let c = 1; c <= components; c++) frame.push(c, c === 1 ? 0x22 : 0x11, c === 1 ? 0 : 1);
  const scan = [0xff, 0xda, 0, 6 + 2 * components, components];
  for (let c = 1; c <= components; c++) scan.push(c, c === 1 ? 0 : 0x11);
  scan.push(0, 0x3f, 0);
  return Uint8Array.from([0xff, 0xd8, ...frame, ...scan, 0x12, 0x34, 0x56, 0xff, 0xd9]);
}
