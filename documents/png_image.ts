/**
 * A PNG as a PDF image without decoding it: PDF's FlateDecode with the PNG predictors
 * (/Predictor 15) reads a PNG's IDAT data as is. pdf-lib's `embedPng` instead decodes every
 * pixel to RGBA and deflates it again, seconds for an A4 page at 300 dpi; a TIFF page the
 * viewer converted is exactly such a PNG (1-bit or 8-bit grey, or RGB). Only what PDF can take
 * unchanged is done here (no alpha, no transparency chunk, not interlaced); anything else
 * returns undefined and the caller falls back to pdf-lib.
 */
import type { PDFContext, PDFRawStream } from "pdf-lib";
import { PDFHexString, PDFRawStream as RawStream } from "pdf-lib";

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** Width, height and the image stream, or undefined when PDF cannot take the data as is. */
export function pngAsPdfImage(
  context: PDFContext,
  png: Uint8Array,
): { width: number; height: number; stream: PDFRawStream } | undefined {
  if (png.length < 33 || SIGNATURE.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let header: { width: number; height: number; depth: number; colour: number } | undefined;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (at + 8 <= png.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (data.length !== length) return undefined;
    if (type === "IHDR") {
      if (data[12] !== 0) return undefined; // interlaced (Adam7): no PDF predictor for it
      header = {
        width: view.getUint32(at + 8),
        height: view.getUint32(at + 12),
        depth: data[8] ?? 0,
        colour: data[9] ?? 0,
      };
    } else if (type === "PLTE") palette = data;
    else if (type === "tRNS") return undefined; // transparency: let pdf-lib make a mask
    else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  if (!header || idat.length === 0) return undefined;
  const { width, height, depth, colour } = header;
  // context.obj makes plain strings names, which is what ColorSpace wants.
  let colourSpace: string | (string | number | PDFHexString)[];
  let colours: number;
  if (colour === 0) {
    colourSpace = "DeviceGray";
    colours = 1;
  } else if (colour === 2) {
    colourSpace = "DeviceRGB";
    colours = 3;
  } else if (colour === 3 && palette) {
    colourSpace = [
      "Indexed",
      "DeviceRGB",
      palette.length / 3 - 1,
      PDFHexString.of(Array.from(palette, (b) => b.toString(16).padStart(2, "0")).join("")),
    ];
    colours = 1;
  } else {
    return undefined; // grey + alpha, RGBA
  }
  const total = idat.reduce((sum, part) => sum + part.length, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const part of idat) {
    data.set(part, offset);
    offset += part.length;
  }
  const dict = context.obj({
    Type: "XObject",
    Subtype: "Image",
    Width: width,
    Height: height,
    ColorSpace: colourSpace,
    BitsPerComponent: depth,
    Filter: "FlateDecode",
    DecodeParms: { Predictor: 15, Colors: colours, BitsPerComponent: depth, Columns: width },
    Length: data.length,
  });
  return { width, height, stream: RawStream.of(dict, data) };
}
