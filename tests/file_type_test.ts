/** Real types by magic bytes, on minimal but genuine samples built here. */
import assert from "node:assert/strict";
import { encode as encodePng } from "fast-png";
import { detectFileType, detectFileTypeOfFile } from "../documents/file_type.ts";
import { writeTiff } from "./_tiff_writer.ts";

const text = (s: string) => new TextEncoder().encode(s);

function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function u32le(n: number): number[] {
  return [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
}

function u32be(n: number): number[] {
  return u32le(n).reverse();
}

const MINIMAL_PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
  "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
  "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n" +
  "trailer<</Root 1 0 R>>\n%%EOF\n";

// A 2×2 grey JPEG made once with sharp; embedded because no JPEG encoder is a dependency.
const JPEG_2X2 = Uint8Array.from(
  atob(
    "/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAIDASIAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAUAQEAAAAAAAAAAAAAAAAAAAAA/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8AAA//2Q==",
  ),
  (c) => c.charCodeAt(0),
);

/** Two silent MPEG-1 layer III frames, 128 kbit/s at 44.1 kHz: 417 bytes each. */
function mp3Frames(count = 2): Uint8Array {
  const frame = new Uint8Array(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  return concat(...Array.from({ length: count }, () => frame));
}

/** An Ogg page (with its real CRC) carrying one packet. */
function oggPage(packet: Uint8Array): Uint8Array {
  const page = concat(
    text("OggS"),
    [0, 2], // version, beginning of stream
    new Uint8Array(8), // granule position
    u32le(0x1234), // serial
    u32le(0), // sequence
    u32le(0), // CRC, filled in below
    [1, packet.length],
    packet,
  );
  let crc = 0;
  for (const byte of page) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  page.set(u32le(crc >>> 0), 22);
  return page;
}

const VORBIS_ID = concat([1], text("vorbis"), u32le(0), [1], u32le(44100), u32le(0), u32le(0), [
  0,
  0,
  0,
  0,
  0xb8,
  1,
]);

function wav(): Uint8Array {
  const samples = new Uint8Array(200); // 100 silent 16-bit samples
  return concat(
    text("RIFF"),
    u32le(36 + samples.length),
    text("WAVEfmt "),
    u32le(16),
    [1, 0, 1, 0], // PCM, mono
    u32le(8000),
    u32le(16000),
    [2, 0, 16, 0],
    text("data"),
    u32le(samples.length),
    samples,
  );
}

/** An ISO media file: an `ftyp` box with this major brand, then an empty `mdat`. */
function isoMedia(major: string): Uint8Array {
  return concat(
    u32be(24),
    text("ftyp"),
    text(major),
    u32be(0),
    text(major),
    text("isom"),
    u32be(8),
    text("mdat"),
  );
}

function ebml(docType: string): Uint8Array {
  const element = (id: number[], body: ArrayLike<number>) => concat(id, [0x80 | body.length], body);
  const header = concat(
    element([0x42, 0x86], [1]),
    element([0x42, 0xf7], [1]),
    element([0x42, 0xf2], [4]),
    element([0x42, 0xf3], [8]),
    element([0x42, 0x82], text(docType)),
    element([0x42, 0x87], [2]),
    element([0x42, 0x85], [2]),
  );
  return concat(
    [0x1a, 0x45, 0xdf, 0xa3, 0x80 | header.length],
    header,
    [0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  );
}

/** A DER element: tag, definite length (short or long form), body. */
function der(tag: number, ...body: ArrayLike<number>[]): Uint8Array {
  const content = concat(...body);
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concat([tag], length, content);
}

const OID_SIGNED_DATA = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const OID_ENVELOPED_DATA = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03];
const OID_DATA = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const OID_SHA256 = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];

/** A CMS ContentInfo around a SignedData with the content inside and no signer yet. */
function signedData(content: Uint8Array, contentType = OID_SIGNED_DATA): Uint8Array {
  const inner = der(
    0x30,
    der(0x02, [1]),
    der(0x31, der(0x30, OID_SHA256, [0x05, 0x00])),
    der(0x30, OID_DATA, der(0xa0, der(0x04, content))),
    der(0x31),
  );
  return der(0x30, contentType, der(0xa0, inner));
}

/** The same, in BER with indefinite lengths, as several Italian signing tools write it. */
function signedDataBer(content: Uint8Array): Uint8Array {
  return concat(
    [0x30, 0x80],
    OID_SIGNED_DATA,
    [0xa0, 0x80, 0x30, 0x80],
    der(0x02, [1]),
    der(0x31, der(0x30, OID_SHA256, [0x05, 0x00])),
    der(0x30, OID_DATA, der(0xa0, der(0x04, content))),
    der(0x31),
    [0, 0, 0, 0, 0, 0],
  );
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

Deno.test("documents are recognised by their bytes", () => {
  const grey = {
    width: 2,
    height: 1,
    data: new Uint8Array([0, 255]),
    channels: 1,
    depth: 8,
  } as const;
  const tiffPage = {
    width: 2,
    height: 1,
    bitsPerSample: [8],
    photometric: 1,
    data: new Uint8Array([0, 255]),
  };
  const cases: [string, Uint8Array, string][] = [
    ["pdf", text(MINIMAL_PDF), "application/pdf"],
    ["pdf after a scanner's line", text("SCANNER 42\n" + MINIMAL_PDF), "application/pdf"],
    ["tiff II", writeTiff([tiffPage]), "image/tiff"],
    ["tiff MM", writeTiff([tiffPage], true), "image/tiff"],
    ["jpeg", JPEG_2X2, "image/jpeg"],
    ["png", encodePng(grey), "image/png"],
    ["mp3 frames", mp3Frames(), "audio/mpeg"],
    ["mp3 with an ID3 tag", concat(text("ID3"), [4, 0, 0, 0, 0, 0, 0], mp3Frames()), "audio/mpeg"],
    ["ogg vorbis", oggPage(VORBIS_ID), "audio/ogg"],
    ["ogg theora", oggPage(concat([0x80], text("theora"), [3, 2, 1])), "video/ogg"],
    ["wav", wav(), "audio/wav"],
    ["m4a", isoMedia("M4A "), "audio/mp4"],
    ["mp4", isoMedia("isom"), "video/mp4"],
    ["mp4 v2", isoMedia("mp42"), "video/mp4"],
    ["webm", ebml("webm"), "video/webm"],
    ["p7m DER", signedData(text(MINIMAL_PDF)), "application/pkcs7-mime"],
    ["p7m DER long", signedData(new Uint8Array(1000)), "application/pkcs7-mime"],
    ["p7m BER", signedDataBer(text(MINIMAL_PDF)), "application/pkcs7-mime"],
    ["p7m base64", text(base64(signedData(mp3Frames()))), "application/pkcs7-mime"],
    [
      "p7m PEM",
      text(
        "-----BEGIN PKCS7-----\n" +
          base64(signedData(text(MINIMAL_PDF))).replace(/.{64}/g, "$&\n") +
          "\n-----END PKCS7-----\n",
      ),
      "application/pkcs7-mime",
    ],
  ];
  for (const [name, bytes, mime] of cases) assert.equal(detectFileType(bytes), mime, name);
});

Deno.test("anything else is unsupported, never a guess", () => {
  const noise = new Uint8Array(4096);
  let x = 12345;
  for (let i = 0; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  const fakeMp3 = concat([0xff, 0xfb, 0x90, 0x00], noise.subarray(4)); // one header, then noise
  const cases: [string, Uint8Array][] = [
    ["empty", new Uint8Array(0)],
    ["text", text("Pratica edilizia 452/1987")],
    ["html", text("<!doctype html><title>x</title>")],
    ["zip", concat([0x50, 0x4b, 0x03, 0x04], new Uint8Array(30))],
    [
      "zip with a stored pdf",
      concat([0x50, 0x4b, 0x03, 0x04], new Uint8Array(30), text(MINIMAL_PDF)),
    ],
    ["avi", concat(text("RIFF"), u32le(4), text("AVI LIST"))],
    ["quicktime", isoMedia("qt  ")],
    ["3gp", isoMedia("3gp4")],
    ["heic", isoMedia("heic")],
    ["matroska", ebml("matroska")],
    ["cms enveloped, not signed", signedData(text("x"), OID_ENVELOPED_DATA)],
    ["a bare DER sequence", der(0x30, der(0x30, der(0x02, [1])))],
    ["base64 of text", text(btoa("non è una busta firmata, solo testo qualsiasi"))],
    ["noise", noise],
    ["an mp3 header followed by noise", fakeMp3],
  ];
  for (const [name, bytes] of cases) assert.equal(detectFileType(bytes), undefined, name);
});

Deno.test("a file's type is read from its first bytes on disk", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-type-" });
  try {
    await Deno.writeFile(`${dir}/scan.pdf`, wav());
    await Deno.writeFile(`${dir}/short`, text("%PDF-1.7\n"));
    assert.equal(await detectFileTypeOfFile(`${dir}/scan.pdf`), "audio/wav");
    assert.equal(await detectFileTypeOfFile(`${dir}/short`), "application/pdf");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
