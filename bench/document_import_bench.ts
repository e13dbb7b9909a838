/**
 * Importing a tree of scans (issue 10): 2,000 documents, about 1 GB of PDFs and multi-page
 * TIFFs, by `main.ts import` into a new DB and file store, beside a plain copy of the same tree
 * in the same run. Target: the import's rate ≥ 50 % of the copy's. Not a test; prints a table
 * and one JSON line.
 *
 *   deno run -A bench/document_import_bench.ts [--documents 2000] [--mb 1024] [--encrypted]
 *
 * Three copies are measured. `Deno.copyFile` alone mostly lands in the page cache (the kernel
 * copies without reading into the process); the store makes each file durable before its line
 * counts as imported, so the copy that gives the same promise is `copyFile` + fsync of the
 * file and its folder, file after file as a copying tool does (the target's reference, see
 * docs/DOCUMENTS.md "Import speed"), and the same with eight files at once (what the disk can
 * take). Every phase starts after a `sync`, so none pays for the writeback of the one before.
 *
 * The tree is written once to bench/out/document_import/ (gitignored) and reused while its
 * size is unchanged. The files are incompressible (like scans) and each is distinct.
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { writeTiff } from "../documents/tiff_writer.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const TARGET_SHARE = 0.5;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    documents: { type: "string", default: "2000" },
    mb: { type: "string", default: "1024" },
    encrypted: { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const documents = Number(values.documents);
const totalBytes = Number(values.mb) * 1024 * 1024;
const outDir = values.out ?? `${ROOT}bench/out`;
const treeDir = `${outDir}/document_import/tree-${documents}-${values.mb}`;

/** xorshift32: the same tree in every run. */
function fill(bytes: Uint8Array, seed: number): void {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
}

const encoder = new TextEncoder();

