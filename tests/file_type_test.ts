// Real types by magic bytes, for what comes out of a .p7m (and what import will check).
import assert from "node:assert/strict";
import { detectFileType } from "../documents/file_type.ts";

function bytes(...parts: (string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "string") out.push(...[...p].map((c) => c.charCodeAt(0)));
    else out.push(...p);
  }
  while (out.length < 64) out.push(0);
  return new Uint8Array(out);
}

Deno.test("each kept type is recognised by its first bytes", () => {
  const cases: [Uint8Array, string][] = [
    [bytes("%PDF-1.7\n"), "pdf"],
    [bytes("II*", [0]), "tiff"],
    [bytes("MM", [0, 42]), "tiff"],
    [bytes([0xff, 0xd8, 0xff, 0xe0]), "jpeg"],
    [bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a]), "png"],
    [bytes("ID3", [4, 0]), "mp3"],
    [bytes([0xff, 0xfb, 0x90, 0x64]), "mp3"], // MPEG-1 layer III frame, no tag
    [bytes("OggS", [0, 2]), "ogg"],
    [bytes("RIFF", [36, 0, 0, 0], "WAVEfmt "), "wav"],
    [bytes([0, 0, 0, 32], "ftypM4A ", [0, 0, 0, 0]), "m4a"],
    [bytes([0, 0, 0, 32], "ftypisom", [0, 0, 2, 0]), "mp4"],
    [
      bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84], "webm"),
      "webm",
    ],
  ];
  for (const [input, kind] of cases) assert.equal(detectFileType(input)?.kind, kind, kind);
});

Deno.test("look-alikes and unknown bytes are not given a type", () => {
  const cases: Uint8Array[] = [
    new Uint8Array(0),
    bytes("RIFF", [36, 0, 0, 0], "AVI "), // RIFF but not WAVE
    bytes([0xff, 0xf1, 0x50, 0x80]), // AAC ADTS frame: layer bits 00, not MP3
    bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88], "matroska"),
    bytes("PK", [3, 4]), // a zip
    bytes("<html>"),
  ];
  for (const input of cases) assert.equal(detectFileType(input), null);
});
