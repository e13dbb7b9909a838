/**
 * A dossier's scan fetched by a branch over a poor link (issue 10): 2 Mbit/s, 600 ms round
 * trips, the connection cut every 10 s, and the branch process killed -9 once on the way.
 * Prints the time against the link limit (target ≤ 1.3×) and the bytes sent twice because of
 * the kill (target ≤ one chunk).
 *
 *   deno run -A bench/file_transfer_bench.ts [--mb 50] [--kill-at 0.4] [--no-kill]
 *
 * The branch is a real `main.ts sync --once` process; the archive and the link shaper
 * (tests/fault_proxy.ts) run in this one. 50 MB take at least 200 s at 2 Mbit/s.
 */
import { parseArgs } from "node:util";
import { fileTransfers } from "../db/schema.ts";
import { documentFileState } from "../db/document_files.ts";
import { pairWithFile, pdfBytes, sha256Hex } from "../tests/_file_sync.ts";
import { startFaultProxy } from "../tests/fault_proxy.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const LINK = { bitsPerSecond: 2_000_000, rttMs: 600 };
const CUT_EVERY_MS = 10_000;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    mb: { type: "string", default: "50" },
    "kill-at": { type: "string", default: "0.4" },
    "no-kill": { type: "boolean", default: false },
  },
});
const size = Math.round(Number(values.mb) * 1_000_000);
const killAt = Number(values["kill-at"]);

function spawnBranch(dbPath: string, filesRoot: string, url: string, token: string) {
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
      "--attempts",
      "1000",
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

const bytes = pdfBytes(size, 50);
const sha = sha256Hex(bytes);
const { pair } = await pairWithFile(bytes, "dossier");
// A dossier scan comes when a clerk asks for it: pinned, not here.
const at = pair.branch.clock().toISOString();
const { documentFiles } = await import("../db/schema.ts");
await pair.branch.db.insert(documentFiles).values({
  sha256: sha,
  mime: "application/pdf",
  bytes: size,
  present: false,
  pinned: true,
  createdAt: at,
  updatedAt: at,
});
let lastRange = 0;
const proxy = await startFaultProxy(
  pair.archiveUrl,
  (n, req) => {
    const range = /bytes=(\d+)-(\d+)/.exec(req.headers.get("range") ?? "");
    if (range) lastRange = Number(range[2]) - Number(range[1]) + 1;
    if (killedAt && !restartedAt && n >= requestsAtKill && req.headers.has("range")) {
      restartedAt = performance.now();
    }
    return { kind: "pass" };
  },
  LINK,
  {
    everyMs: CUT_EVERY_MS,
  },
);
const dbPath = `${pair.branch.dir}/faldone.db`;
const root = pair.branchStore!.root;
const row = () => pair.branch.db.select().from(fileTransfers).get();

console.log(
  `${(size / 1e6).toFixed(1)} MB at ${LINK.bitsPerSecond / 1e6} Mbit/s, ${LINK.rttMs} ms RTT, ` +
    `cut every ${CUT_EVERY_MS / 1000} s${
      values["no-kill"] ? "" : `, kill -9 at ${killAt * 100} %`
    }`,
);
const started = performance.now();
let killed: { bytesDone: number; inFlight: number; downAtKill: number } | undefined;
let killedAt = 0;
let requestsAtKill = 0;
// When the restarted process asked for its first chunk: the time between is process start.
let restartedAt = 0;
let child = spawnBranch(dbPath, root, proxy.url, pair.token);
if (!values["no-kill"]) {
  for (;;) {
    const r = await row();
    if (r && r.bytesDone >= size * killAt) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Mid-chunk, not just after a commit: the chunk in flight is what a kill costs.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  child.kill("SIGKILL");
  await child.status;
  await child.stdout.cancel();
  await child.stderr.cancel();
  const r = await row();
  killed = {
    bytesDone: r?.bytesDone ?? 0,
    inFlight: lastRange,
    downAtKill: proxy.bytesDown,
  };
  killedAt = performance.now();
  requestsAtKill = proxy.requests;
  child = spawnBranch(dbPath, root, proxy.url, pair.token);
}
const out = await child.output();
const seconds = (performance.now() - started) / 1000;
if (!out.success) {
  console.error(new TextDecoder().decode(out.stderr));
  throw new Error(`sync --once exited with ${out.code}`);
}
const state = await documentFileState(pair.branch.db, sha);
const stored = sha256Hex(
  new Uint8Array(await new Response(await pair.branchStore!.open(sha)).arrayBuffer()),
);
const linkSeconds = (size * 8) / LINK.bitsPerSecond;
const report = {
  mb: size / 1e6,
  seconds: Number(seconds.toFixed(1)),
  linkLimitSeconds: linkSeconds,
  ratio: Number((seconds / linkSeconds).toFixed(3)),
  restartSeconds: Number(((restartedAt - killedAt) / 1000).toFixed(1)),
  ratioWithoutRestart: Number(
    ((seconds - (restartedAt - killedAt) / 1000) / linkSeconds).toFixed(3),
  ),
  cuts: proxy.cuts,
  requests: proxy.requests,
  bytesDown: proxy.bytesDown,
  extraBytes: proxy.bytesDown - size,
  verified: state?.present === true && stored === sha,
  ...(killed
    ? {
      killedAtBytes: killed.bytesDone,
      chunkInFlightAtKill: killed.inFlight,
      resentAfterKill: killed.downAtKill - killed.bytesDone,
    }
    : {}),
};
console.log(
  `time ${report.seconds} s vs link limit ${linkSeconds} s: ${report.ratio}× (target ≤ 1.3×); ` +
    `${report.cuts} cuts, ${report.requests} requests; verified: ${report.verified}`,
);
if (killed) {
  console.log(
    `of which ${report.restartSeconds} s between the kill and the new process's first request: ` +
      `${report.ratioWithoutRestart}× without them`,
  );
}
console.log(
  `bytes down ${report.bytesDown} for ${size} (${report.extraBytes} extra, JSON pages included)`,
);
if (killed) {
  console.log(
    `kill -9 with ${killed.bytesDone} bytes committed; ${report.resentAfterKill} bytes had gone ` +
      `down past them (fetched again after restart); the chunk in flight was ${killed.inFlight} bytes ` +
      `(target: re-sent ≤ one chunk)`,
  );
}
console.log(JSON.stringify(report));
await proxy[Symbol.asyncDispose]();
await pair[Symbol.asyncDispose]();
