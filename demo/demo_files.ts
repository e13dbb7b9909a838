/**
 * The bytes of the demo's documents, made at first start (never committed as binaries):
 * scanned-looking multi-page PDFs, a multi-page bilevel TIFF as archive scanners deliver,
 * short WAV recordings of council sessions. Same seed → the same bytes; only signed
 * envelopes differ between starts, since their keys are new each time.
 */
import { PDFDocument, PDFName, StandardFonts } from "pdf-lib";
import { writeTiff } from "../documents/tiff_writer.ts";
import { createRng, type Rng } from "./_prng.ts";

/** What a demo scan shows on its first page. */
export interface ScanHeading {
  title: string;
  lines: string[];
}

const A4 = [595, 842] as const;

/** Text for a PDF string in a standard font: ASCII only, parentheses and backslash escaped. */
function pdfText(s: string): string {
  return s.normalize("NFD").replace(/[^\x20-\x7e]/g, "").replace(/([()\\])/g, "\\$1");
}

/**
 * A PDF of `pages` A4 pages looking like a scanned typewritten dossier: yellowed paper, a
 * heading, lines of typed text slightly skewed, a protocol stamp, ruled tables on later pages,
 * specks. Page content is written as raw PDF operators (pdf-lib's drawText costs ~0.3 ms a
 * line, 20× this; the demo must not slow the first start).
 */
