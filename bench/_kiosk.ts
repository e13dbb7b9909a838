/**
 * The real kiosk as a subprocess (`main.ts serve --no-demo` on the benchmark's DB), so its
 * start time, memory and HTTP latency are those of the program a branch runs.
 */
import { memoryOf, pause } from "./_measure.ts";

const ROOT = new URL("..", import.meta.url).pathname;
// A 300k index on a busy 2-core machine can take minutes; past this the kiosk is broken.
const START_TIMEOUT_MS = 600_000;
// A probe still wrong this long after ready will not become right: report it as a miss.
const AFTER_READY_MS = 10_000;

/** A hit as the benchmark reads it from `/api/search`. */
export interface ApiHit {
  kind: "dossier" | "act";
  id: string;
}

/** The hits of a `/api/search` answer, checked field by field. */
export function hitsOf(body: unknown): ApiHit[] {
  if (typeof body !== "object" || body === null || !("hits" in body)) return [];
  const hits = body.hits;
  if (!Array.isArray(hits)) return [];
  const out: ApiHit[] = [];
  for (const h of hits) {
    if (typeof h !== "object" || h === null || !("id" in h) || !("kind" in h)) continue;
    const { id, kind } = h;
    if (typeof id === "string" && (kind === "dossier" || kind === "act")) out.push({ kind, id });
  }
  return out;
}

/** A running kiosk process. */
export interface Kiosk {
  pid: number;
  base: string;
  /** What the process printed so far. */
  log: string[];
  stop(): Promise<void>;
}

/** Start-up figures, in ms from the spawn. */
export interface StartFigures {
  /** First answer of any kind: Deno's boot, module loading and opening the DB. */
  listeningMs: number;
  firstCorrectMs: number;
  readyMs: number;
  rssMiB: number;
  peakMiB: number;
}

async function collect(stream: ReadableStream<Uint8Array>, log: string[]): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    log.push(...text.split("\n").filter((l) => l.trim() !== ""));
  }
}

/**
 * The `--v8-flags` of `deno task start` (deno.json): the kiosk measured runs with the V8
 * settings a branch runs with (its heap growth, see docs/SEARCH.md "RSS under load, fifth
 * round").
 */
export async function startTaskV8Flags(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const start: unknown = config?.tasks?.start;
  if (typeof start !== "string") return [];
  return start.split(/\s+/).filter((arg) => arg.startsWith("--v8-flags="));
}

/**
 * Spawns `main.ts serve` on `dbPath`, bound to loopback on `port`; with `cpuProfDir`, the
 * same serve command through bench/_profiled_serve.ts, which exits in order on SIGINT.
 * `env` adds variables (FALDONE_DB_KEY for an encrypted DB).
 */
export async function spawnKiosk(
  dbPath: string,
  port: number,
  cpuProfDir?: string,
  env: Record<string, string> = {},
): Promise<Kiosk> {
  const args = [
    "run",
    ...await startTaskV8Flags(),
    "--allow-net",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-ffi",
    "--allow-sys",
    ...(cpuProfDir
      ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`, "bench/_profiled_serve.ts"]
      : ["main.ts", "serve"]),
    "--db",
    dbPath,
    "--port",
    String(port),
    "--no-demo",
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    // The load is the point: no API rate limit (nor its counter write per request).
    env: { FALDONE_HOST: "127.0.0.1", FALDONE_API_RATE: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  const drained = Promise.all([collect(child.stdout, log), collect(child.stderr, log)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  return {
    pid: child.pid,
    base: `http://127.0.0.1:${port}`,
    log,
    async stop() {
      // SIGINT lets V8 write a --cpu-prof profile; SIGTERM follows if it lingers.
      if (!exited) child.kill("SIGINT");
      const timer = setTimeout(() => !exited && child.kill("SIGKILL"), 10_000);
      await status;
      clearTimeout(timer);
      await drained;
    },
  };
}

/**
 * Polls `probe` every 20 ms until it returns true; the elapsed ms since `t0`, or NaN when
 * it timed out or `giveUp` said so.
 */
async function until(
  t0: number,
  probe: () => Promise<boolean>,
  giveUp: () => boolean = () => false,
): Promise<number> {
  while (performance.now() - t0 < START_TIMEOUT_MS && !giveUp()) {
    if (await probe().catch(() => false)) return performance.now() - t0;
    await pause(20);
  }
  return Number.NaN;
}

/**
 * Starts the kiosk and measures the time to the first right answer to `probe.q` (its top
 * hit is `probe.expectedId`), to `/healthz` ready, and its memory once ready.
 */
export async function startAndMeasure(
  dbPath: string,
  port: number,
  probe: { q: string; expectedId: string },
  cpuProfDir?: string,
  env: Record<string, string> = {},
): Promise<{ kiosk: Kiosk; figures: StartFigures }> {
  const t0 = performance.now();
  const kiosk = await spawnKiosk(dbPath, port, cpuProfDir, env);
  const searchUrl = `${kiosk.base}/api/search?per_page=5&q=${encodeURIComponent(probe.q)}`;
  let readyAt = Number.POSITIVE_INFINITY;
  let listeningMs = Number.NaN;
  const [firstCorrectMs, readyMs] = await Promise.all([
    until(t0, async () => {
      const res = await fetch(searchUrl);
      if (!res.ok) {
        await res.body?.cancel();
        return false;
      }
      return hitsOf(await res.json())[0]?.id === probe.expectedId;
    }, () => performance.now() > readyAt + AFTER_READY_MS),
    until(t0, async () => {
      const res = await fetch(`${kiosk.base}/healthz`);
      await res.body?.cancel();
      // Any answer, 503 "starting" included, means the process booted and listens.
      if (Number.isNaN(listeningMs)) listeningMs = performance.now() - t0;
      if (res.status === 200) readyAt = performance.now();
      return res.status === 200;
    }),
  ]);
  const memory = await memoryOf(kiosk.pid).catch(() => ({ rssMiB: NaN, peakMiB: NaN }));
  return { kiosk, figures: { listeningMs, firstCorrectMs, readyMs, ...memory } };
}
