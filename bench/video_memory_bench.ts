/**
 * Memory while a 1 GB video moves (issue 10): a branch fetches it from the archive, then the
 * kiosk serves it to players that seek. Both are real `main.ts` processes; their RSS is read
 * from /proc every 50 ms. Target: each grows ≤ 64 MB (streams, not buffers). Not a test;
 * prints a table and one JSON line.
 *
 *   deno run -A bench/video_memory_bench.ts [--mb 1024] [--seeks 40]
 *
 * Growth is the peak RSS of the run less the same process's RSS before the bytes move: for
 * the fetch, the peak of a second `sync --once` that finds nothing to fetch (same start-up,
 * same pages); for the kiosk, its RSS once ready, before the first request.
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { recordDocumentFiles } from "../db/document_files.ts";
import { documentFileState } from "../db/document_files.ts";
import { ingestedRows, ingestFile } from "../documents/ingest.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { createSyncPair } from "../tests/_sync_setup.ts";
import { act, documentRef } from "../tests/fixtures.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const TARGET_MB = 64;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    mb: { type: "string", default: "1024" },
    seeks: { type: "string", default: "40" },
  },
});
const size = Math.round(Number(values.mb) * 1024 * 1024);
const seeks = Number(values.seeks);

/** An MP4-typed file of `size` bytes: an `ftyp` box, then incompressible bytes; its sha256. */
async function writeVideo(path: string): Promise<string> {
  const hash = createHash("sha256");
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const block = new Uint8Array(8 << 20);
  for (let at = 0; at < block.length; at += 65536) {
    crypto.getRandomValues(block.subarray(at, at + 65536));
  }
  let written = 0;
  for (let i = 0; written < size; i++) {
    const piece = block.slice(0, Math.min(block.length, size - written));
    if (i === 0) {
      piece.set([0, 0, 0, 0x18], 0);
      piece.set(new TextEncoder().encode("ftypisom"), 4);
    } else piece[0] = i & 0xff; // no two blocks alike
    hash.update(piece);
    let at = 0;
    while (at < piece.length) at += await file.write(piece.subarray(at));
    written += piece.length;
  }
  file.close();
  return hash.digest("hex");
}

/** RSS of a process in MB, or undefined once it has gone. */
async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS until stopped; the peak seen. */
function sampleRss(pid: number) {
  let peak = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const mb = await rssMb(pid);
      if (mb === undefined) break;
      peak = Math.max(peak, mb);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return peak;
    },
  };
}

