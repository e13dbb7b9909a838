/**
 * The file store's throughput beside a plain copy of the same file, in the same run:
 * `put` plain and encrypted, reading back whole, and a 1 MB seek into the encrypted file.
 * Not a test; prints a table and one JSON line.
 *
 *   deno run -A bench/file_store_bench.ts [--mb 200] [--rounds 2] [--out DIR]
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { openFileStore } from "../documents/file_store.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const KEY = "chiave-del-benchmark-non-segreta-0123456789";

interface Figure {
  what: string;
  ms: number;
  mbPerS: number;
}

/** A file of `mb` MiB of random-looking bytes (a 16 MiB random block, varied per copy). */
async function makeSource(path: string, mb: number): Promise<number> {
  const block = new Uint8Array(16 << 20);
  for (let at = 0; at < block.length; at += 65536) {
    crypto.getRandomValues(block.subarray(at, at + 65536));
  }
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  let written = 0;
  for (let i = 0; written < mb << 20; i++) {
    block[0] = i & 0xff;
    const piece = block.subarray(0, Math.min(block.length, (mb << 20) - written));
    let at = 0;
    while (at < piece.length) at += await file.write(piece.subarray(at));
    written += piece.length;
  }
  await file.syncData();
  file.close();
  return written;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const piece of stream) bytes += piece.length;
  return bytes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { mb: { type: "string" }, rounds: { type: "string" }, out: { type: "string" } },
    strict: true,
  });
  const mb = Number(values.mb ?? 200);
  const rounds = Number(values.rounds ?? 2);
  const out = values.out ?? `${ROOT}bench/out/files`;
  await Deno.remove(out, { recursive: true }).catch(() => {});
  await Deno.mkdir(out, { recursive: true });
  const source = `${out}/source.bin`;
  const bytes = await makeSource(source, mb);
  const mbOf = (ms: number) => bytes / 1e6 / (ms / 1000);
  const best = new Map<string, number>();
  const keep = (what: string, ms: number) => best.set(what, Math.min(best.get(what) ?? ms, ms));
  const rssStart = Deno.memoryUsage().rss;
  let rssPeak = rssStart;
  const sampleRss = () => (rssPeak = Math.max(rssPeak, Deno.memoryUsage().rss));

  for (let round = 0; round < rounds; round++) {
    const copy = `${out}/copy-${round}.bin`;
    keep("Deno.copyFile", await timed(() => Deno.copyFile(source, copy)));
    await Deno.remove(copy);
    keep(
      "Deno.copyFile + fsync",
      await timed(async () => {
        await Deno.copyFile(source, copy);
        const f = await Deno.open(copy, { read: true, write: true });
        await f.syncData();
        f.close();
      }),
    );
    await Deno.remove(copy);

    // What any verifying import pays at least: reading the file and hashing it.
    keep(
      "lettura + sha256, senza scrivere",
      await timed(async () => {
        const hash = createHash("sha256");
        for await (const piece of (await Deno.open(source, { read: true })).readable) {
          hash.update(piece);
        }
        hash.digest("hex");
      }),
    );

    for (const encrypted of [false, true]) {
      const label = encrypted ? "cifrato" : "in chiaro";
      const root = `${out}/store-${label.replace(" ", "-")}-${round}`;
      const store = await openFileStore(root, encrypted ? { key: KEY } : {});
      let sha = "";
      keep(
        `put ${label}`,
        await timed(async () => {
          const file = await Deno.open(source, { read: true });
          sha = (await store.put(file.readable, {}, { onProgress: sampleRss })).sha256;
        }),
      );
      keep(
        `rilettura ${label}`,
        await timed(async () => {
          if ((await drain(await store.open(sha))) !== bytes) throw new Error("short read");
          sampleRss();
        }),
      );
      const middle = Math.floor(bytes / 2) + 12_345;
      keep(
        `seek 1 MB ${label} (ms)`,
        await timed(() => store.open(sha, { start: middle, end: middle + 1_000_000 }).then(drain)),
      );
      keep(
        `ri-put già presente ${label} (ms)`,
        await timed(async () => {
          const file = await Deno.open(source, { read: true });
          const again = await store.put(file.readable, { sha256: sha, bytes });
          if (again.created) throw new Error("re-put copied");
        }),
      );
      await Deno.remove(root, { recursive: true });
    }
  }
  await Deno.remove(source);

  const figures: Figure[] = [...best].map(([what, ms]) => ({
    what,
    ms: Math.round(ms),
    mbPerS: what.endsWith("(ms)") ? NaN : Math.round(mbOf(ms)),
  }));
  const copyRate = figures.find((f) => f.what === "Deno.copyFile")!.mbPerS;
  console.log(`== file store: ${(bytes / 1e6).toFixed(0)} MB, migliore di ${rounds} giri ==`);
  for (const f of figures) {
    const rate = Number.isNaN(f.mbPerS)
      ? ""
      : `${String(f.mbPerS).padStart(6)} MB/s  ${
        Math.round((f.mbPerS / copyRate) * 100)
      }% della copia`;
    console.log(`${f.what.padEnd(34)} ${String(f.ms).padStart(7)} ms  ${rate}`);
  }
  const rssGrowthMb = Math.round((rssPeak - rssStart) / 1e6);
  console.log(`RSS: crescita massima durante put e rilettura ${rssGrowthMb} MB`);
  console.log(JSON.stringify({ bench: "file_store", bytes, rounds, figures, rssGrowthMb }));
}

if (import.meta.main) await main();
