/** The content-addressed file store, plain and encrypted, on real temp folders. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  type FileStore,
  FileStoreError,
  type FileStoreOptions,
  openFileStore,
} from "../documents/file_store.ts";

const KEY = "una-chiave-di-prova-lunga-abbastanza-0123456789";
const C = 64 * 1024;

async function tempStore(options: FileStoreOptions = {}) {
  const dir = await Deno.makeTempDir({ prefix: "faldone-store-" });
  const store = await openFileStore(`${dir}/files`, options);
  return {
    dir,
    store,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function sha(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Deterministic, non-repeating bytes (a text would compress into patterns a test may miss). */
function bytesOf(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A stream of `bytes` in pieces of `piece` bytes, counting how many pieces were pulled. */
function streamOf(bytes: Uint8Array, piece = 10_000) {
  const seen = { pulls: 0, cancelled: false };
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulls++;
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, seen };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...await filesUnder(path));
    else out.push(path);
  }
  return out.sort();
}

async function tempFiles(root: string): Promise<string[]> {
  return await filesUnder(`${root}/.tmp`);
}

async function rejectsWith(promise: Promise<unknown>, reason: string): Promise<FileStoreError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof FileStoreError, `expected FileStoreError, got ${err}`);
    assert.equal(err.reason, reason, err.message);
    return err;
  }
  assert.fail(`expected a FileStoreError "${reason}"`);
}

