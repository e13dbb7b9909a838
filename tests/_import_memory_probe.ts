/**
 * Run as its own process by tests/demo_archive_test.ts: imports a JSONL file through the
 * real import and prints the RSS growth it saw, as JSON. In its own process, the figure is
 * the import's alone (test files running in parallel share the test runner's memory).
 */
import { openDb } from "../db/client.ts";
import { importJsonl } from "../db/import.ts";

const [path, dbPath] = Deno.args;
if (!path || !dbPath) throw new Error("usage: _import_memory_probe.ts FILE.jsonl DB");
const { db, client } = await openDb(dbPath);
const base = Deno.memoryUsage().rss;
const samples: { lines: number; rss: number }[] = [];
using file = await Deno.open(path);
const summary = await importJsonl(db, file.readable, {
  clock: () => new Date("2025-06-01T09:00:00Z"),
  batchSize: 1_000,
  onProgress: (lines) => void samples.push({ lines, rss: Deno.memoryUsage().rss }),
});
client.close();
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const half = (samples.at(-1)?.lines ?? 0) / 2;
const peak = (from: number, to: number) =>
  Math.max(...samples.filter((s) => s.lines > from && s.lines <= to).map((s) => s.rss));
console.log(JSON.stringify({
  inserted: summary.inserted,
  rejected: summary.rejected,
  warnings: summary.warnings,
  // Peak growth over the first and the second half of the file.
  firstHalfMb: mb(peak(0, half) - base),
  secondHalfMb: mb(peak(half, Infinity) - base),
}));