function mainTs(args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Runs `sync --once` on the branch, sampling its RSS; its peak in MB. */
async function syncPeak(branchArgs: string[]): Promise<number> {
  const child = mainTs(["sync", "--once", ...branchArgs]);
  const sampler = sampleRss(child.pid);
  const out = await child.output();
  const peak = await sampler.stop();
  if (!out.success) {
    throw new Error(`sync --once exited with ${out.code}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return peak;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function drain(response: Response): Promise<number> {
  let n = 0;
  for await (const piece of response.body!) n += piece.length;
  return n;
}

const work = await Deno.makeTempDir({ prefix: "faldone-video-bench-" });
try {
  console.log(`== video da ${(size / 1024 / 1024).toFixed(0)} MB: memoria dei processi ==`);
  const videoPath = `${work}/seduta.mp4`;
  const sha = await writeVideo(videoPath);
  const doc = documentRef({
    file: "sedute/seduta.mp4",
    sha256: sha,
    bytes: size,
    pages: 1,
    public: true,
    title: "Registrazione della seduta",
  });
  const session = act({ attachments: [doc] });
  const pair = await createSyncPair({ archiveRecords: [session], files: true });
  try {
    const ingested = await ingestFile(pair.archiveStore!, { path: videoPath }, {
      clock: pair.archive.clock,
    });
    await pair.archive.db.transaction((tx) =>
      recordDocumentFiles(tx, ingestedRows(ingested, pair.archive.clock()))
    );
    await Deno.remove(videoPath);
    // The records come down in-process; the bytes come in a real branch process below.
    await syncOnce(pair.clientDeps(), { sleep: () => Promise.resolve() });
    const dbPath = `${pair.branch.dir}/faldone.db`;
    const branchArgs = [
      "--db",
      dbPath,
      "--files-root",
      pair.branchStore!.root,
      "--archive-url",
      pair.archiveUrl,
      "--token",
      pair.token,
    ];
    const started = performance.now();
    const fetchPeak = await syncPeak(branchArgs);
    const fetchSeconds = (performance.now() - started) / 1000;
    const state = await documentFileState(pair.branch.db, sha);
    if (state?.present !== true) throw new Error("the video did not arrive at the branch");
    const idlePeak = await syncPeak(branchArgs);
    const fetchGrowth = fetchPeak - idlePeak;
    console.log(
      `fetch: ${fetchSeconds.toFixed(1)} s, RSS massimo ${fetchPeak.toFixed(0)} MB; ` +
        `senza nulla da scaricare ${idlePeak.toFixed(0)} MB: crescita ${fetchGrowth.toFixed(0)} MB`,
    );

    // The kiosk serves it: one whole download, seeks, four players at once.
    const port = freePort();
    const kiosk = mainTs([
      "serve",
      "--db",
      dbPath,
      "--files-root",
      pair.branchStore!.root,
      "--port",
      String(port),
    ], { FALDONE_HOST: "127.0.0.1" });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0;; i++) {
      const ok = await fetch(`${base}/healthz`).then(async (r) => {
        await r.body?.cancel();
        return r.ok;
      }, () => false);
      if (ok) break;
      if (i > 600) {
        kiosk.kill("SIGTERM");
        const out = await kiosk.output();
        throw new Error(
          `the kiosk did not become ready in 60 s: ${new TextDecoder().decode(out.stderr)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000)); // warm-up settles
    const readyRss = (await rssMb(kiosk.pid))!;
    const sampler = sampleRss(kiosk.pid);
    const url = `${base}/documenti/atto/${encodeURIComponent(session.id)}/1/file`;
    const servedStarted = performance.now();
    const first = await fetch(url);
    if (first.status !== 200) {
      throw new Error(`the video answered ${first.status}: ${(await first.text()).slice(0, 500)}`);
    }
    const whole = await drain(first);
    if (whole !== size) throw new Error(`whole download gave ${whole} of ${size} bytes`);
    let seeded = 7;
    const player = async (n: number) => {
      for (let i = 0; i < n; i++) {
        seeded = (seeded * 1103515245 + 12345) % 2147483648;
        const start = seeded % (size - 4 * 1024 * 1024);
        const r = await fetch(url, { headers: { Range: `bytes=${start}-` } });
        if (r.status !== 206) throw new Error(`seek answered ${r.status}`);
        // A player reads a little after a seek, then seeks again: the rest is cancelled.
        const reader = r.body!.getReader();
        let got = 0;
        while (got < 2 * 1024 * 1024) {
          const { done, value } = await reader.read();
          if (done) break;
          got += value.length;
        }
        await reader.cancel();
      }
    };
    await Promise.all([0, 1, 2, 3].map(() => player(Math.ceil(seeks / 4))));
    const servedSeconds = (performance.now() - servedStarted) / 1000;
    const servePeak = await sampler.stop();
    kiosk.kill("SIGTERM");
    await kiosk.output();
    const serveGrowth = servePeak - readyRss;
    console.log(
      `kiosk: download intero + ${seeks} salti da 4 lettori in ${servedSeconds.toFixed(1)} s; ` +
        `RSS pronto ${readyRss.toFixed(0)} MB, massimo ${servePeak.toFixed(0)} MB: crescita ` +
        `${serveGrowth.toFixed(0)} MB`,
    );
    const report = {
      bench: "video_memory",
      mb: size / 1024 / 1024,
      fetchSeconds: Number(fetchSeconds.toFixed(1)),
      fetchGrowthMb: Math.round(fetchGrowth),
      serveGrowthMb: Math.round(serveGrowth),
      targetMb: TARGET_MB,
      pass: fetchGrowth <= TARGET_MB && serveGrowth <= TARGET_MB,
    };
    console.log(
      `crescita RSS: fetch ${report.fetchGrowthMb} MB, servizio ${report.serveGrowthMb} MB ` +
        `(obiettivo ≤ ${TARGET_MB} MB ciascuno): ${report.pass ? "ok" : "MANCATO"}`,
    );
    console.log(JSON.stringify(report));
  } finally {
    await pair[Symbol.asyncDispose]();
  }
} finally {
  await Deno.remove(work, { recursive: true }).catch(() => {});
}
