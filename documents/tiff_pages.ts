/**
 * Multi-page TIFF (what archive scanners deliver) to one PNG per page, since no browser shows
 * TIFF. Pure JavaScript: utif2 decodes (CCITT G3/G4, LZW, PackBits, Deflate, JPEG), fast-png
 * encodes. Why these and not sharp, with figures: docs/DOCUMENTS.md, "TIFF pages".
 *
 * Decoding is synchronous CPU work (about 0.2–0.5 s for an A4 page at 300 dpi): a server
 * should call this from a worker, once per page, and keep the PNG (e.g. in the file store).
 */
import { encode as encodePng } from "fast-png";
import UTIF from "utif2";

/** One page as a PNG. */
export interface TiffPage {
  index: number;
  width: number;
  height: number;
  png: Uint8Array;
}

/** A parsed TIFF: its page sizes are known, pages are decoded one at a time on demand. */
export interface TiffDocument {
  pageCount: number;
  sizes: { width: number; height: number }[];
  page(index: number): TiffPage;
}

export interface TiffOptions {
  /**
   * The largest page accepted, in pixels: a 1 KB file may claim 100,000 × 100,000 pixels
   * and ask for gigabytes. The default takes an A0 drawing at 300 dpi (about 140 M pixels)
   * only as bilevel; colour pages need 4 bytes a pixel while converting.
   */
  maxPixels?: number;
}

/** A TIFF that cannot be shown; the message is for the user, in Italian. */
export class TiffError extends Error {}

const DEFAULT_MAX_PIXELS = 150_000_000;
const DEFAULT_MAX_COLOUR_PIXELS = 60_000_000;

/** Compressions utif2 decodes well; anything else would come out as a blank page. */
const COMPRESSIONS = new Map<number, string>([
  [1, "nessuna"],
  [2, "CCITT RLE"],
  [3, "CCITT G3"],
  [4, "CCITT G4"],
  [5, "LZW"],
  [7, "JPEG"],
  [8, "Deflate"],
  [32946, "Deflate"],
  [32773, "PackBits"],
]);

type Ifd = UTIF.IFD;
/** utif2's own signature: its typings omit the third argument (all IFDs) that it reads. */
const decodeImage = UTIF.decodeImage as (buffer: ArrayBuffer, ifd: Ifd, ifds: Ifd[]) => void;

function tag(ifd: Ifd, id: number): number | undefined {
  const value = ifd[`t${id}`];
  return Array.isArray(value) && typeof value[0] === "number" ? value[0] : undefined;
}

/** Parses the page directories of a TIFF (no pixel is decoded yet). */
export function openTiff(bytes: Uint8Array, options: TiffOptions = {}): TiffDocument {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  // utif2 copies a Uint8Array it is given on every call; an exact ArrayBuffer it only views.
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes.buffer as ArrayBuffer
    : bytes.slice().buffer;
  let ifds: Ifd[];
  try {
    ifds = UTIF.decode(buffer);
  } catch (err) {
    throw new TiffError(`TIFF illeggibile: ${(err as Error).message ?? err}`);
  }
  // Reduced-resolution copies (thumbnails, NewSubfileType bit 0) are not pages.
  const pages = ifds.filter((ifd) =>
    tag(ifd, 256) !== undefined && tag(ifd, 257) !== undefined && ((tag(ifd, 254) ?? 0) & 1) === 0
  );
  if (pages.length === 0) throw new TiffError("TIFF senza pagine: nessuna immagine nel file");
  const sizes = pages.map((ifd) => ({ width: tag(ifd, 256)!, height: tag(ifd, 257)! }));

  return {
    pageCount: pages.length,
    sizes,
    page(index: number): TiffPage {
      const ifd = pages[index];
      if (!ifd) throw new RangeError(`page ${index} of ${pages.length}`);
      const { width, height } = sizes[index]!;
      const bits = tag(ifd, 258) ?? 1;
      const samples = tag(ifd, 277) ?? 1;
      const bilevel = bits === 1 && samples === 1;
      const limit = bilevel ? maxPixels : Math.min(maxPixels, DEFAULT_MAX_COLOUR_PIXELS);
      if (width < 1 || height < 1 || width * height > limit) {
        throw new TiffError(
          `Pagina ${index + 1} troppo grande: ${width} × ${height} pixel (massimo ${
            limit.toLocaleString("it-IT")
          })`,
        );
      }
      const compression = tag(ifd, 259) ?? 1;
      if (!COMPRESSIONS.has(compression)) {
        throw new TiffError(
          `Pagina ${index + 1}: compressione TIFF ${compression} non supportata`,
        );
      }
      checkStrips(ifd, index, bytes.length, Math.ceil((width * bits * samples) / 8) * height);
      try {
        decodeImage(buffer, ifd, ifds);
      } catch (err) {
        throw new TiffError(
          `Pagina ${index + 1} illeggibile: ${(err as Error).message ?? err}`,
        );
      }
      try {
        return { index, width, height, png: toPng(ifd, width, height, bits, samples) };
      } finally {
        ifd.data = new Uint8Array(0); // let the decoded pixels go before the next page
      }
    },
  };
}

