/**
 * The real type of a file, from its first bytes rather than its name or what the sender
 * claims: an import line saying `.pdf` over a ZIP, or a `.p7m` that is not a signed envelope,
 * must not reach the viewer. Only the types Faldone can show are recognised; anything else is
 * `undefined` (unsupported), never a guess.
 */

/** How many leading bytes `detectFileType` wants; fewer (a short file) are fine. */
export const FILE_TYPE_HEAD_BYTES = 4096;

/** The mime types `detectFileType` answers. */
export const SUPPORTED_MIME_TYPES = [
  "application/pdf",
  "image/tiff",
  "image/jpeg",
  "image/png",
  "audio/mpeg",
  "audio/ogg",
  "video/ogg",
  "audio/wav",
  "audio/mp4",
  "video/mp4",
  "video/webm",
  "application/pkcs7-mime",
] as const;

export type SupportedMime = typeof SUPPORTED_MIME_TYPES[number];

/** The usual extension of each type: a bare `atto.p7m` holding a PDF is shown as `atto.pdf`. */
export const FILE_EXTENSIONS: Record<SupportedMime, string> = {
  "application/pdf": "pdf",
  "image/tiff": "tif",
  "image/jpeg": "jpg",
  "image/png": "png",
  "audio/mpeg": "mp3",
  "audio/ogg": "ogg",
  "video/ogg": "ogv",
  "audio/wav": "wav",
  "audio/mp4": "m4a",
  "video/mp4": "mp4",
  "video/webm": "webm",
  "application/pkcs7-mime": "p7m",
};

/** The mime type of a file whose first bytes are `head`, or undefined when unsupported. */
export function detectFileType(head: Uint8Array): SupportedMime | undefined {
  if (startsWith(head, ascii("%PDF-"))) return "application/pdf";
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) {
    return "image/tiff";
  }
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(head, ascii("OggS"))) {
    return indexOf(head, ascii("\x80theora")) >= 0 ? "video/ogg" : "audio/ogg";
  }
  if (startsWith(head, ascii("RIFF")) && startsWith(head.subarray(8), ascii("WAVE"))) {
    return "audio/wav";
  }
  if (startsWith(head.subarray(4), ascii("ftyp"))) return isoMediaType(head);
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return ebmlType(head);
  // ID3v2.2-2.4 tag before the frames: "ID3", major version, revision (never 0xFF).
  if (startsWith(head, ascii("ID3")) && [2, 3, 4].includes(head[3]!) && head[4] !== 0xff) {
    return "audio/mpeg";
  }
  if (isMp3Frames(head)) return "audio/mpeg";
  if (isSignedData(head) || isSignedData(base64Head(head))) return "application/pkcs7-mime";
  if (isPdfAfterText(head)) return "application/pdf";
  return undefined;
}

/**
 * PDF readers accept the %PDF- header anywhere in the first 1024 bytes, and some scanners
 * prepend a line of text. Only text may come before it: a signed envelope or an archive
 * holding a PDF near its start is not a PDF.
 */
function isPdfAfterText(head: Uint8Array): boolean {
  const at = indexOf(head.subarray(0, 1024), ascii("%PDF-"));
  if (at < 0) return false;
  return head.subarray(0, at).every((b) =>
    b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f)
  );
}

