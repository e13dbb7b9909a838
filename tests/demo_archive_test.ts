import assert from "node:assert/strict";
import { tempDb } from "./_temp_db.ts";
import { loadVocabulary } from "../db/import.ts";
import { contentHash, countRecords, readRecord } from "../db/records.ts";
import { DEMO_ARCHIVE, generateArchive, loadDemoArchive } from "../demo/demo_archive.ts";
import { writeArchiveJsonl } from "../demo/write_jsonl.ts";
import { validateTaxCode } from "../domain/codice_fiscale.ts";
import { toImportJson } from "../domain/import_format.ts";
import type { RecordDoc } from "../domain/records.ts";
import { validateRecord } from "../domain/validate_record.ts";
import { createHash } from "node:crypto";
import { documentFileState } from "../db/document_files.ts";
import { documents } from "../db/schema.ts";
import { DEMO_ANCHOR_FILE } from "../demo/demo_documents.ts";
import { openFileStore } from "../documents/file_store.ts";
import { verifySignedFile } from "../documents/signed_file.ts";
import { openTiff } from "../documents/tiff_pages.ts";
import { loadTrustAnchors } from "../documents/trust_anchors.ts";

const clock = () => new Date("2025-06-01T09:00:00Z");

function fingerprint(docs: RecordDoc[]) {
  return {
    first: docs[0]?.id,
    last: docs.at(-1)?.id,
    hashes: docs.filter((_, i) => i % 97 === 0).map(contentHash),
  };
}

Deno.test("the same seed gives the same archive and another seed a different one", () => {
  const opts = { seed: 42, dossiers: 2_000, acts: 100 };
  const a = [...generateArchive(opts)];
  const b = [...generateArchive(opts)];
  assert.equal(a.length, 2_100);
  assert.deepEqual(fingerprint(a), fingerprint(b));
  assert.match(a[0]?.id ?? "", /^pe-[a-z-]+-1950-1$/);
  assert.equal(a.at(-1)?.record, "act");
  const c = [...generateArchive({ ...opts, seed: 43 })];
  assert.notDeepEqual(fingerprint(a).hashes, fingerprint(c).hashes);
});

Deno.test("every generated record passes import validation unchanged, without warnings", async () => {
  await using t = await tempDb("demo");
  const vocab = await loadVocabulary(t.db);
  const seen = new Set<string>();
  const types = new Set<string>();
  let line = 0;
  for (const doc of generateArchive({ seed: 7, dossiers: 5_000, acts: 300 })) {
    line++;
    const verdict = validateRecord(toImportJson(doc), line, vocab, 2025);
    assert.ok(verdict.ok, `${doc.id}: ${verdict.ok ? "" : verdict.errors.join("; ")}`);
    assert.deepEqual(verdict.warnings, []);
    // What the import rebuilds is exactly what was generated: same hash, no spurious update.
    assert.equal(contentHash(verdict.doc), contentHash(doc));
    assert.ok(!seen.has(doc.id), `duplicate id ${doc.id}`);
    seen.add(doc.id);
    if (doc.record === "dossier") {
      types.add(doc.type);
      for (const p of doc.people) {
        if (p.taxCode) assert.ok(validateTaxCode(p.taxCode).ok, p.taxCode);
      }
    }
  }
  for (const code of ["LE", "CE", "AUT", "PDC", "DIA", "SCIA", "CILA", "COND", "SAN", "AGI"]) {
    assert.ok(types.has(code), `type ${code} missing`);
  }
  for (const code of ["SCA", "PAES", "SISM", "VAR", "PROR", "VOLT", "FL", "ABUSI", "CILAS"]) {
    assert.ok(types.has(code), `type ${code} missing`);
  }
});

Deno.test("types appear only in their years of use", () => {
  const era: Record<string, [number, number]> = {
    LE: [1942, 1977],
    CE: [1977, 2003],
    PDC: [2003, 2025],
    SCIA: [2010, 2025],
    CILAS: [2021, 2025],
    SCA: [2016, 2025],
  };
  for (const doc of generateArchive({ seed: 3, dossiers: 5_000, acts: 0 })) {
    if (doc.record !== "dossier") continue;
    const range = era[doc.type];
    if (range) assert.ok(doc.year >= range[0] && doc.year <= range[1], `${doc.id} ${doc.type}`);
    if (doc.type === "ABUSI") assert.equal(doc.restricted, true);
    if (doc.type === "VAR") assert.ok(doc.parentId);
  }
});

Deno.test("the demo archive loads into an empty database once", async () => {
  await using t = await tempDb("demo");
  const loaded = await loadDemoArchive(t.db, clock);
  assert.deepEqual(loaded, { dossiers: DEMO_ARCHIVE.dossiers, acts: DEMO_ARCHIVE.acts, files: 0 });
  assert.deepEqual(await countRecords(t.db), { dossiers: loaded.dossiers, acts: loaded.acts });
  const first = generateArchive(DEMO_ARCHIVE).next().value;
  assert.ok(first);
  const stored = await readRecord(t.db, "dossier", first.id);
  assert.ok(stored);
  assert.equal(contentHash(stored), contentHash(first));
  assert.deepEqual(await loadDemoArchive(t.db, clock), { dossiers: 0, acts: 0, files: 0 });
});

