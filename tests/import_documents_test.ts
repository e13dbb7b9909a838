/**
 * `import` with the files the lines name: stored by hash and checked (size, sha256, real type,
 * signatures), a bad file refuses its whole line and leaves nothing behind, a re-import copies
 * nothing, and a metadata-only tree still imports.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { documentFileState, documentsOfRecord } from "../db/document_files.ts";
import { importJsonlFile } from "../db/import.ts";
import { countRecords, readRecord } from "../db/records.ts";
import { openFileStore } from "../documents/file_store.ts";
import { createRootCa, createSigner, signEnveloping } from "../documents/demo_signing.ts";
import { parseCertificates } from "../documents/trust_anchors.ts";
import { certificateToPem } from "../documents/demo_signing.ts";
import { tempDb } from "./_temp_db.ts";

const clock = () => new Date("2025-06-01T09:00:00Z");
const encoder = new TextEncoder();
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function pdf(text: string): Uint8Array {
  return encoder.encode(`%PDF-1.4\n% ${text}\n${"x".repeat(2000)}\n%%EOF\n`);
}

function wav(seconds: number): Uint8Array {
  const samples = 800 * seconds;
  const out = new Uint8Array(44 + samples);
  const v = new DataView(out.buffer);
  out.set(encoder.encode("RIFF"), 0);
  v.setUint32(4, 36 + samples, true);
  out.set(encoder.encode("WAVEfmt "), 8);
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, 800, true);
  v.setUint32(28, 800, true);
  v.setUint16(32, 1, true);
  v.setUint16(34, 8, true);
  out.set(encoder.encode("data"), 36);
  v.setUint32(40, samples, true);
  for (let i = 0; i < samples; i++) out[44 + i] = 128 + Math.round(60 * Math.sin(i / 3));
  return out;
}

function dossierLine(id: string, number: string, docs: object[]) {
  return {
    record: "dossier",
    id,
    series: "STORICO",
    type: "CE",
    number,
    year: 1987,
    addresses: [{ street: "Via del Molino", civic: number }],
    documents: docs,
  };
}

function ref(file: string, bytes: Uint8Array, extra: object = {}) {
  return { file, pages: 1, bytes: bytes.byteLength, sha256: sha(bytes), ...extra };
}

async function write(dir: string, name: string, bytes: Uint8Array) {
  const path = `${dir}/${name}`;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(path, bytes);
}

async function storeFiles(root: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (e.name !== "faldone-store.json") {
        found.set(path, (await Deno.stat(path)).mtime?.getTime() ?? 0);
      }
    }
  };
  await walk(root);
  return found;
}

/** The envelope with one byte of its signed content changed (the signature left alone). */
function alterContent(envelope: Uint8Array, content: Uint8Array): Uint8Array {
  const probe = content.subarray(200, 232);
  const at = envelope.findIndex((_, i) => probe.every((b, k) => envelope[i + k] === b));
  assert.ok(at > 0, "content not found in the envelope");
  const out = envelope.slice();
  out[at] = (out[at] ?? 0) ^ 0x01;
  return out;
}

const VALIDITY = { notBefore: new Date("2020-01-01"), notAfter: new Date("2030-01-01") };
const root = await createRootCa("Import Test CA", VALIDITY);
const president = await createSigner(root, {
  givenName: "Maria",
  surname: "Rossi",
  taxCode: "RSSMRA70A41H501W",
}, VALIDITY);
const AUDIO = wav(2);
const SIGNED = await signEnveloping(AUDIO, [president], new Date("2024-03-01T10:00:00Z"));
const anchors = parseCertificates(encoder.encode(certificateToPem(root.certificate)));

