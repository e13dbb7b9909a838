/**
 * Document bytes between archive and branch over real HTTP on loopback, through the fault
 * proxy: cut links, corrupt chunks, damaged partial files, uploads retried after a lost
 * answer, and the disk budget.
 */
import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { documentFileState, recordDocumentFiles } from "../db/document_files.ts";
import { addRecordDocument } from "../db/record_documents.ts";
import { documentFiles, fileTransfers } from "../db/schema.ts";
import { ingestedRows, ingestFile } from "../documents/ingest.ts";
import { enqueueUpload, evictToBudget, wantedFiles } from "../sync/file_queue.ts";
import { downloadPartialPath } from "../sync/file_queue.ts";
import { runFileTransfers, StoppedForTest } from "../sync/file_transfer.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { fastOptions, fileDeps, pairWithFile, pdfBytes, sha256Hex } from "./_file_sync.ts";
import { createSyncPair, startPairBranchSync } from "./_sync_setup.ts";
import { createTestWorld } from "./_world.ts";
import { startFaultProxy } from "./fault_proxy.ts";
import { act, documentRef, dossier } from "./fixtures.ts";
import { openFileStore } from "../documents/file_store.ts";
import { createApp } from "../app.ts";
import { upsertRecords } from "../db/records.ts";
import { addUser, TestClient } from "./_access_client.ts";

async function storedSha(
  pairStore: { open(sha: string): Promise<ReadableStream<Uint8Array>> },
  sha: string,
) {
  return sha256Hex(new Uint8Array(await new Response(await pairStore.open(sha)).arrayBuffer()));
}

Deno.test("a 6 MB public attachment fetched over a link cut every 700 kB arrives whole and verified", async () => {
  const bytes = pdfBytes(6_000_000, 1);
  const { pair, sha } = await pairWithFile(bytes);
  await using _pair = pair;
  await using proxy = await startFaultProxy(pair.archiveUrl, () => ({ kind: "pass" }), undefined, {
    everyBytes: 700_000,
  });
  const report = await runFileTransfers(fileDeps(pair, proxy.url), fastOptions());
  assert.equal(report.downloaded, 1);
  assert.ok(proxy.cuts >= 8, `the link was cut ${proxy.cuts} times`);
  assert.equal(await storedSha(pair.branchStore!, sha), sha);
  const state = await documentFileState(pair.branch.db, sha);
  assert.equal(state?.present, true);
  assert.equal(state?.mime, "application/pdf");
  assert.deepEqual(await pair.branch.db.select().from(fileTransfers), []);
  // Bytes of a cut chunk are kept and verified by the next request, not fetched again.
  assert.ok(
    proxy.bytesDown < bytes.byteLength * 1.05,
    `${proxy.bytesDown} bytes sent down for a file of ${bytes.byteLength}`,
  );
  await assert.rejects(Deno.stat(downloadPartialPath(pair.branchStore!, sha)));
});

Deno.test("a chunk corrupted in transit is detected by its digest and fetched again alone", async () => {
  const bytes = pdfBytes(1_000_000, 2);
  const chunk = 128 * 1024;
  const { pair, sha } = await pairWithFile(bytes);
  await using _pair = pair;
  let fileRequests = 0;
  await using proxy = await startFaultProxy(pair.archiveUrl, (_n, req) => {
    if (!new URL(req.url).pathname.includes("/files/")) return { kind: "pass" };
    // The third chunk arrives with one byte flipped.
    return ++fileRequests === 3 ? { kind: "corrupt", at: 1000 } : { kind: "pass" };
  });
  const report = await runFileTransfers(fileDeps(pair, proxy.url), fastOptions(chunk));
  assert.equal(report.downloaded, 1);
  assert.equal(proxy.faultsInjected, 1);
  assert.equal(fileRequests, Math.ceil(bytes.byteLength / chunk) + 1, "one chunk asked twice");
  assert.equal(proxy.bytesDown, bytes.byteLength + chunk);
  assert.equal(await storedSha(pair.branchStore!, sha), sha);
});