Deno.test("a put file is stored once under <root>/ab/cd/<sha256> and reads back whole", async () => {
  await using t = await tempStore();
  const bytes = bytesOf(300_000);
  const put = await t.store.put(streamOf(bytes).stream);
  const hash = sha(bytes);
  assert.deepEqual(put, { sha256: hash, bytes: 300_000, created: true });
  const onDisk = `${t.store.root}/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;
  assert.deepEqual(await Deno.readFile(onDisk), bytes);
  assert.deepEqual(await readAll(await t.store.open(hash)), bytes);
  assert.equal(await t.store.has(hash), true);
  assert.equal((await t.store.stat(hash))?.bytes, 300_000);
  assert.deepEqual(await tempFiles(t.store.root), []);
});

Deno.test("re-putting bytes the store holds copies nothing", async () => {
  await using t = await tempStore();
  const bytes = bytesOf(50_000);
  const first = await t.store.put(streamOf(bytes).stream);
  const path = `${t.store.root}/${first.sha256.slice(0, 2)}/${
    first.sha256.slice(2, 4)
  }/${first.sha256}`;
  const before = (await Deno.stat(path)).mtime;

  // Knowing the hash, the store does not even read the source.
  const known = streamOf(bytes);
  const again = await t.store.put(known.stream, { sha256: first.sha256, bytes: 50_000 });
  assert.equal(again.created, false);
  assert.equal(known.seen.pulls, 0);
  assert.equal(known.seen.cancelled, true);

  // Not knowing it, the bytes are hashed, found to be here, and the temp copy dropped.
  const blind = await t.store.put(streamOf(bytes).stream);
  assert.deepEqual(blind, { sha256: first.sha256, bytes: 50_000, created: false });
  assert.deepEqual((await Deno.stat(path)).mtime, before);
  assert.equal((await t.store.usage()).files, 1);
  assert.deepEqual(await tempFiles(t.store.root), []);
});

Deno.test("a wrong hash or size stores nothing and leaves no temp file", async () => {
  await using t = await tempStore();
  const bytes = bytesOf(40_000);
  const wrong = sha(bytesOf(40_000, 2));
  const err = await rejectsWith(t.store.put(streamOf(bytes).stream, { sha256: wrong }), "hash");
  assert.match(err.message, /sha256/);
  await rejectsWith(t.store.put(streamOf(bytes).stream, { bytes: 39_999 }), "size");
  await rejectsWith(t.store.put(streamOf(bytes).stream, { bytes: 40_001 }), "size");
  await rejectsWith(t.store.put(streamOf(bytes).stream, { sha256: "not-a-hash" }), "hash");
  assert.equal(await t.store.has(sha(bytes)), false);
  assert.deepEqual((await t.store.usage()).files, 0);
  assert.deepEqual(await tempFiles(t.store.root), []);
});

for (const key of [undefined, KEY]) {
  const kind = key ? "encrypted" : "plain";
  Deno.test(`putFile stores a file from disk, checked, 0600, through one reused buffer (${kind})`, async () => {
    await using t = await tempStore({ key });
    const bytes = bytesOf(3 * 1024 * 1024 + 17, 5); // more than one 1 MiB piece
    const source = `${t.dir}/scan.pdf`;
    await Deno.writeFile(source, bytes, { mode: 0o644 });
    const seen: number[] = [];
    const put = await t.store.putFile(source, { sha256: sha(bytes), bytes: bytes.length }, {
      onProgress: (n) => seen.push(n),
    });
    assert.deepEqual(put, { sha256: sha(bytes), bytes: bytes.length, created: true });
    assert.deepEqual(await readAll(await t.store.open(sha(bytes))), bytes);
    assert.equal(seen.at(-1), bytes.length);
    if (!key) {
      const onDisk = `${t.store.root}/${put.sha256.slice(0, 2)}/${
        put.sha256.slice(2, 4)
      }/${put.sha256}`;
      assert.equal((await Deno.stat(onDisk)).mode! & 0o777, 0o600);
    }
    // A wrong hash, a wrong size or a limit: nothing stored, no temp file left.
    const other = `${t.dir}/other.pdf`;
    await Deno.writeFile(other, bytesOf(200_000, 6));
    await rejectsWith(t.store.putFile(other, { sha256: sha(bytesOf(200_000, 7)) }), "hash");
    await rejectsWith(t.store.putFile(other, { bytes: 199_999 }), "size");
    await rejectsWith(t.store.putFile(other, {}, { maxBytes: 100_000 }), "too_large");
    assert.equal(await t.store.has(sha(bytesOf(200_000, 6))), false);
    assert.equal((await t.store.usage()).files, 1);
    assert.deepEqual(await tempFiles(t.store.root), []);
  });
}

Deno.test("a stored file of the wrong size is never trusted: a put replaces it", async () => {
  await using t = await tempStore();
  const bytes = bytesOf(60_000, 3);
  const hash = sha(bytes);
  const onDisk = `${t.store.root}/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;
  await Deno.mkdir(onDisk.slice(0, onDisk.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(onDisk, bytes.subarray(0, 1_000)); // cut short
  const put = await t.store.put(streamOf(bytes).stream, { sha256: hash, bytes: 60_000 });
  assert.deepEqual(put, { sha256: hash, bytes: 60_000, created: true });
  assert.deepEqual(await Deno.readFile(onDisk), bytes);

  // The right size is trusted by default (the source not read); with trustExisting false
  // the source is read and verified, and its bytes replace a same-sized file under the name.
  const same = bytesOf(60_000, 4);
  await Deno.writeFile(onDisk, same);
  const trusted = streamOf(bytes);
  assert.equal((await t.store.put(trusted.stream, { sha256: hash, bytes: 60_000 })).created, false);
  assert.equal(trusted.seen.pulls, 0);
  assert.deepEqual(await Deno.readFile(onDisk), same);
  const source = `${t.dir}/src.bin`;
  await Deno.writeFile(source, bytes);
  const checked = await t.store.putFile(source, { sha256: hash, bytes: 60_000 }, {
    trustExisting: false,
  });
  assert.equal(checked.created, true);
  assert.deepEqual(await Deno.readFile(onDisk), bytes);
  // A source that does not match leaves the file under the name as it was.
  await Deno.writeFile(onDisk, same);
  await Deno.writeFile(source, bytesOf(60_000, 8));
  await rejectsWith(
    t.store.putFile(source, { sha256: hash, bytes: 60_000 }, { trustExisting: false }),
    "hash",
  );
  assert.deepEqual(await Deno.readFile(onDisk), same);
  assert.deepEqual(await tempFiles(t.store.root), []);
});

Deno.test("new shard folders are handed to the caller to sync, parents included", async () => {
  await using t = await tempStore();
  const bytes = bytesOf(1_000, 9);
  const hash = sha(bytes);
  const dirs = new Set<string>();
  await t.store.put(streamOf(bytes).stream, {}, { dirsToSync: dirs });
  const ab = `${t.store.root}/${hash.slice(0, 2)}`;
  assert.deepEqual([...dirs].sort(), [t.store.root, ab, `${ab}/${hash.slice(2, 4)}`].sort());
});

Deno.test("a file over the size limit stops the stream early and leaves nothing", async () => {
  await using t = await tempStore({ maxBytes: 100_000 });
  // An endless source: the put must stop it, not read it to the end.
  let produced = 0;
  let cancelled = false;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      produced += 10_000;
      controller.enqueue(new Uint8Array(10_000));
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  const err = await rejectsWith(t.store.put(endless), "too_large");
  assert.match(err.message, /limite/);
  assert.ok(produced <= 120_000, `read ${produced} bytes past a 100,000-byte limit`);
  assert.equal(cancelled, true);
  // A declared size over the limit is refused before reading; a put may lower the limit.
  const declared = streamOf(bytesOf(10));
  await rejectsWith(t.store.put(declared.stream, { bytes: 200_000 }), "too_large");
  assert.equal(declared.seen.pulls, 0);
  await rejectsWith(
    t.store.put(streamOf(bytesOf(5_000)).stream, {}, { maxBytes: 4_999 }),
    "too_large",
  );
  assert.equal((await t.store.usage()).files, 0);
  assert.deepEqual(await tempFiles(t.store.root), []);
});

for (const key of [undefined, KEY]) {
  Deno.test(`a source that breaks midway stores nothing (${key ? "encrypted" : "plain"})`, async () => {
    await using t = await tempStore({ key });
    let sent = 0;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20 * C) return controller.error(new Error("connessione interrotta"));
        sent += C;
        controller.enqueue(bytesOf(C, sent));
      },
    });
    await assert.rejects(t.store.put(broken), /connessione interrotta/);
    assert.equal((await t.store.usage()).files, 0);
    assert.deepEqual(await tempFiles(t.store.root), []);
  });
}