Deno.test("import stores the named files, checked, and a re-import copies nothing", async () => {
  await using t = await tempDb("docs");
  const tree = `${t.dir}/tree`;
  const scan = pdf("tavola 1");
  const scan2 = pdf("tavola 2");
  await write(tree, "scans/1987/1/tav01.pdf", scan);
  await write(tree, "scans/1987/1/tav02.pdf", scan2);
  await write(tree, "atti/seduta.wav.p7m", SIGNED);
  const lines = [
    dossierLine("d-1", "1", [
      ref("scans/1987/1/tav01.pdf", scan),
      ref("scans/1987/1/tav02.pdf", scan2),
    ]),
    {
      record: "act",
      id: "dcc-2024-1",
      kind: "delibera_consiglio",
      number: "1",
      year: 2024,
      date: "2024-03-01",
      subject: "Seduta del consiglio",
      attachments: [ref("atti/seduta.wav.p7m", SIGNED, { public: true })],
    },
  ];
  await Deno.writeTextFile(`${tree}/in.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n"));
  const store = await openFileStore(`${t.dir}/files`);
  const files = { store, root: tree, strict: true, anchors };
  const first = await importJsonlFile(t.db, `${tree}/in.jsonl`, { clock, files });
  assert.deepEqual(first.errors, []);
  assert.equal(first.inserted, 2);
  // Two scans, the envelope and the audio it wraps.
  assert.equal(first.files?.stored, 3);
  assert.ok(await store.has(sha(scan)) && await store.has(sha(scan2)));
  assert.ok(await store.has(sha(SIGNED)) && await store.has(sha(AUDIO)));

  const docs = await documentsOfRecord(t.db, "dossier", "d-1");
  assert.deepEqual(docs.map((d) => [d.mime, d.state?.present, d.state?.mime]), [
    ["application/pdf", true, "application/pdf"],
    ["application/pdf", true, "application/pdf"],
  ]);
  const envelope = await documentFileState(t.db, sha(SIGNED));
  assert.equal(envelope?.mime, "application/pkcs7-mime");
  assert.equal(envelope?.contentSha256, sha(AUDIO));
  assert.equal(envelope?.contentMime, "audio/wav");
  assert.equal(envelope?.signature?.signers[0]?.status, "valid");
  assert.equal(envelope?.signature?.signers[0]?.chain, "trusted");
  assert.equal(envelope?.signature?.signers[0]?.taxCode, "RSSMRA70A41H501W");
  assert.ok(envelope?.signature?.signers[0]?.signingTime instanceof Date);
  assert.equal((await documentFileState(t.db, sha(AUDIO)))?.mime, "audio/wav");

  const before = await storeFiles(`${t.dir}/files`);
  const again = await importJsonlFile(t.db, `${tree}/in.jsonl`, { clock, files });
  assert.equal(again.unchanged, 2);
  assert.equal(again.files?.stored, 0);
  // The two scans and the envelope are known by hash: nothing is read or copied (the
  // envelope is opened again to be verified, its content found already stored).
  assert.equal(again.files?.known, 3);
  assert.deepEqual(await storeFiles(`${t.dir}/files`), before);
});

Deno.test("a bad file refuses its whole line and leaves no file behind", async () => {
  await using t = await tempDb("bad");
  const tree = `${t.dir}/tree`;
  const good = pdf("buona");
  const other = pdf("altra");
  const zip = encoder.encode("PK\x03\x04" + "z".repeat(100));
  const tampered = alterContent(SIGNED, AUDIO);
  await write(tree, "ok/a.pdf", good);
  await write(tree, "ok/b.pdf", other);
  await write(tree, "bad/archive.pdf", zip);
  await write(tree, "bad/sig.p7m", encoder.encode("%PDF-1.4 not really signed"));
  const lines = [
    // Its first file is fine and stored, its second is missing: the first goes away again.
    dossierLine("d-missing", "1", [ref("ok/a.pdf", good), ref("ok/nope.pdf", good)]),
    dossierLine("d-hash", "2", [ref("ok/b.pdf", other, { sha256: "ab".repeat(32) })]),
    dossierLine("d-size", "3", [ref("ok/b.pdf", other, { bytes: other.byteLength + 1 })]),
    dossierLine("d-type", "4", [ref("bad/archive.pdf", zip)]),
    dossierLine("d-path", "5", [ref("../outside.pdf", good)]),
    dossierLine("d-ok", "6", [ref("ok/b.pdf", other)]),
  ];
  await Deno.writeTextFile(`${tree}/in.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n"));
  const store = await openFileStore(`${t.dir}/files`);
  const summary = await importJsonlFile(t.db, `${tree}/in.jsonl`, {
    clock,
    files: { store, root: tree, strict: true },
  });
  assert.equal(summary.inserted, 1);
  assert.equal(summary.rejected, 5);
  assert.deepEqual(summary.errors, [
    "riga 1: documents[1].file: file non trovato (ok/nope.pdf)",
    "riga 2: documents[0].file: lo sha256 del file non corrisponde a quello indicato",
    `riga 3: documents[0].file: il file è di ${other.byteLength} byte, la riga ne indica ${
      other.byteLength + 1
    }`,
    "riga 4: documents[0].file: tipo di file non supportato (riconosciuti dal contenuto: PDF, TIFF, JPEG, PNG, MP3, Ogg, WAV, M4A, MP4, WebM, .p7m)",
    'riga 5: documents[0].file: percorso non valido "../outside.pdf" (relativo, senza ..)',
  ]);
  assert.deepEqual((await countRecords(t.db)).dossiers, 1);
  assert.equal(await readRecord(t.db, "dossier", "d-missing"), undefined);
  // Only the accepted line's file is in the store; no temp file is left.
  const stored = [...(await storeFiles(`${t.dir}/files`)).keys()];
  assert.equal(stored.length, 1, stored.join());
  assert.ok(await store.has(sha(other)));
  assert.equal(await store.has(sha(good)), false);

  // A tampered envelope is not refused: it is stored with a report that says "altered".
  await write(tree, "atti/t.wav.p7m", tampered);
  await Deno.writeTextFile(
    `${tree}/t.jsonl`,
    JSON.stringify({
      record: "act",
      id: "t-1",
      kind: "delibera_consiglio",
      number: "9",
      year: 2024,
      date: "2024-03-01",
      subject: "Seduta",
      attachments: [ref("atti/t.wav.p7m", tampered)],
    }),
  );
  const t2 = await importJsonlFile(t.db, `${tree}/t.jsonl`, {
    clock,
    files: { store, root: tree, strict: true },
  });
  assert.deepEqual(t2.errors, []);
  const state = await documentFileState(t.db, sha(tampered));
  assert.equal(state?.signature?.signers[0]?.status, "altered");
  assert.equal(state?.signature?.signers[0]?.chain, "not_checked");
});

Deno.test("without --files a tree that lacks the files imports its metadata only", async () => {
  await using t = await tempDb("meta");
  const tree = `${t.dir}/tree`;
  const here = pdf("presente");
  await write(tree, "scans/here.pdf", here);
  const lines = [
    dossierLine("d-absent", "1", [ref("scans/1987/absent.pdf", pdf("assente"))]),
    dossierLine("d-elsewhere", "2", [ref("nowhere/at/all.pdf", pdf("altrove"))]),
    dossierLine("d-here", "3", [ref("scans/here.pdf", here)]),
  ];
  await Deno.writeTextFile(`${tree}/in.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n"));
  const store = await openFileStore(`${t.dir}/files`);
  const summary = await importJsonlFile(t.db, `${tree}/in.jsonl`, {
    clock,
    files: { store, root: tree, strict: false },
  });
  assert.deepEqual(summary.errors, []);
  assert.equal(summary.inserted, 3);
  assert.deepEqual(summary.files, { stored: 1, known: 0, absent: 2, bytes: here.byteLength });
  const [absent] = await documentsOfRecord(t.db, "dossier", "d-absent");
  assert.equal(absent?.state, undefined);
  const [present] = await documentsOfRecord(t.db, "dossier", "d-here");
  assert.equal(present?.state?.present, true);
});

Deno.test("main.ts import reads files beside the JSONL and reports a bad one by line", async () => {
  await using t = await tempDb("cli");
  const tree = `${t.dir}/tree`;
  const scan = pdf("cli");
  await write(tree, "s/a.pdf", scan);
  const lines = [
    dossierLine("d-1", "1", [ref("s/a.pdf", scan)]),
    dossierLine("d-2", "2", [ref("s/a.pdf", scan, { sha256: "cd".repeat(32) })]),
  ];
  await Deno.writeTextFile(`${tree}/in.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n"));
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "import", `${tree}/in.jsonl`, "--db", t.path],
    env: { FALDONE_FILES_ROOT: `${t.dir}/store` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(run.stdout);
  assert.equal(run.code, 1, new TextDecoder().decode(run.stderr));
  assert.match(out, /File copiati: 1/);
  assert.match(out, /riga 2: documents\[0\]\.file: lo sha256 del file non corrisponde/);
  const store = await openFileStore(`${t.dir}/store`);
  assert.ok(await store.has(sha(scan)));
});

Deno.test("a refused line's cleanup never takes a file that a line checked in beside it kept", async () => {
  await using t = await tempDb("docs-shared");
  const tree = `${t.dir}/tree`;
  const shared = pdf("tavola comune");
  // Large, so that line 1 is still reading it when line 2 looks for the shared scan.
  const wrong = new Uint8Array(16_000_000);
  wrong.set(pdf("tavola alterata"));
  await write(tree, "scans/comune.pdf", shared);
  await write(tree, "scans/alterata.pdf", wrong);
  // Line 1 copies the shared scan first, then fails on its second file and removes what it
  // copied; line 2 names the same scan and is checked in while line 1 runs.
  const lines = [
    dossierLine("d-1", "1", [
      ref("scans/comune.pdf", shared),
      { ...ref("scans/alterata.pdf", wrong), sha256: sha(pdf("altro")) },
    ]),
    dossierLine("d-2", "2", [ref("scans/comune.pdf", shared)]),
  ];
  await Deno.writeTextFile(`${tree}/in.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n"));
  const store = await openFileStore(`${t.dir}/files`);
  const summary = await importJsonlFile(t.db, `${tree}/in.jsonl`, {
    clock,
    files: { store, root: tree, strict: true },
  });
  assert.equal(summary.inserted, 1);
  assert.equal(summary.rejected, 1);
  assert.match(summary.errors[0] ?? "", /riga 1: documents\[1\]\.file: lo sha256/);
  assert.ok(await store.has(sha(shared)), "the shared scan is in the store");
  const [doc] = await documentsOfRecord(t.db, "dossier", "d-2");
  assert.equal(doc?.state?.present, true);
  assert.equal(await store.has(sha(wrong)), false);
});

Deno.test("an envelope not named .p7m is still found by its bytes, opened and verified", async () => {
  await using t = await tempDb("docs-unnamed-envelope");
  const tree = `${t.dir}/tree`;
  // Named like a PDF: its type is read from the store's copy, which finds an envelope.
  await write(tree, "atti/seduta.pdf", SIGNED);
  await Deno.writeTextFile(
    `${tree}/in.jsonl`,
    JSON.stringify(dossierLine("d-env", "1", [ref("atti/seduta.pdf", SIGNED)])),
  );
  const store = await openFileStore(`${t.dir}/files`);
  const files = { store, root: tree, strict: true, anchors };
  const summary = await importJsonlFile(t.db, `${tree}/in.jsonl`, { clock, files });
  assert.deepEqual(summary.errors, []);
  const envelope = await documentFileState(t.db, sha(SIGNED));
  assert.equal(envelope?.mime, "application/pkcs7-mime");
  assert.equal(envelope?.contentSha256, sha(AUDIO));
  assert.equal(envelope?.signature?.signers[0]?.status, "valid");
  assert.ok(await store.has(sha(AUDIO)));
  // The copy begun before its type was known left nothing behind: envelope, content, marker.
  assert.equal((await storeFiles(`${t.dir}/files`)).size, 2);
});