Deno.test("a partial file damaged on disk re-fetches only its bad chunk, after a stop mid-file", async () => {
  const bytes = pdfBytes(1_000_000, 3);
  const chunk = 100_000;
  const { pair, sha } = await pairWithFile(bytes);
  await using _pair = pair;
  await using proxy = await startFaultProxy(pair.archiveUrl, () => ({ kind: "pass" }));
  const deps = fileDeps(pair, proxy.url);
  // Stopped after four committed chunks, as a kill between two chunks would.
  await assert.rejects(
    runFileTransfers(deps, { ...fastOptions(chunk), stopAfterChunks: 4 }),
    StoppedForTest,
  );
  const row = await pair.branch.db.select().from(fileTransfers).get();
  assert.equal(row?.bytesDone, 4 * chunk);
  // A byte of the second chunk rots on disk.
  const path = downloadPartialPath(pair.branchStore!, sha);
  const partial = await Deno.readFile(path);
  partial[150_000] = (partial[150_000] ?? 0) ^ 0x01;
  await Deno.writeFile(path, partial);
  const before = proxy.bytesDown;
  const report = await runFileTransfers(deps, fastOptions(chunk));
  assert.equal(report.downloaded, 1);
  // The six chunks not yet fetched, plus the damaged one again: not the whole file.
  assert.equal(proxy.bytesDown - before, 6 * chunk + chunk);
  assert.equal(await storedSha(pair.branchStore!, sha), sha);
});

