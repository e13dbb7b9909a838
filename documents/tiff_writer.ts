/**
 * Writes baseline TIFF files: any number of pages, one strip each, in either byte order. The
 * pixel data is given as it goes on disk (raw samples, or a CCITT G4 stream). The demo's
 * scanned dossier and the TIFF tests use it; no reader of Faldone depends on it.
 */

/** One page as written. */
export interface TiffPageData {
  width: number;
  height: number;
  /** One entry per sample: [1] bilevel, [8] grey, [8, 8, 8] RGB. */
  bitsPerSample: number[];
  /** 0 WhiteIsZero, 1 BlackIsZero, 2 RGB. */
  photometric: number;
  /** 1 none, 4 CCITT group 4. */
  compression?: number;
  /** NewSubfileType: 1 marks a reduced-resolution copy (a thumbnail), not a page. */
  subfileType?: number;
  data: Uint8Array;
}

const SHORT = 3;
const LONG = 4;

/** A TIFF holding `pages` in order; `bigEndian` writes "MM\0*" instead of "II*\0". */
export function writeTiff(pages: TiffPageData[], bigEndian = false): Uint8Array {
  const le = !bigEndian;
  const parts: Uint8Array[] = [];
  let size = 8;
  const header = new Uint8Array(8);
  parts.push(header);
  const headerView = new DataView(header.buffer);
  header.set(bigEndian ? [0x4d, 0x4d] : [0x49, 0x49]);
  headerView.setUint16(2, 42, le);
  let previousNext: { view: DataView; at: number } = { view: headerView, at: 4 };

  for (const page of pages) {
    const dataOffset = size;
    parts.push(page.data);
    size += page.data.length + (page.data.length % 2); // IFDs start on a word boundary
    if (page.data.length % 2) parts.push(new Uint8Array(1));

    const spp = page.bitsPerSample.length;
    type Entry = [tag: number, type: number, count: number, value: number];
    const subfile: Entry[] = page.subfileType === undefined
      ? []
      : [[254, LONG, 1, page.subfileType]];
    const entries: Entry[] = [
      ...subfile,
      [256, LONG, 1, page.width],
      [257, LONG, 1, page.height],
      [258, SHORT, spp, spp <= 2 ? page.bitsPerSample[0]! : -1],
      [259, SHORT, 1, page.compression ?? 1],
      [262, SHORT, 1, page.photometric],
      [273, LONG, 1, dataOffset],
      [277, SHORT, 1, spp],
      [278, LONG, 1, page.height],
      [279, LONG, 1, page.data.length],
      [284, SHORT, 1, 1],
    ];
    const ifdOffset = size;
    const ifdBytes = 2 + entries.length * 12 + 4;
    const extraOffset = ifdOffset + ifdBytes;
    const ifd = new Uint8Array(ifdBytes + (spp > 2 ? spp * 2 : 0));
    const view = new DataView(ifd.buffer);
    view.setUint16(0, entries.length, le);
    entries.forEach(([tag, type, count, value], i) => {
      const at = 2 + i * 12;
      view.setUint16(at, tag, le);
      view.setUint16(at + 2, type, le);
      view.setUint32(at + 4, count, le);
      if (value === -1) {
        view.setUint32(at + 8, extraOffset, le);
        page.bitsPerSample.forEach((b, k) => view.setUint16(ifdBytes + k * 2, b, le));
      } else if (type === SHORT) view.setUint16(at + 8, value, le);
      else view.setUint32(at + 8, value, le);
    });
    previousNext.view.setUint32(previousNext.at, ifdOffset, le);
    previousNext = { view, at: 2 + entries.length * 12 };
    parts.push(ifd);
    size += ifd.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