Deno.test("two puts of the same bytes at once leave one file", async () => {
  await using t = await tempStore({ key: KEY });
  const bytes = bytesOf(200_000);
  const results = await Promise.all([
    t.store.put(streamOf(bytes).stream),
    t.store.put(streamOf(bytes).stream),
  ]);
  assert.equal(results[0].sha256, results[1].sha256);
  assert.equal((await t.store.usage()).files, 1);
  assert.deepEqual(await readAll(await t.store.open(results[0].sha256)), bytes);
});

Deno.test("open reads exactly the byte range asked for, and refuses one out of the file", async () => {
  await using t = await tempStore();
  const bytes = bytesOf(700_000);
  const { sha256 } = await t.store.put(streamOf(bytes).stream);
  for (
    const [start, end] of [[0, 1], [5, 5], [262_143, 262_145], [699_999, 700_000], [1, 700_000]]
  ) {
    const got = await readAll(await t.store.open(sha256, { start, end }));
    assert.deepEqual(got, bytes.slice(start, end), `range ${start}-${end}`);
  }
  await rejectsWith(t.store.open(sha256, { start: 10, end: 700_001 }), "range");
  await rejectsWith(t.store.open(sha256, { start: 10, end: 9 }), "range");
  await rejectsWith(t.store.open(sha(bytesOf(3)), {}), "missing");
});

Deno.test("remove, list and usage account for every file", async () => {
  await using t = await tempStore();
  const a = await t.store.put(streamOf(bytesOf(1_000, 1)).stream);
  const b = await t.store.put(streamOf(bytesOf(2_000, 2)).stream);
  const empty = await t.store.put(streamOf(new Uint8Array(0)).stream);
  assert.equal(empty.sha256, sha(new Uint8Array(0)));
  assert.deepEqual(await t.store.usage(), { files: 3, bytes: 3_000, storedBytes: 3_000 });
  const listed = (await Array.fromAsync(t.store.list())).map((f) => [f.sha256, f.bytes]).sort();
  assert.deepEqual(listed, [[a.sha256, 1_000], [b.sha256, 2_000], [empty.sha256, 0]].sort());
  assert.equal(await t.store.remove(a.sha256), true);
  assert.equal(await t.store.remove(a.sha256), false);
  assert.equal(await t.store.has(a.sha256), false);
  assert.deepEqual(await t.store.usage(), { files: 2, bytes: 2_000, storedBytes: 2_000 });
});