Deno.test("a 100k-line generated file imports in constant memory", async () => {
  await using t = await tempDb("demo");
  const path = `${t.dir}/archive.jsonl`;
  const written = await writeArchiveJsonl(path, { seed: 11, dossiers: 100_000, acts: 0 });
  assert.equal(written.lines, 100_000);
  // The import runs in a process of its own: test files running in parallel share this
  // process, and their memory would count as the import's.
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_import_memory_probe.ts", import.meta.url).pathname,
      path,
      `${t.dir}/probe.db`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.ok(out.success, "the import process ran");
  const figures = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "");
  assert.equal(figures.inserted, 100_000);
  assert.equal(figures.rejected + figures.warnings, 0);
  console.log(
    `import 100k (${(written.bytes / 2 ** 20).toFixed(0)} MB file): rss growth ` +
      `${figures.firstHalfMb} MB over the first 50k lines, ${figures.secondHalfMb} MB by 100k`,
  );
  // Measured in its own process (1,000-line batches): about 300 MB by 50k lines (the
  // worker's isolate, two batches in flight, the import connection's 32 MB page cache),
  // then flat: 300-340 MB all the way to 300k. Memory that followed the file would add as
  // much in the second half as in the first (112 MB of UTF-8, twice that as JS strings).
  // Allocator and page-cache noise moved the second half by 30-55 MB over runs: 96 MB is
  // well below what following the file would add (at least its 56 MB half, as strings 2×).
  const added = figures.secondHalfMb - figures.firstHalfMb;
  assert.ok(added < 96, `the second 50k lines added ${added} MB`);
  assert.ok(figures.secondHalfMb < 400, `rss grew ${figures.secondHalfMb} MB`);
});

Deno.test("the demo's documents are real files in the store, and its signed sessions verify", async () => {
  await using t = await tempDb("demo-files");
  const store = await openFileStore(`${t.dir}/files`);
  const anchorsDir = `${t.dir}/trust-anchors`;
  const started = performance.now();
  const loaded = await loadDemoArchive(t.db, clock, DEMO_ARCHIVE, { store, anchorsDir, clock });
  const seconds = (performance.now() - started) / 1000;
  console.log(`demo with documents: ${seconds.toFixed(2)} s, ${loaded.files} files`);
  assert.ok(loaded.files >= 12, `only ${loaded.files} files`);
  // The demo CA's root was written beside the data, and it is what the chain ends at.
  assert.match(await Deno.readTextFile(`${anchorsDir}/${DEMO_ANCHOR_FILE}`), /BEGIN CERTIFICATE/);

  const rows = await t.db.select().from(documents);
  const real = [];
  for (const row of rows) {
    const state = await documentFileState(t.db, row.sha256);
    if (!state) continue;
    real.push({ row, state });
    // Every stored document's bytes hash to what its row says.
    const bytes = new Uint8Array(await new Response(await store.open(row.sha256)).arrayBuffer());
    assert.equal(createHash("sha256").update(bytes).digest("hex"), row.sha256);
    assert.equal(bytes.byteLength, row.bytes);
    assert.equal(state.present, true);
  }
  const mimes = new Set(real.map((r) => r.state.mime));
  assert.deepEqual(
    [...mimes].sort(),
    ["application/pdf", "application/pkcs7-mime", "image/tiff"],
  );
  const scans = real.filter((r) => r.row.recordKind === "dossier");
  assert.ok(scans.length >= 6);
  assert.ok(scans.every((r) => !r.row.public));
  // Public attachments of acts: real PDFs.
  assert.ok(
    real.some((r) =>
      r.row.recordKind === "act" && r.row.public && r.state.mime === "application/pdf"
    ),
  );
  const tiff = real.find((r) => r.state.mime === "image/tiff");
  assert.ok(tiff);
  assert.equal(
    openTiff(new Uint8Array(await new Response(await store.open(tiff.row.sha256)).arrayBuffer()))
      .pageCount,
    3,
  );

  const sessions = real.filter((r) => r.state.mime === "application/pkcs7-mime");
  assert.equal(sessions.length, 2);
  const [good, altered] = sessions.map((s) => s.state);
  assert.equal(good?.contentMime, "audio/wav");
  assert.ok(good?.contentSha256 && await store.has(good.contentSha256));
  const signers = good?.signature?.signers ?? [];
  assert.deepEqual(signers.map((s) => [s.name, s.status, s.chain]), [
    ["Giovanna Ferri", "valid", "trusted"],
    ["Paolo Marchetti", "valid", "trusted"],
  ]);
  assert.deepEqual(signers.map((s) => s.taxCode), ["FRRGNN65C41D612A", "MRCPLA70A01D612X"]);
  assert.deepEqual(altered?.signature?.signers.map((s) => s.status), ["altered", "altered"]);
  // And the stored report says it without re-reading the envelope.
  const envelope = await store.open(good!.sha256);
  const verified = await verifySignedFile(
    new Uint8Array(await new Response(envelope).arrayBuffer()),
    { anchors: (await loadTrustAnchors(anchorsDir)).certificates },
  );
  assert.deepEqual(verified.signers.map((s) => s.status), ["valid", "valid"]);

  // The same seed gives the same scans (envelopes differ: their keys are new each start).
  await using t2 = await tempDb("demo-files-2");
  const store2 = await openFileStore(`${t2.dir}/files`);
  await loadDemoArchive(t2.db, clock, DEMO_ARCHIVE, {
    store: store2,
    anchorsDir: `${t2.dir}/trust-anchors`,
    clock,
  });
  for (const scan of scans) assert.ok(await store2.has(scan.row.sha256));
});
