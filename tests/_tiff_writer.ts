/**
 * The TIFF writer for tests (documents/tiff_writer.ts) and a hand-coded CCITT G4 page.
 */
import type { TiffPageData } from "../documents/tiff_writer.ts";
export { writeTiff } from "../documents/tiff_writer.ts";

/** A page as the tests describe it. */
export type TiffTestPage = TiffPageData;

/**
 * A 16×8 bilevel page coded in CCITT group 4 by hand: white except row 1, columns 4 to 7,
 * which are black. Row by row: V0; horizontal mode (001) white 4 (1011) black 4 (011) then
 * V0; pass mode (0001) then V0; five rows of V0; end of facsimile block.
 */
export function g4TestPage(): TiffTestPage {
  const bits = "1" + "001" + "1011" + "011" + "1" + "0001" + "1" + "11111" +
    "000000000001" + "000000000001";
  const data = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i] === "1") data[i >> 3]! |= 0x80 >> (i & 7);
  return { width: 16, height: 8, bitsPerSample: [1], photometric: 0, compression: 4, data };
}
