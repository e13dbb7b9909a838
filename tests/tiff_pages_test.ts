/** Multi-page TIFF to PNG pages, on TIFF files written here (raw and CCITT G4). */
import assert from "node:assert/strict";
import { decode as decodePng } from "fast-png";
import { openTiff, TiffError, tiffToPngPages } from "../documents/tiff_pages.ts";
import { g4TestPage, type TiffTestPage, writeTiff } from "./_tiff_writer.ts";

/** A 3×2 RGB page: red, green, blue / white, black, grey. */
const RGB_PAGE: TiffTestPage = {
  width: 3,
  height: 2,
  bitsPerSample: [8, 8, 8],
  photometric: 2,
  data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128]),
};

/** A 5×4 grey page (BlackIsZero) whose pixel (x, y) is 10·(y·5 + x). */
const GREY_PAGE: TiffTestPage = {
  width: 5,
  height: 4,
  bitsPerSample: [8],
  photometric: 1,
  data: Uint8Array.from({ length: 20 }, (_, i) => i * 10),
};

function pixel(png: Uint8Array, x: number, y: number): number[] {
  const image = decodePng(png);
  const channels = image.channels;
  if (image.depth === 1) {
    const rowBytes = Math.ceil(image.width / 8);
    const byte = (image.data as Uint8Array)[y * rowBytes + (x >> 3)]!;
    return [(byte >> (7 - (x & 7))) & 1];
  }
  const at = (y * image.width + x) * channels;
  return Array.from(image.data.subarray(at, at + channels));
}

Deno.test("a two-page TIFF becomes two PNG pages of the right size and colours", () => {
  const pages = tiffToPngPages(writeTiff([RGB_PAGE, GREY_PAGE]));
  assert.equal(pages.length, 2);
  assert.deepEqual(pages.map((p) => [p.index, p.width, p.height]), [[0, 3, 2], [1, 5, 4]]);
  const first = decodePng(pages[0]!.png);
  assert.deepEqual([first.width, first.height, first.channels], [3, 2, 3]);
  assert.deepEqual(pixel(pages[0]!.png, 0, 0), [255, 0, 0]);
  assert.deepEqual(pixel(pages[0]!.png, 2, 0), [0, 0, 255]);
  assert.deepEqual(pixel(pages[0]!.png, 2, 1), [128, 128, 128]);
  const second = decodePng(pages[1]!.png);
  assert.deepEqual([second.width, second.height, second.channels], [5, 4, 1]);
  assert.deepEqual(pixel(pages[1]!.png, 3, 2), [130]);
  assert.deepEqual(pixel(pages[1]!.png, 4, 3), [190]);
});

Deno.test("a CCITT G4 fax page and a big-endian TIFF decode to exact bilevel pixels", () => {
  // Page 2: the same picture uncompressed, WhiteIsZero, two bytes a row.
  const raw: TiffTestPage = {
    width: 16,
    height: 8,
    bitsPerSample: [1],
    photometric: 0,
    data: new Uint8Array(16),
  };
  raw.data[2] = 0x0f; // row 1, columns 4–7 set: black in WhiteIsZero
  const doc = openTiff(writeTiff([g4TestPage(), raw], true));
  assert.equal(doc.pageCount, 2);
  assert.deepEqual(doc.sizes, [{ width: 16, height: 8 }, { width: 16, height: 8 }]);
  for (const index of [0, 1]) {
    const page = doc.page(index);
    const image = decodePng(page.png);
    assert.deepEqual([image.width, image.height, image.depth, image.channels], [16, 8, 1, 1]);
    // PNG grey: 0 black, 1 white.
    for (let x = 0; x < 16; x++) {
      assert.deepEqual(pixel(page.png, x, 1), [x >= 4 && x < 8 ? 0 : 1], `page ${index} x ${x}`);
    }
    assert.deepEqual(pixel(page.png, 5, 0), [1]);
    assert.deepEqual(pixel(page.png, 5, 2), [1]);
    assert.deepEqual(pixel(page.png, 15, 7), [1]);
  }
});

Deno.test("a thumbnail directory is not counted as a page", () => {
  const thumb = { ...GREY_PAGE, subfileType: 1 };
  const doc = openTiff(writeTiff([RGB_PAGE, thumb, GREY_PAGE]));
  assert.equal(doc.pageCount, 2);
  assert.deepEqual(doc.sizes[1], { width: 5, height: 4 });
});

Deno.test("a TIFF that cannot be shown is a clear error, not a blank page", () => {
  const huge = { ...GREY_PAGE, width: 100_000, height: 100_000 };
  assert.throws(() => openTiff(writeTiff([huge])).page(0), TiffError);
  assert.throws(
    () => openTiff(writeTiff([GREY_PAGE]), { maxPixels: 19 }).page(0),
    /troppo grande/,
  );
  const jpeg2000 = { ...GREY_PAGE, compression: 34712 };
  assert.throws(() => openTiff(writeTiff([jpeg2000])).page(0), /compressione TIFF 34712/);
  assert.throws(() => openTiff(new TextEncoder().encode("II*\0 non proprio")), TiffError);
  const cut = writeTiff([{ ...GREY_PAGE, data: GREY_PAGE.data.subarray(0, 3) }]);
  assert.throws(() => openTiff(cut).page(0), /troncato/);
  // A G4 strip said to run past the end of the file (as in a file cut short).
  const g4 = writeTiff([g4TestPage()]);
  const view = new DataView(g4.buffer);
  const ifd = view.getUint32(4, true);
  for (let i = 0; i < view.getUint16(ifd, true); i++) {
    const entry = ifd + 2 + i * 12;
    if (view.getUint16(entry, true) === 273) view.setUint32(entry + 8, g4.length - 2, true);
  }
  assert.throws(() => openTiff(g4).page(0), /troncato/);
  assert.throws(() => openTiff(writeTiff([RGB_PAGE])).page(1), RangeError);
});