/** Every page of a TIFF as PNG, in order. */
export function tiffToPngPages(bytes: Uint8Array, options: TiffOptions = {}): TiffPage[] {
  const doc = openTiff(bytes, options);
  return Array.from({ length: doc.pageCount }, (_, i) => doc.page(i));
}

/**
 * Every strip or tile must lie inside the file, and uncompressed data must be whole: utif2
 * reads past a cut file as zeros, which would show a blank or half page as if it were right.
 */
function checkStrips(ifd: Ifd, index: number, fileBytes: number, rawBytes: number): void {
  const offsets = (ifd["t273"] ?? ifd["t324"]) as number[] | undefined;
  const counts = (ifd["t279"] ?? ifd["t325"]) as number[] | undefined;
  const cut = new TiffError(`TIFF troncato o danneggiato: mancano dati della pagina ${index + 1}`);
  if (!Array.isArray(offsets) || !Array.isArray(counts) || offsets.length !== counts.length) {
    throw cut;
  }
  let total = 0;
  for (let i = 0; i < offsets.length; i++) {
    if (offsets[i]! + counts[i]! > fileBytes) throw cut;
    total += counts[i]!;
  }
  if ((tag(ifd, 259) ?? 1) === 1 && total < rawBytes) throw cut;
}

function toPng(ifd: Ifd, width: number, height: number, bits: number, samples: number) {
  const photometric = tag(ifd, 262) ?? 1;
  const data = ifd.data;
  if (samples === 1 && (bits === 1 || bits === 8) && (photometric === 0 || photometric === 1)) {
    // Bilevel and grey scans stay one channel (a 1-bit A4 page is kilobytes, not megabytes).
    // PNG grey has 0 = black: WhiteIsZero data is inverted.
    const rowBytes = Math.ceil((width * bits) / 8);
    if (data.length < rowBytes * height) {
      throw new TiffError("TIFF troncato: mancano dati della pagina");
    }
    const pixels = data.subarray(0, rowBytes * height);
    const grey = photometric === 0 ? pixels.map((b) => ~b & 0xff) : pixels;
    return encodePng({ width, height, data: grey, channels: 1, depth: bits === 1 ? 1 : 8 });
  }
  const rgba = UTIF.toRGBA8(ifd);
  let opaque = true;
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] !== 255) {
      opaque = false;
      break;
    }
  }
  if (!opaque) return encodePng({ width, height, data: rgba, channels: 4, depth: 8 });
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0, q = 0; q < rgb.length; p += 4, q += 3) {
    rgb[q] = rgba[p]!;
    rgb[q + 1] = rgba[p + 1]!;
    rgb[q + 2] = rgba[p + 2]!;
  }
  return encodePng({ width, height, data: rgb, channels: 3, depth: 8 });
}
