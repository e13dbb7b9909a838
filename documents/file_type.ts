/**
 * The real type of a document from its first bytes (magic numbers), for the types the archive
 * keeps. A file name or a declared mime type is never trusted for this: a `.pdf` may be a
 * JPEG, and the content of a `.p7m` has no name of its own.
 */

/** A type the archive can show, with the mime type to serve and the usual extension. */
export interface FileType {
  kind: "pdf" | "tiff" | "jpeg" | "png" | "mp3" | "ogg" | "wav" | "m4a" | "mp4" | "webm";
  mime: string;
  extension: string;
}

const TYPES = {
  pdf: { kind: "pdf", mime: "application/pdf", extension: "pdf" },
  tiff: { kind: "tiff", mime: "image/tiff", extension: "tif" },
  jpeg: { kind: "jpeg", mime: "image/jpeg", extension: "jpg" },
  png: { kind: "png", mime: "image/png", extension: "png" },
  mp3: { kind: "mp3", mime: "audio/mpeg", extension: "mp3" },
  ogg: { kind: "ogg", mime: "audio/ogg", extension: "ogg" },
  wav: { kind: "wav", mime: "audio/wav", extension: "wav" },
  m4a: { kind: "m4a", mime: "audio/mp4", extension: "m4a" },
  mp4: { kind: "mp4", mime: "video/mp4", extension: "mp4" },
  webm: { kind: "webm", mime: "video/webm", extension: "webm" },
} as const satisfies Record<string, FileType>;

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

/** MPEG-1/2 audio layer III frame header (no ID3 tag in front). */
function isMp3Frame(bytes: Uint8Array): boolean {
  const b1 = bytes[1] ?? 0;
  const b2 = bytes[2] ?? 0;
  return bytes[0] === 0xff && (b1 & 0xe0) === 0xe0 && // 11-bit frame sync
    (b1 & 0x18) !== 0x08 && // version not reserved
    (b1 & 0x06) === 0x02 && // layer III (AAC ADTS has 00 here)
    (b2 & 0xf0) !== 0xf0; // bitrate index not "bad"
}

/** The type of `bytes` by magic number, or null when it is none of the kept types. */
export function detectFileType(bytes: Uint8Array): FileType | null {
  if (ascii(bytes, 0, 5) === "%PDF-") return TYPES.pdf;
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return TYPES.tiff;
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return TYPES.jpeg;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return TYPES.png;
  if (ascii(bytes, 0, 3) === "ID3" || isMp3Frame(bytes)) return TYPES.mp3;
  if (ascii(bytes, 0, 4) === "OggS") return TYPES.ogg;
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WAVE") return TYPES.wav;
  if (ascii(bytes, 4, 8) === "ftyp") {
    const brand = ascii(bytes, 8, 12);
    return brand === "M4A " || brand === "M4B " ? TYPES.m4a : TYPES.mp4;
  }
  // EBML header; Matroska and WebM share it, the DocType element tells them apart.
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) {
    return ascii(bytes, 4, 64).includes("webm") ? TYPES.webm : null;
  }
  return null;
}
