/**
 * CPU seconds of each thread of an in-process build with the worker (the main thread that
 * files, the worker that reads and works out pages, V8's helpers), read from /proc every
 * 50 ms: the worker's thread is gone once the build ends. On a shared machine CPU time is
 * distorted less than wall time, and the main thread's share (the same work whatever the
 * reader) makes a yardstick for the worker's. Linux only. Not a test.
 *
 *   deno run -A bench/build_threads.ts DB_PATH
 */
import { openDb } from "../db/client.ts";
import { buildRecordIndex, createRecordIndex } from "../search/record_index.ts";
import { warmFrequentWords } from "../search/warm_up.ts";

/** Highest CPU milliseconds seen per thread id, with the thread's name. */
const cpu = new Map<string, { name: string; ms: number }>();

function sample(): void {
  for (const task of Deno.readDirSync("/proc/self/task")) {
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/self/task/${task.name}/stat`);
    } catch {
      continue; // ended between the listing and the read
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, in clock ticks (100 a second on Linux).
    const ms = (Number(fields[11]) + Number(fields[12])) * 10;
    const seen = cpu.get(task.name);
    if (!seen || seen.ms < ms) cpu.set(task.name, { name, ms });
  }
}

const loadAverage = () => Deno.readTextFileSync("/proc/loadavg").split(" ")[0];

async function main(path: string): Promise<void> {
  const { db, client } = await openDb(path);
  try {
    sample();
    const before = new Map([...cpu].map(([tid, t]) => [tid, t.ms]));
    const loadBefore = loadAverage();
    const timer = setInterval(sample, 50);
    const index = createRecordIndex();
    const started = performance.now();
    await buildRecordIndex(db, index, { source: { url: `file:${path}` } });
    const buildS = (performance.now() - started) / 1000;
    sample();
    clearInterval(timer);
    const warmStarted = performance.now();
    await warmFrequentWords(index);
    const warmS = (performance.now() - warmStarted) / 1000;
    console.log(
      `${index.status.indexed} records: build ${buildS.toFixed(1)} s, warm-up ` +
        `${warmS.toFixed(2)} s wall (load average ${loadBefore} → ${loadAverage()})`,
    );
    const threads = [...cpu].map(([tid, t]) => ({ t, s: (t.ms - (before.get(tid) ?? 0)) / 1000 }))
      .filter((x) => x.s >= 0.05).sort((a, b) => b.s - a.s);
    for (const { t, s } of threads) console.log(`${s.toFixed(2).padStart(7)} s CPU  ${t.name}`);
  } finally {
    client.close();
  }
}

if (import.meta.main) {
  const path = Deno.args[0];
  if (!path) {
    console.error("uso: deno run -A bench/build_threads.ts DB_PATH");
    Deno.exit(2);
  }
  await main(path);
}
