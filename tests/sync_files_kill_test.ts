/**
 * kill -9 of a real branch process (`main.ts sync --once`) while it fetches a file: the next
 * run resumes at the last committed chunk and re-fetches at most the one that was in flight.
 */
import assert from "node:assert/strict";
import { documentFileState } from "../db/document_files.ts";
import { fileTransfers } from "../db/schema.ts";
import { pairWithFile, pdfBytes, sha256Hex } from "./_file_sync.ts";
import { startFaultProxy } from "./fault_proxy.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CHUNK_KB = 256;

function spawnSync(dbPath: string, filesRoot: string, url: string, token: string) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "main.ts",
      "sync",
      "--once",
      "--db",
      dbPath,
      "--files-root",
      filesRoot,
      "--archive-url",
      url,
      "--token",
      token,
      "--backoff-ms",
      "20",
      "--max-chunk-kb",
      String(CHUNK_KB),
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("a branch killed -9 while fetching a file resumes without fetching more than one chunk again", async () => {
  const bytes = pdfBytes(5_000_000, 7);
  const sha = sha256Hex(bytes);
  const { pair } = await pairWithFile(bytes);
  await using _pair = pair;
  // About 5 s for the file, so the process is caught in the middle.
  await using proxy = await startFaultProxy(pair.archiveUrl, () => ({ kind: "pass" }), {
    bitsPerSecond: 8_000_000,
    rttMs: 40,
  });
  const dbPath = `${pair.branch.dir}/faldone.db`;
  const root = pair.branchStore!.root;
  const done = async () =>
    (await pair.branch.db.select().from(fileTransfers).get())?.bytesDone ?? 0;

  let child = spawnSync(dbPath, root, proxy.url, pair.token);
  const deadline = Date.now() + 60_000;
  while (await done() < 1_500_000) {
    assert.ok(Date.now() < deadline, "the transfer never got going");
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill("SIGKILL");
  assert.equal((await child.status).signal, "SIGKILL");
  await child.stdout.cancel();
  await child.stderr.cancel();
  const committed = await done();
  assert.ok(committed < bytes.byteLength, "killed before the end");

  child = spawnSync(dbPath, root, proxy.url, pair.token);
  const out = await child.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(new TextDecoder().decode(out.stdout), /File: 1 ricevuti/);
  assert.equal((await documentFileState(pair.branch.db, sha))?.present, true);
  const stored = await pair.branchStore!.open(sha);
  assert.equal(sha256Hex(new Uint8Array(await new Response(stored).arrayBuffer())), sha);
  // Everything that went down: the file once, the chunk cut by the kill, two empty pages.
  const resent = proxy.bytesDown - bytes.byteLength;
  assert.ok(
    resent <= CHUNK_KB * 1024 + 4096,
    `${resent} bytes sent twice (one chunk is ${CHUNK_KB * 1024})`,
  );
});