export async function scanPdf(
  seed: number,
  heading: ScanHeading,
  pages: number,
): Promise<Uint8Array> {
  const rng = createRng(seed);
  // No dates, no producer: the same input gives byte-identical files.
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const regular = await pdf.embedFont(StandardFonts.Courier);
  const bold = await pdf.embedFont(StandardFonts.CourierBold);
  for (let n = 0; n < pages; n++) {
    const page = pdf.addPage([A4[0], A4[1]]);
    page.node.setFontDictionary(PDFName.of("F1"), regular.ref);
    page.node.setFontDictionary(PDFName.of("F2"), bold.ref);
    const skew = (rng.next() - 0.5) * 0.02;
    const ops: string[] = ["0.97 0.95 0.89 rg 0 0 595 842 re f", "0.16 0.16 0.18 rg"];
    const text = (s: string, x: number, y: number, size: number, font = "F1") =>
      ops.push(`BT /${font} ${size} Tf 1 ${skew} ${-skew} 1 ${x} ${y} Tm (${pdfText(s)}) Tj ET`);
    text("COMUNE DI FALDONE - UFFICIO TECNICO", 60, 790, 11, "F2");
    text(`${heading.title}   pag. ${n + 1}/${pages}`, 60, 772, 10, "F2");
    if (n === 0) {
      heading.lines.forEach((line, i) => text(line, 60, 740 - i * 16, 10));
      ops.push("q 0.2 0.25 0.55 RG 1.6 w 420 90 110 50 re S Q");
      ops.push(`q 0.2 0.25 0.55 rg BT /F2 9 Tf 432 122 Td (PROTOCOLLO) Tj ET`);
      ops.push(`BT /F1 9 Tf 432 104 Td (n. ${rng.int(100, 9999)}) Tj ET Q`);
    }
    const top = n === 0 ? 712 - heading.lines.length * 16 : 740;
    const typed: string[] = [];
    for (let y = top; y > 150; y -= 15) {
      if (n > 0 && rng.chance(0.12)) ops.push(`0.8 w 58 ${y + 11} m 537 ${y + 11} l S`);
      // "Typed" lines: words of random length in a monospaced hand.
      const words: string[] = [];
      let width = 0;
      const limit = rng.int(35, 70);
      while (width < limit) {
        let w = "";
        for (let k = rng.int(2, 9); k > 0; k--) w += LETTERS[rng.int(0, 25)] ?? "a";
        words.push(w);
        width += w.length + 1;
      }
      typed.push(`(${words.join(" ")}) Tj T*`);
    }
    ops.push(`BT /F1 9 Tf 15 TL 1 ${skew} ${-skew} 1 60 ${top} Tm ${typed.join(" ")} ET`);
    for (let k = 0; k < 60; k++) {
      const w = (0.4 + rng.next() * 1.4).toFixed(2);
      ops.push(
        `${(rng.next() * A4[0]).toFixed(1)} ${(rng.next() * A4[1]).toFixed(1)} ${w} ${w} re f`,
      );
    }
    page.node.addContentStream(pdf.context.register(pdf.context.flateStream(ops.join("\n"))));
  }
  return await pdf.save({ useObjectStreams: false });
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/**
 * A bilevel TIFF of `pages` pages (A4 at 100 dpi, uncompressed): a frame, lines of "text"
 * as dark runs, scanner specks. What an archive scanner in bilevel mode delivers.
 */
export function scanTiff(seed: number, pages: number): Uint8Array {
  const rng = createRng(seed);
  const width = 827;
  const height = 1169;
  const rowBytes = Math.ceil(width / 8);
  const list = Array.from({ length: pages }, () => {
    const data = new Uint8Array(rowBytes * height);
    // WhiteIsZero: a set bit is black.
    const black = (x: number, y: number) => {
      if (x < 0 || y < 0 || x >= width || y >= height) return;
      const at = y * rowBytes + (x >> 3);
      data[at] = (data[at] ?? 0) | (0x80 >> (x & 7));
    };
    for (let x = 40; x < width - 40; x++) {
      [40, 41, height - 41, height - 40].forEach((y) => black(x, y));
    }
    for (let y = 40; y < height - 40; y++) {
      [40, 41, width - 41, width - 40].forEach((x) => black(x, y));
    }
    for (let y = 90; y < height - 90; y += 22) {
      let x = 80;
      const end = rng.int(400, width - 90);
      while (x < end) {
        const word = rng.int(12, 60);
        for (let dx = 0; dx < word; dx++) {
          for (let dy = 0; dy < 9; dy++) {
            if (rng.chance(0.55)) black(x + dx, y + dy);
          }
        }
        x += word + rng.int(8, 14);
      }
    }
    for (let k = 0; k < 300; k++) black(rng.int(0, width - 1), rng.int(0, height - 1));
    return { width, height, bitsPerSample: [1], photometric: 0, data };
  });
  return writeTiff(list);
}

/**
 * A mono 8 kHz 16-bit WAV of `seconds`: a low hum, a few spoken-like bursts of filtered
 * noise, a gavel tone. Small (16 KB a second) and playable by every browser.
 */
export function sessionWav(seed: number, seconds: number): Uint8Array {
  const rng: Rng = createRng(seed);
  const rate = 8000;
  const samples = rate * seconds;
  const out = new Uint8Array(44 + samples * 2);
  const v = new DataView(out.buffer);
  const ascii = (s: string, at: number) => [...s].forEach((c, i) => out[at + i] = c.charCodeAt(0));
  ascii("RIFF", 0);
  v.setUint32(4, 36 + samples * 2, true);
  ascii("WAVEfmt ", 8);
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii("data", 36);
  v.setUint32(40, samples * 2, true);
  let smooth = 0;
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const speaking = Math.sin(t * 2.1) > -0.2 && (t % 1.3) > 0.25;
    smooth = smooth * 0.85 + (rng.next() - 0.5) * 0.15;
    const voice = speaking ? smooth * 9000 * (0.6 + 0.4 * Math.sin(t * 31)) : 0;
    const hum = 500 * Math.sin(2 * Math.PI * 50 * t);
    const gavel = t < 0.25 ? 9000 * Math.sin(2 * Math.PI * 440 * t) * (1 - t * 4) : 0;
    const s = Math.max(-32768, Math.min(32767, Math.round(voice + hum + gavel)));
    v.setInt16(44 + i * 2, s, true);
  }
  return out;
}