/** Reads the first bytes of a file and detects its type. */
export async function detectFileTypeOfFile(path: string): Promise<SupportedMime | undefined> {
  const file = await Deno.open(path, { read: true });
  try {
    const head = new Uint8Array(FILE_TYPE_HEAD_BYTES);
    let filled = 0;
    while (filled < head.length) {
      const n = await file.read(head.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    return detectFileType(head.subarray(0, filled));
  } finally {
    file.close();
  }
}

const AUDIO_BRANDS = new Set(["M4A ", "M4B ", "M4P ", "F4A ", "F4B "]);
const VIDEO_BRANDS = new Set([
  "isom",
  "iso2",
  "iso3",
  "iso4",
  "iso5",
  "iso6",
  "mp41",
  "mp42",
  "avc1",
  "M4V ",
  "M4VH",
  "M4VP",
  "F4V ",
  "dash",
  "mmp4",
]);

/**
 * An ISO media file (`ftyp` box): the major brand says audio (iTunes-style M4A/M4B) or video.
 * A generic brand (`isom`, `mp42`) may hold sound alone; it is called video/mp4, which
 * browsers play in a <video> element all the same. QuickTime, 3GP and HEIF are not supported.
 */
function isoMediaType(head: Uint8Array): SupportedMime | undefined {
  const major = latin1(head.subarray(8, 12));
  if (AUDIO_BRANDS.has(major)) return "audio/mp4";
  if (VIDEO_BRANDS.has(major)) return "video/mp4";
  return undefined;
}

/** An EBML file is WebM when its DocType says so; Matroska (.mkv) is not supported. */
function ebmlType(head: Uint8Array): SupportedMime | undefined {
  const at = indexOf(head.subarray(0, 64), [0x42, 0x82]); // DocType element id
  if (at < 0) return undefined;
  const size = head[at + 2];
  if (size === undefined || (size & 0x80) === 0) return undefined; // one-byte size only
  const docType = latin1(head.subarray(at + 3, at + 3 + (size & 0x7f)));
  return docType === "webm" ? "video/webm" : undefined;
}

// MPEG audio layer III frame header tables (ISO 11172-3 and 13818-3).
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

/** The length of the MP3 frame whose header is at `at`, or undefined if none is there. */
function mp3FrameLength(head: Uint8Array, at: number): number | undefined {
  const [b0, b1, b2] = [head[at], head[at + 1], head[at + 2]];
  if (b0 !== 0xff || b1 === undefined || b2 === undefined || (b1 & 0xe0) !== 0xe0) {
    return undefined;
  }
  const version = (b1 >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5, 1 reserved
  const layer = (b1 >> 1) & 3; // 1 = layer III
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15) return undefined;
  if (rateIndex === 3) return undefined;
  const bitrate = (version === 3 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex]! * 1000;
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
  const padding = (b2 >> 1) & 1;
  return Math.floor(((version === 3 ? 144 : 72) * bitrate) / sampleRate) + padding;
}

/**
 * MP3 without an ID3 tag starts with a frame header; a valid-looking first header is not
 * enough (two bytes of noise can pass), so the next frame must follow where the first says,
 * when the head reaches that far.
 */
function isMp3Frames(head: Uint8Array): boolean {
  const length = mp3FrameLength(head, 0);
  if (length === undefined) return false;
  if (length + 3 > head.length) return head.length < FILE_TYPE_HEAD_BYTES;
  return mp3FrameLength(head, length) !== undefined;
}

// 06 09 2A 86 48 86 F7 0D 01 07 02: OBJECT IDENTIFIER 1.2.840.113549.1.7.2 (signedData)
const SIGNED_DATA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/**
 * A CMS ContentInfo of signedData: a SEQUENCE (definite or BER indefinite length) whose
 * first element is the signedData OID. The envelope is verified by documents/signed_file.ts;
 * this only says the bytes are one.
 */
function isSignedData(head: Uint8Array): boolean {
  if (head[0] !== 0x30 || head[1] === undefined) return false;
  const lengthByte = head[1];
  // 0x80 is BER's indefinite length; 0x81..0x84 say how many length bytes follow.
  const headerLength = lengthByte <= 0x80 ? 2 : lengthByte <= 0x84 ? 2 + (lengthByte & 0x7f) : 0;
  if (headerLength === 0) return false;
  return startsWith(head.subarray(headerLength), SIGNED_DATA_OID);
}

/**
 * The first bytes of a base64 `.p7m` (some signing tools write the DER as base64, with or
 * without a PEM armour line) decoded; an empty array when the head is not base64 text.
 */
function base64Head(head: Uint8Array): Uint8Array {
  let text = latin1(head.subarray(0, 512));
  const armour = /^-----BEGIN (?:PKCS7|CMS|PKCS #7 SIGNED DATA)-----\r?\n/.exec(text);
  if (armour) text = text.slice(armour[0].length);
  const chars = text.replace(/[\r\n]/g, "").slice(0, 64);
  if (chars.length < 24 || !/^[A-Za-z0-9+/]+$/.test(chars)) return new Uint8Array(0);
  try {
    return Uint8Array.from(
      atob(chars.slice(0, chars.length - (chars.length % 4))),
      (c) => c.charCodeAt(0),
    );
  } catch {
    return new Uint8Array(0);
  }
}

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function startsWith(bytes: Uint8Array, prefix: ArrayLike<number>): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function indexOf(bytes: Uint8Array, needle: ArrayLike<number>): number {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

// Names archives use beside the canonical ones (`.tiff`, `.jpeg`, `.p7s` is detached: not kept).
const NAME_TYPES: Record<string, SupportedMime> = {
  ...Object.fromEntries(Object.entries(FILE_EXTENSIONS).map(([mime, ext]) => [ext, mime])),
  tiff: "image/tiff",
  jpeg: "image/jpeg",
  oga: "audio/ogg",
  mp4a: "audio/mp4",
};

/**
 * The type a file's name claims by its extension, or undefined. Only a label for listings
 * made without the bytes (a metadata-only import, a branch that has not fetched the file):
 * what a file is comes from `detectFileType`.
 */
export function mimeOfName(name: string): SupportedMime | undefined {
  const dot = name.lastIndexOf(".");
  if (dot < 0 || dot < name.lastIndexOf("/")) return undefined;
  return NAME_TYPES[name.slice(dot + 1).toLowerCase()];
}