Deno.test("a temp file left by a dead put is removed at the next open once stale", async () => {
  await using t = await tempStore();
  const stale = `${t.store.root}/.tmp/dead.part`;
  const fresh = `${t.store.root}/.tmp/running.part`;
  await Deno.writeFile(stale, bytesOf(10));
  await Deno.writeFile(fresh, bytesOf(10));
  const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
  await Deno.utime(stale, twoDaysAgo, twoDaysAgo);
  await openFileStore(t.store.root);
  assert.deepEqual(await tempFiles(t.store.root), [fresh]);
});

Deno.test("a folder with files but no marker is not taken for a store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-store-" });
  try {
    await Deno.mkdir(`${dir}/ab/cd`, { recursive: true });
    await rejectsWith(openFileStore(dir), "layout");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// --- encryption at rest ---

/** Where an encrypted store put a file: the one file under its shard folders. */
async function onlyStoredFile(store: FileStore): Promise<string> {
  const files = (await filesUnder(store.root)).filter((p) => /\/[0-9a-f]{64}$/.test(p));
  assert.equal(files.length, 1);
  return files[0]!;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

Deno.test("an encrypted store holds neither the plaintext nor its sha256 on disk", async () => {
  await using t = await tempStore({ key: KEY });
  assert.equal(t.store.encrypted, true);
  const text = new TextEncoder().encode(
    "Pratica edilizia 452/1987, richiedente Bianchi Giulia BNCGLI50C54H501K. ".repeat(3000),
  );
  const { sha256 } = await t.store.put(streamOf(text).stream);
  const path = await onlyStoredFile(t.store);
  const stored = await Deno.readFile(path);
  assert.equal(contains(stored, new TextEncoder().encode("BNCGLI50C54H501K")), false);
  assert.equal(contains(stored, new TextEncoder().encode("Pratica")), false);
  assert.ok(!path.includes(sha256), "the file name is an HMAC, not the sha256");
  assert.equal(contains(stored, new TextEncoder().encode(sha256)), false);
  assert.deepEqual(await readAll(await t.store.open(sha256)), text);
  assert.equal((await t.store.stat(sha256))?.bytes, text.length);
  const [listed] = await Array.fromAsync(t.store.list());
  assert.equal(listed?.sha256, sha256);
  assert.equal(listed?.bytes, text.length);
});

Deno.test("encrypted range reads at and across chunk boundaries are exact", async () => {
  await using t = await tempStore({ key: KEY });
  const size = 3 * C + 5;
  const bytes = bytesOf(size, 7);
  const { sha256 } = await t.store.put(streamOf(bytes, 7_777).stream);
  const edges = [0, 1, C - 1, C, C + 1, 2 * C - 1, 2 * C, 3 * C, 3 * C + 4, size];
  for (const start of edges) {
    for (const end of edges) {
      if (end < start) continue;
      const got = await readAll(await t.store.open(sha256, { start, end }));
      assert.deepEqual(got, bytes.slice(start, end), `range ${start}-${end}`);
    }
  }
  // A size that is a whole number of chunks, and an empty file.
  const whole = bytesOf(2 * C, 9);
  const w = await t.store.put(streamOf(whole).stream);
  assert.deepEqual(await readAll(await t.store.open(w.sha256, { start: C })), whole.slice(C));
  const e = await t.store.put(streamOf(new Uint8Array(0)).stream);
  assert.deepEqual(await readAll(await t.store.open(e.sha256)), new Uint8Array(0));
  assert.equal((await t.store.usage()).bytes, size + 2 * C);
});

Deno.test("a tampered chunk is detected, and a range that avoids it still reads", async () => {
  await using t = await tempStore({ key: KEY });
  const bytes = bytesOf(3 * C + 100, 3);
  const { sha256 } = await t.store.put(streamOf(bytes).stream);
  const path = await onlyStoredFile(t.store);
  const stored = await Deno.readFile(path);
  stored[80 + (C + 16) + 500]! ^= 0x01; // one bit of chunk 1
  await Deno.writeFile(path, stored);

  // Chunk 0 and chunk 2 alone decrypt: a seek does not touch the rest of the file.
  assert.deepEqual(await readAll(await t.store.open(sha256, { end: C })), bytes.slice(0, C));
  assert.deepEqual(
    await readAll(await t.store.open(sha256, { start: 2 * C })),
    bytes.slice(2 * C),
  );
  // Reading through chunk 1 gives chunk 0 and then an error, never a byte of chunk 1.
  const reader = (await t.store.open(sha256)).getReader();
  const first = await reader.read();
  assert.deepEqual(first.value, bytes.slice(0, C));
  const err = await reader.read().then(() => undefined, (e) => e);
  assert.ok(err instanceof FileStoreError && err.reason === "corrupt", String(err));
  assert.match(err.message, /alterato/);
});

Deno.test("a cut, grown or swapped encrypted file is detected", async () => {
  await using t = await tempStore({ key: KEY });
  const bytes = bytesOf(2 * C + 10, 4);
  const { sha256 } = await t.store.put(streamOf(bytes).stream);
  const path = await onlyStoredFile(t.store);
  const original = await Deno.readFile(path);

  // Cut after the first chunk: chunk 0 was not sealed as the last one.
  await Deno.writeFile(path, original.slice(0, 80 + C + 16));
  await rejectsWith(readAll(await t.store.open(sha256)), "corrupt");
  // Cut inside the last chunk, or grown by a few bytes: its tag no longer verifies.
  await Deno.writeFile(path, original.slice(0, original.length - 3));
  await rejectsWith(readAll(await t.store.open(sha256)), "corrupt");
  await Deno.writeFile(path, new Uint8Array([...original, 1, 2, 3, 4, 5]));
  await rejectsWith(readAll(await t.store.open(sha256, { start: 2 * C })), "corrupt");
  // Cut inside the header's reach: no plaintext size fits, refused before any byte.
  await Deno.writeFile(path, original.slice(0, 90));
  await rejectsWith(t.store.open(sha256), "corrupt");

  // Another file's content under this name: the sealed sha256 in the header says so.
  const other = await t.store.put(streamOf(bytesOf(500, 5)).stream);
  const otherPath = (await filesUnder(t.store.root)).find((p) =>
    /\/[0-9a-f]{64}$/.test(p) && p !== path
  )!;
  await Deno.writeFile(path, await Deno.readFile(otherPath));
  const err = await rejectsWith(t.store.open(sha256), "corrupt");
  assert.match(err.message, /altro file/);
  assert.deepEqual(await readAll(await t.store.open(other.sha256)), bytesOf(500, 5));
});

Deno.test("a wrong or missing key is a clear error at open, never garbage bytes", async () => {
  await using t = await tempStore({ key: KEY });
  const { sha256 } = await t.store.put(streamOf(bytesOf(1000)).stream);
  const root = t.store.root;
  const wrong = await rejectsWith(openFileStore(root, { key: KEY + "x" }), "key");
  assert.match(wrong.message, /Chiave errata/);
  const missing = await rejectsWith(openFileStore(root), "key");
  assert.match(missing.message, /cifrato/);
  await rejectsWith(openFileStore(root, { key: "corta" }), "key");

  // A file carried into a store with another key: its header says which key it needs.
  await using other = await tempStore({ key: "un'altra-chiave-lunga-abbastanza-9876543210" });
  const { sha256: otherSha } = await other.store.put(streamOf(bytesOf(10)).stream);
  const theirs = await onlyStoredFile(other.store);
  const ours = await onlyStoredFile(t.store);
  await Deno.writeFile(ours, await Deno.readFile(theirs));
  const err = await rejectsWith(t.store.open(sha256), "key");
  assert.match(err.message, /un'altra chiave/);
  assert.ok(otherSha);
});

Deno.test("a plain store refuses a key instead of mixing plain and encrypted files", async () => {
  await using t = await tempStore();
  await t.store.put(streamOf(bytesOf(10)).stream);
  await rejectsWith(openFileStore(t.store.root, { key: KEY }), "key");
  const reopened = await openFileStore(t.store.root);
  assert.equal(reopened.encrypted, false);
});