/** A PDF-shaped file: header, one image stream of noise, xref-less trailer (type by magic). */
function pdfOf(size: number, seed: number): Uint8Array {
  const head = encoder.encode(
    `%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Length ${size} >>\nstream\n`,
  );
  const tail = encoder.encode("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
  const body = new Uint8Array(Math.max(0, size - head.length - tail.length) & ~3);
  fill(body, seed);
  const out = new Uint8Array(head.length + body.length + tail.length);
  out.set(head);
  out.set(body, head.length);
  out.set(tail, head.length + body.length);
  return out;
}

/** A multi-page grey TIFF of about `size` bytes (uncompressed pages of noise). */
function tiffOf(size: number, seed: number): Uint8Array {
  const pages = 1 + (seed % 4);
  const width = 1240;
  const height = Math.max(8, Math.floor(size / pages / width));
  return writeTiff(
    Array.from({ length: pages }, (_, p) => {
      const data = new Uint8Array((width * height + 3) & ~3).subarray(0, width * height);
      fill(new Uint8Array(data.buffer), seed * 31 + p);
      return { width, height, bitsPerSample: [8], photometric: 1, data };
    }),
  );
}

interface TreeFile {
  rel: string;
  bytes: number;
  sha256: string;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** Writes the tree and its JSONL (or reuses them); the files and the JSONL's path. */
async function writeTree(): Promise<{ files: TreeFile[]; jsonl: string; bytes: number }> {
  const jsonl = `${treeDir}/archivio.jsonl`;
  const manifest = `${treeDir}/manifest.json`;
  if (await exists(manifest)) {
    const files: TreeFile[] = JSON.parse(await Deno.readTextFile(manifest));
    return { files, jsonl, bytes: files.reduce((a, f) => a + f.bytes, 0) };
  }
  await Deno.remove(treeDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${treeDir}/scansioni`, { recursive: true });
  const files: TreeFile[] = [];
  const average = totalBytes / documents;
  const lines: string[] = [];
  const perDossier = 4;
  for (let i = 0; i < documents; i++) {
    // Sizes from half to one and a half times the average; one in five a TIFF.
    const size = Math.round(average * (0.5 + ((i * 7919) % 1000) / 1000));
    const tiff = i % 5 === 4;
    const bytes = tiff ? tiffOf(size, i + 1) : pdfOf(size, i + 1);
    const rel = `scansioni/${String(Math.floor(i / 100)).padStart(3, "0")}/doc-${i}.${
      tiff ? "tif" : "pdf"
    }`;
    await Deno.mkdir(`${treeDir}/${rel.slice(0, rel.lastIndexOf("/"))}`, { recursive: true });
    await Deno.writeFile(`${treeDir}/${rel}`, bytes);
    files.push({
      rel,
      bytes: bytes.byteLength,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
  }
  for (let d = 0; d * perDossier < documents; d++) {
    const docs = files.slice(d * perDossier, (d + 1) * perDossier).map((f, n) => ({
      file: f.rel,
      title: `Tavola ${n + 1}`,
      pages: 1,
      bytes: f.bytes,
      sha256: f.sha256,
    }));
    lines.push(JSON.stringify({
      record: "dossier",
      id: `bench-doc-${d}`,
      series: "STORICO",
      type: "CE",
      number: String(d + 1),
      year: 1960 + (d % 60),
      subject: "Costruzione di fabbricato di civile abitazione",
      addresses: [{ street: "Via del Molino", civic: String(1 + (d % 90)) }],
      documents: docs,
    }));
  }
  await Deno.writeTextFile(jsonl, lines.join("\n") + "\n");
  await Deno.writeTextFile(manifest, JSON.stringify(files));
  return { files, jsonl, bytes: files.reduce((a, f) => a + f.bytes, 0) };
}

/** Waits until the dirty pages of earlier phases are on disk (they would slow the next). */
async function settle(): Promise<void> {
  await new Deno.Command("sync").output();
}

async function syncDir(path: string): Promise<void> {
  using dir = await Deno.open(path, { read: true });
  await dir.syncData().catch(() => {});
}

/**
 * Copies every file of the tree, `atOnce` at a time; with `durable`, fsyncs each file and its
 * folder.
 */
async function copyTree(
  files: TreeFile[],
  to: string,
  durable: boolean,
  atOnce = 1,
): Promise<number> {
  await Deno.remove(to, { recursive: true }).catch(() => {});
  for (const dir of new Set(files.map((f) => f.rel.slice(0, f.rel.lastIndexOf("/"))))) {
    await Deno.mkdir(`${to}/${dir}`, { recursive: true });
  }
  await settle();
  const started = performance.now();
  const made = new Set<string>();
  const queue = [...files];
  const copier = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      made.add(`${to}/${f.rel.slice(0, f.rel.lastIndexOf("/"))}`);
      await Deno.copyFile(`${treeDir}/${f.rel}`, `${to}/${f.rel}`);
      if (durable) {
        using file = await Deno.open(`${to}/${f.rel}`, { read: true, write: true });
        await file.syncData();
      }
    }
  };
  await Promise.all(Array.from({ length: atOnce }, copier));
  if (durable) await Promise.all([...made].map(syncDir));
  const ms = performance.now() - started;
  await Deno.remove(to, { recursive: true });
  return ms;
}

/** `main.ts import` into a new DB and store; its wall time and whether it succeeded. */
async function importTree(
  jsonl: string,
  work: string,
  options: { keep?: boolean } = {},
): Promise<{ ms: number; out: string }> {
  if (!options.keep) {
    await Deno.remove(work, { recursive: true }).catch(() => {});
    await Deno.mkdir(work, { recursive: true });
  }
  const env: Record<string, string> = values.encrypted
    ? { FALDONE_DB_KEY: "chiave-del-benchmark-non-segreta-0123456789" }
    : {};
  await settle();
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "main.ts",
      "import",
      jsonl,
      "--db",
      `${work}/faldone.db`,
      "--files-root",
      `${work}/files`,
    ],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`import exited with ${out.code}:\n${text.slice(-2000)}`);
  return { ms, out: text };
}

const mbps = (bytes: number, ms: number) => bytes / 1024 / 1024 / (ms / 1000);

console.log(
  `== import di ${documents} documenti (~${values.mb} MB, PDF e TIFF)${
    values.encrypted ? ", file store cifrato" : ""
  } ==`,
);
const tree = await writeTree();
const work = `${outDir}/document_import/run`;
// A first copy warms the page cache for every reader alike.
await copyTree(tree.files, `${work}-copy`, false);
const copyMs = await copyTree(tree.files, `${work}-copy`, false);
const durableCopyMs = await copyTree(tree.files, `${work}-copy`, true);
const parallelCopyMs = await copyTree(tree.files, `${work}-copy`, true, 8);
const imported = await importTree(tree.jsonl, work);
// The same tree again into the same DB: every file is already there, nothing is copied.
const again = await importTree(tree.jsonl, work, { keep: true });
// What any run of main.ts costs before it reads a line (module graph, DB open): an import of
// an empty file into the same DB.
const emptyJsonl = `${outDir}/document_import/empty.jsonl`;
await Deno.writeTextFile(emptyJsonl, "");
const empty = await importTree(emptyJsonl, work, { keep: true });
const importMs = imported.ms;
const rows = [
  { what: "Deno.copyFile dell'albero", ms: copyMs },
  { what: "copyFile + fsync (stessa durabilità)", ms: durableCopyMs },
  { what: "copyFile + fsync, 8 file alla volta", ms: parallelCopyMs },
  { what: "main.ts import (righe + file)", ms: importMs },
];
for (const r of rows) {
  console.log(
    `${r.what.padEnd(40)} ${String(Math.round(r.ms)).padStart(7)} ms ${
      mbps(tree.bytes, r.ms).toFixed(0).padStart(6)
    } MB/s`,
  );
}
const share = copyMs / importMs;
const durableShare = durableCopyMs / importMs;
const parallelShare = parallelCopyMs / importMs;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
console.log(
  `import: ${pct(durableShare)} della copia con fsync (obiettivo ≥ ${TARGET_SHARE * 100} %), ` +
    `${pct(parallelShare)} della copia con fsync a 8 file, ${pct(share)} della copia semplice`,
);
console.log(
  `re-import dello stesso albero nello stesso DB: ${Math.round(again.ms)} ms ` +
    `(avvio di main.ts con un JSONL vuoto: ${Math.round(empty.ms)} ms)`,
);
console.log(`uptime: ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log(JSON.stringify({
  bench: "document_import",
  documents,
  bytes: tree.bytes,
  encrypted: values.encrypted,
  copyMbPerS: Math.round(mbps(tree.bytes, copyMs)),
  durableCopyMbPerS: Math.round(mbps(tree.bytes, durableCopyMs)),
  parallelDurableCopyMbPerS: Math.round(mbps(tree.bytes, parallelCopyMs)),
  importMbPerS: Math.round(mbps(tree.bytes, importMs)),
  shareOfCopy: Number(share.toFixed(2)),
  shareOfDurableCopy: Number(durableShare.toFixed(2)),
  shareOfParallelDurableCopy: Number(parallelShare.toFixed(2)),
  target: TARGET_SHARE,
  reimportMs: Math.round(again.ms),
  emptyImportMs: Math.round(empty.ms),
  load: Deno.loadavg()[0],
}));
await Deno.remove(work, { recursive: true }).catch(() => {});
