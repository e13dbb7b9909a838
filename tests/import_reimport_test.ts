/**
 * The import's fast paths (docs/IMPORT.md "Re-import"): a re-import of the same tree reads no
 * source the database vouches for, copies nothing and writes nothing; a store file the
 * database does not vouch for (no `present` row, or not of the line's size) is verified from
 * the source again and replaced; and a refused line in a batch whose files are checked in
 * several at once leaves no row and no file while the other lines commit.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { documentFileState } from "../db/document_files.ts";
import { importJsonlFile } from "../db/import.ts";
import { readRecord } from "../db/records.ts";
import { documentFiles, dossiers } from "../db/schema.ts";
import { openFileStore } from "../documents/file_store.ts";
import { tempDb } from "./_temp_db.ts";

const clock = () => new Date("2025-06-01T09:00:00Z");
const later = () => new Date("2025-07-01T09:00:00Z");
const encoder = new TextEncoder();
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** A PDF by its magic bytes, `size` bytes long, its body from `seed`. */
function pdf(seed: number, size = 5_000): Uint8Array {
  const out = new Uint8Array(size);
  out.set(encoder.encode("%PDF-1.4\n"));
  let x = seed >>> 0 || 1;
  for (let i = 9; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function dossierLine(id: string, number: string, docs: object[]) {
  return {
    record: "dossier",
    id,
    series: "STORICO",
    type: "CE",
    number,
    year: 1990,
    addresses: [{ street: "Via Roma", civic: number }],
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

/** Every file under `root` with its inode, mtime and size: any write shows. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else {
        const info = await Deno.stat(path);
        found.set(path, `${info.ino} ${info.mtime?.getTime()} ${info.size}`);
      }
    }
  };
  await walk(root);
  return found;
}

/** Where a plain store keeps the bytes with this sha256. */
const storePath = (root: string, hash: string) =>
  `${root}/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;

async function writeJsonl(path: string, lines: object[]) {
  await Deno.writeTextFile(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
}

Deno.test("a re-import reads no source, copies nothing and writes nothing", async () => {
  await using t = await tempDb("again");
  const tree = `${t.dir}/tree`;
  const scans = [pdf(1), pdf(2), pdf(3), pdf(4), pdf(5)];
  for (const [i, s] of scans.entries()) await write(tree, `s/${i}.pdf`, s);
  const lines = [
    dossierLine("d-1", "1", scans.slice(0, 3).map((s, i) => ref(`s/${i}.pdf`, s))),
    dossierLine("d-2", "2", scans.slice(3).map((s, i) => ref(`s/${i + 3}.pdf`, s))),
  ];
  await writeJsonl(`${tree}/in.jsonl`, lines);
  const storeRoot = `${t.dir}/files`;
  const store = await openFileStore(storeRoot);
  const files = { store, root: tree, strict: true };
  const first = await importJsonlFile(t.db, `${tree}/in.jsonl`, { clock, files });
  assert.deepEqual(first.errors, []);
  assert.equal(first.files?.stored, 5);

  // Every source now holds other bytes of the same size, not even a PDF: a re-import that
  // read a byte of one (its type, its hash) would refuse its line. The database vouches for
  // the stored bytes, so none is read.
  for (const [i, s] of scans.entries()) {
    await write(tree, `s/${i}.pdf`, pdf(100 + i, s.length).fill(0, 0, 9));
  }
  const storeBefore = await snapshot(storeRoot);
  const rowsBefore = await t.db.select().from(documentFiles);
  const dossiersBefore = await t.db.select().from(dossiers);
  let progressBytes = -1;
  const again = await importJsonlFile(t.db, `${tree}/in.jsonl`, {
    clock: later,
    files: { ...files, onProgress: (bytes) => progressBytes = bytes },
  });
  assert.deepEqual(again.errors, []);
  assert.equal(again.unchanged, 2);
  assert.deepEqual(again.files, { stored: 0, known: 5, absent: 0, bytes: 0 });
  assert.equal(progressBytes, 0, "no byte read into the store");
  // Same files (inode, time, size), no temp file left, not a row changed (not even a time).
  assert.deepEqual(await snapshot(storeRoot), storeBefore);
  assert.deepEqual(await t.db.select().from(documentFiles), rowsBefore);
  assert.deepEqual(await t.db.select().from(dossiers), dossiersBefore);

  // The fast path still says what a missing source or a wrong size is, per line.
  await Deno.remove(`${tree}/s/0.pdf`);
  await write(tree, "s/3.pdf", pdf(7, scans[3]!.length + 1));
  const broken = await importJsonlFile(t.db, `${tree}/in.jsonl`, { clock: later, files });
  assert.deepEqual(broken.errors, [
    "riga 1: documents[0].file: file non trovato (s/0.pdf)",
    `riga 2: documents[0].file: il file è di ${scans[3]!.length + 1} byte, la riga ne indica ${
      scans[3]!.length
    }`,
  ]);
  assert.deepEqual(await snapshot(storeRoot), storeBefore);
});

Deno.test("a store file the database does not vouch for is verified from the source and replaced", async () => {
  await using t = await tempDb("untrusted");
  const tree = `${t.dir}/tree`;
  const cut = pdf(11);
  const forged = pdf(12);
  const gone = pdf(13);
  const unrecorded = pdf(14);
  await write(tree, "s/cut.pdf", cut);
  await write(tree, "s/forged.pdf", forged);
  await write(tree, "s/gone.pdf", gone);
  await write(tree, "s/unrecorded.pdf", unrecorded);
  const storeRoot = `${t.dir}/files`;
  const store = await openFileStore(storeRoot);
  const files = { store, root: tree, strict: true };

  await writeJsonl(`${tree}/a.jsonl`, [
    dossierLine("d-cut", "1", [ref("s/cut.pdf", cut)]),
    dossierLine("d-gone", "2", [ref("s/gone.pdf", gone)]),
  ]);
  const first = await importJsonlFile(t.db, `${tree}/a.jsonl`, { clock, files });
  assert.deepEqual(first.errors, []);
  // Damage behind the import's back: a stored file cut short, another deleted; both still
  // have a `present` row. Under two more names, files no row vouches for: one with other
  // bytes of the right size (content the store cannot tell from its name), one right.
  await Deno.writeFile(storePath(storeRoot, sha(cut)), cut.subarray(0, 1000));
  await Deno.remove(storePath(storeRoot, sha(gone)));
  for (const [bytes, content] of [[forged, pdf(99, forged.length)], [unrecorded, unrecorded]]) {
    const path = storePath(storeRoot, sha(bytes!));
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, content!);
  }
  const forgedInode = (await Deno.stat(storePath(storeRoot, sha(forged)))).ino;

  await writeJsonl(`${tree}/b.jsonl`, [
    dossierLine("d-cut", "1", [ref("s/cut.pdf", cut)]),
    dossierLine("d-gone", "2", [ref("s/gone.pdf", gone)]),
    dossierLine("d-forged", "3", [ref("s/forged.pdf", forged)]),
    dossierLine("d-unrecorded", "4", [ref("s/unrecorded.pdf", unrecorded)]),
  ]);
  const again = await importJsonlFile(t.db, `${tree}/b.jsonl`, { clock: later, files });
  assert.deepEqual(again.errors, []);
  // None was trusted: all four were read, verified and put in place again.
  assert.equal(again.files?.stored, 4);
  assert.equal(again.files?.known, 0);
  for (const bytes of [cut, gone, forged, unrecorded]) {
    assert.deepEqual(await Deno.readFile(storePath(storeRoot, sha(bytes))), bytes);
    assert.equal((await documentFileState(t.db, sha(bytes)))?.present, true);
  }
  assert.notEqual((await Deno.stat(storePath(storeRoot, sha(forged)))).ino, forgedInode);
  assert.equal((await Deno.stat(storePath(storeRoot, sha(forged)))).mode! & 0o777, 0o600);

  // A source that does not match keeps the untrusted store file out of the rows: refused.
  const stray = pdf(21);
  const strayPath = storePath(storeRoot, sha(stray));
  await Deno.mkdir(strayPath.slice(0, strayPath.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(strayPath, stray);
  await write(tree, "s/stray.pdf", pdf(22, stray.length));
  await writeJsonl(`${tree}/c.jsonl`, [dossierLine("d-stray", "5", [ref("s/stray.pdf", stray)])]);
  const refused = await importJsonlFile(t.db, `${tree}/c.jsonl`, { clock: later, files });
  assert.deepEqual(refused.errors, [
    "riga 1: documents[0].file: lo sha256 del file non corrisponde a quello indicato",
  ]);
  assert.equal(await documentFileState(t.db, sha(stray)), undefined);
});

Deno.test("a refused line in a batch leaves no row and no file while the others commit", async () => {
  await using t = await tempDb("batch");
  const tree = `${t.dir}/tree`;
  const good = Array.from({ length: 12 }, (_, i) => pdf(200 + i, 3_000 + 1_000 * i));
  for (const [i, s] of good.entries()) await write(tree, `g/${i}.pdf`, s);
  // A large wrong file, so that the refused line's other files are stored before it fails.
  const wrong = pdf(300, 4_000_000);
  await write(tree, "bad/wrong.pdf", wrong);
  const lines = [
    dossierLine("d-1", "1", [ref("g/0.pdf", good[0]!), ref("g/1.pdf", good[1]!)]),
    dossierLine("d-bad", "2", [
      ref("g/2.pdf", good[2]!),
      ref("g/3.pdf", good[3]!),
      { ...ref("bad/wrong.pdf", wrong), sha256: sha(pdf(301)) },
      ref("g/4.pdf", good[4]!),
    ]),
    ...[5, 7, 9].map((k, n) =>
      dossierLine(`d-${n + 3}`, String(n + 3), [
        ref(`g/${k}.pdf`, good[k]!),
        ref(`g/${k + 1}.pdf`, good[k + 1]!),
      ])
    ),
    dossierLine("d-6", "6", [ref("g/11.pdf", good[11]!)]),
  ];
  await writeJsonl(`${tree}/in.jsonl`, lines);
  const storeRoot = `${t.dir}/files`;
  const store = await openFileStore(storeRoot);
  const summary = await importJsonlFile(t.db, `${tree}/in.jsonl`, {
    clock,
    files: { store, root: tree, strict: true },
  });
  assert.equal(summary.inserted, 5);
  assert.equal(summary.rejected, 1);
  assert.match(summary.errors[0] ?? "", /^riga 2: documents\[2\]\.file: lo sha256/);
  assert.equal(await readRecord(t.db, "dossier", "d-bad"), undefined);
  // The refused line's good files are neither stored nor recorded; everyone else's are.
  for (const k of [2, 3, 4]) {
    assert.equal(await store.has(sha(good[k]!)), false, `g/${k}.pdf stored`);
    assert.equal(await documentFileState(t.db, sha(good[k]!)), undefined);
  }
  for (const k of [0, 1, 5, 6, 7, 8, 9, 10, 11]) {
    assert.equal((await documentFileState(t.db, sha(good[k]!)))?.present, true);
    assert.deepEqual(await Deno.readFile(storePath(storeRoot, sha(good[k]!))), good[k]);
  }
  assert.equal(summary.files?.stored, 9);
  const stored = [...(await snapshot(storeRoot)).keys()].filter((p) => !p.endsWith(".json"));
  assert.equal(stored.length, 9, stored.join("\n"));
});