Deno.test("a file the archive does not hold yet stays queued as stalled, with the reason in Italian", async () => {
  const missing = documentRef({ sha256: "ab".repeat(32), bytes: 5000, public: true });
  await using pair = await createSyncPair({
    archiveRecords: [act({ attachments: [missing] })],
    files: true,
  });
  await syncOnce(pair.clientDeps(), { sleep: () => Promise.resolve() });
  const report = await runFileTransfers(fileDeps(pair, pair.archiveUrl), {
    ...fastOptions(),
    maxAttempts: 2,
  });
  assert.equal(report.stalled, 1);
  const row = await pair.branch.db.select().from(fileTransfers).get();
  assert.equal(row?.state, "stalled");
  assert.match(row?.lastError ?? "", /non presente nell'archivio/);
});

Deno.test("a counter scan goes up once, even when answers are lost and the link is cut", async () => {
  const record = dossier({ documents: [] });
  await using pair = await createSyncPair({ archiveRecords: [record], files: true });
  await syncOnce(pair.clientDeps(), { sleep: () => Promise.resolve() });
  const bytes = pdfBytes(700_000, 4);
  const stored = await ingestFile(pair.branchStore!, { bytes }, { clock: pair.branch.clock });
  const doc = documentRef({ sha256: stored.sha256, bytes: bytes.byteLength });
  await addRecordDocument(pair.branch.db, { kind: "dossier", id: record.id }, doc, stored, {
    now: pair.branch.clock(),
    branch: "sede-prova",
    outbox: true,
    actor: "impiegato",
  });
  assert.equal((await documentFileState(pair.branch.db, stored.sha256))?.pinned, true);
  // Before the record went up the archive does not take the bytes: they wait, stalled.
  const early = await runFileTransfers(fileDeps(pair, pair.archiveUrl), {
    ...fastOptions(100_000),
    maxAttempts: 1,
  });
  assert.equal(early.stalled, 1);
  await syncOnce(pair.clientDeps(), { sleep: () => Promise.resolve() });

  const chunk = 100_000;
  let puts = 0;
  await using proxy = await startFaultProxy(pair.archiveUrl, (_n, req) => {
    if (req.method !== "PUT") return { kind: "pass" };
    puts++;
    const offset = Number(new URL(req.url).searchParams.get("offset"));
    const length = Number(req.headers.get("content-length"));
    // The archive applies the 2nd chunk and the last one, but their answers are lost; the
    // 4th answer is cut mid-body.
    if (puts === 2 || offset + length === bytes.byteLength) {
      return { kind: "status", status: 503, forward: true };
    }
    if (puts === 4) return { kind: "drop_mid_body" };
    return { kind: "pass" };
  });
  const report = await runFileTransfers(fileDeps(pair, proxy.url), fastOptions(chunk));
  assert.equal(report.uploaded, 1);
  assert.equal(await storedSha(pair.archiveStore!, stored.sha256), stored.sha256);
  assert.equal((await documentFileState(pair.archive.db, stored.sha256))?.present, true);
  // Each lost answer costs its chunk once more at most.
  assert.ok(proxy.bytesUp <= bytes.byteLength + 3 * chunk, `${proxy.bytesUp} bytes sent up`);
  assert.deepEqual(await pair.branch.db.select().from(fileTransfers), []);
  assert.equal((await documentFileState(pair.branch.db, stored.sha256))?.pinned, false);
  // The archive's partial upload is gone; nothing else was stored.
  const usage = await pair.archiveStore!.usage();
  assert.equal(usage.files, 1);
  const uploads = [];
  for await (const e of Deno.readDir(`${pair.archiveStore!.root}/.tmp`)) uploads.push(e.name);
  for (const dir of uploads.filter((n) => n === "uploads")) {
    for await (const branchDir of Deno.readDir(`${pair.archiveStore!.root}/.tmp/${dir}`)) {
      const left = [];
      for await (
        const f of Deno.readDir(`${pair.archiveStore!.root}/.tmp/${dir}/${branchDir.name}`)
      ) left.push(f.name);
      assert.deepEqual(left, []);
    }
  }
  // Queued again (a restored backup): the archive answers "already here", nothing moves.
  await enqueueUpload(
    pair.branch.db,
    { sha256: stored.sha256, bytes: bytes.byteLength },
    pair.branch.clock(),
  );
  const before = proxy.bytesUp;
  const again = await runFileTransfers(fileDeps(pair, proxy.url), fastOptions(chunk));
  assert.equal(again.uploaded, 1);
  assert.equal(proxy.bytesUp, before);
});

Deno.test("the budget holds the newest public attachments; eviction spares pinned and unsent files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-evict-" });
  const store = await openFileStore(dir);
  const file = (n: number) => pdfBytes(1000, 100 + n);
  const shas = [0, 1, 2, 3, 4].map((n) => sha256Hex(file(n)));
  const newer = act({
    date: "2024-01-10",
    attachments: [documentRef({ sha256: shas[0]!, bytes: 1000, public: true })],
  });
  const older = act({
    date: "2020-01-10",
    attachments: [documentRef({ sha256: shas[1]!, bytes: 1000, public: true })],
  });
  const hidden = act({
    date: "2025-01-10",
    attachments: [documentRef({ sha256: shas[2]!, bytes: 1000, public: false })],
  });
  await using world = await createTestWorld({ records: [older, newer, hidden], fileStore: store });
  try {
    const t = (s: string) => new Date(`2026-01-0${s}T10:00:00Z`);
    const { automatic } = await wantedFiles(world.db, 1500);
    assert.deepEqual([...automatic.keys()], [shas[0]], "the newest act's attachment fits, alone");

    // Five files here: 0 wanted, 1 least recently used, 2 pinned, 3 waiting to go up, 4 recent.
    for (const n of [0, 1, 2, 3, 4]) {
      const stored = await ingestFile(store, { bytes: file(n) }, { clock: world.clock });
      await world.db.transaction((tx) =>
        recordDocumentFiles(tx, ingestedRows(stored, t("1"), n === 2))
      );
    }
    const used = (n: number, day: string) =>
      world.db.update(documentFiles).set({ lastUsedAt: t(day).toISOString() })
        .where(eq(documentFiles.sha256, shas[n]!));
    await used(0, "1");
    await used(1, "2");
    await used(2, "1");
    await used(3, "1");
    await used(4, "5");
    await enqueueUpload(world.db, { sha256: shas[3]!, bytes: 1000 }, t("1"));
    const freed = await evictToBudget(world.db, store, 3000, new Set([shas[0]!]), t("6"));
    assert.deepEqual(freed, { files: 2, bytes: 2000 });
    for (const [n, kept] of [[0, true], [1, false], [2, true], [3, true], [4, false]] as const) {
      assert.equal(await store.has(shas[n]!), kept, `file ${n}`);
      assert.equal((await documentFileState(world.db, shas[n]!))?.present, kept, `row ${n}`);
    }
    const pending = await world.db.select().from(fileTransfers)
      .where(and(eq(fileTransfers.direction, "up"))).all();
    assert.equal(pending.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("/admin/sync lists the file queue: bytes done, rate, ETA, and why a file is stuck", async () => {
  const bytes = pdfBytes(1_000_000, 9);
  const { pair, sha } = await pairWithFile(bytes);
  await using _pair = pair;
  const missing = documentRef({
    sha256: "cd".repeat(32),
    bytes: 4000,
    public: true,
    title: "Verbale mancante",
  });
  await pair.archive.db.transaction((tx) =>
    upsertRecords(tx, [act({ date: "2024-01-01", attachments: [missing] })], pair.archive.clock())
  );
  await syncOnce(pair.clientDeps(), { sleep: () => Promise.resolve() });
  // The file the archive lacks stalls; the other one is stopped after 3 of 10 chunks.
  await assert.rejects(
    runFileTransfers(fileDeps(pair, pair.archiveUrl), {
      ...fastOptions(100_000),
      stopAfterChunks: 3,
    }),
    StoppedForTest,
  );
  const { branch } = pair;
  const app = createApp({ ...branch, config: { ...branch.config, role: "branch" } });
  await addUser(branch.db, "admin1", "admin", branch.clock());
  const client = new TestClient(app);
  assert.equal((await client.login("admin1")).status, 303);
  for (const path of ["/admin/sync", "/admin/sync/pannello"]) {
    const html = await (await client.get(path)).text();
    const queue = html.slice(html.indexOf('id="file-queue"'));
    assert.match(queue, /Tavola 1<\/td><td>Ricezione<\/td>/, path);
    assert.match(queue, /In corso/);
    assert.match(queue, /300 kB di 1\.0 MB \(30 %\)/);
    assert.match(queue, /\d+(\.\d)? [kMG]?B\/s/, "the rate of the last chunk");
    assert.match(queue, /\d+ s|\d+ min/, "an ETA");
    assert.match(
      queue,
      /Verbale mancante<\/td><td>Ricezione<\/td><td><span class="badge bg-warning">Fermo/,
    );
    assert.match(queue, /File non presente nell(&#39;|')archivio/);
  }
  assert.equal((await documentFileState(branch.db, sha))?.present ?? false, false);
});

Deno.test("a dossier scan comes only when a clerk pins it, whatever the budget, and stays", async () => {
  const bytes = pdfBytes(300_000, 10);
  const { pair, sha } = await pairWithFile(bytes, "dossier");
  await using _pair = pair;
  const tiny = fileDeps(pair, pair.archiveUrl, 1);
  assert.equal((await runFileTransfers(tiny, fastOptions())).downloaded, 0, "not public");
  // "Scarica in sede": the viewer pins a row the branch has no bytes for (also offline).
  const at = pair.branch.clock().toISOString();
  await pair.branch.db.insert(documentFiles).values({
    sha256: sha,
    mime: "application/pdf",
    bytes: bytes.byteLength,
    present: false,
    pinned: true,
    createdAt: at,
    updatedAt: at,
  });
  const report = await runFileTransfers(tiny, fastOptions());
  assert.equal(report.downloaded, 1);
  assert.equal(report.evicted, 0, "a pinned file is never evicted, even past the budget");
  const state = await documentFileState(pair.branch.db, sha);
  assert.equal(state?.present, true);
  assert.equal(state?.pinned, true);
  assert.equal(await storedSha(pair.branchStore!, sha), sha);
});

Deno.test("a kiosk fetches a file a clerk pins without waiting for the next scheduled sync", async () => {
  const bytes = pdfBytes(200_000, 11);
  const { pair, sha } = await pairWithFile(bytes, "dossier");
  await using _pair = pair;
  const scheduler = startPairBranchSync(pair, {
    fileStore: pair.branchStore,
    fileWatchMs: 50,
  });
  try {
    const deadline = Date.now() + 20_000;
    while (scheduler.state().online !== true) {
      assert.ok(Date.now() < deadline, "first run never ended");
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(await pair.branchStore!.has(sha), false);
    const at = pair.branch.clock().toISOString();
    await pair.branch.db.insert(documentFiles).values({
      sha256: sha,
      mime: "application/pdf",
      bytes: bytes.byteLength,
      pinned: true,
      createdAt: at,
      updatedAt: at,
    });
    while (!(await documentFileState(pair.branch.db, sha))?.present) {
      assert.ok(Date.now() < deadline, "the pinned file never came");
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(await storedSha(pair.branchStore!, sha), sha);
  } finally {
    await scheduler.stop();
  }
});

Deno.test("eviction takes a signed envelope and its content together, never the content alone", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-evict-" });
  const store = await openFileStore(dir);
  await using world = await createTestWorld({ fileStore: store });
  try {
    const envelope = await store.put(ReadableStream.from([pdfBytes(1000, 200)]));
    const content = await store.put(ReadableStream.from([pdfBytes(1000, 201)]));
    const other = await store.put(ReadableStream.from([pdfBytes(1000, 202)]));
    const row = (sha: string, day: string, contentSha256: string | null = null) => ({
      sha256: sha,
      mime: contentSha256 ? "application/pkcs7-mime" : "application/pdf",
      bytes: 1000,
      present: true,
      contentSha256,
      lastUsedAt: `2026-01-0${day}T10:00:00.000Z`,
      createdAt: "2026-01-01T10:00:00.000Z",
      updatedAt: "2026-01-01T10:00:00.000Z",
    });
    // The content is the least recently used, then the envelope, then the other file.
    await world.db.insert(documentFiles).values([
      row(content.sha256, "1"),
      row(envelope.sha256, "2", content.sha256),
      row(other.sha256, "3"),
    ]);
    const freed = await evictToBudget(world.db, store, 2000, new Set(), new Date());
    // The content alone would have been enough; it goes only with its envelope.
    assert.deepEqual(freed, { files: 2, bytes: 2000 });
    assert.equal(await store.has(envelope.sha256), false);
    assert.equal(await store.has(content.sha256), false);
    assert.equal(await store.has(other.sha256), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
