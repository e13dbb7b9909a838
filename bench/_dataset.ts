/**
 * The benchmark's data: the demo generator's archive written as JSONL (sampling the query
 * targets in the same pass), then imported into a fresh DB through the real import.
 */
import { openDb } from "../db/client.ts";
import { importJsonlFile, type ImportSummary } from "../db/import.ts";
import { generateArchive } from "../demo/demo_archive.ts";
import { writeArchiveJsonl } from "../demo/write_jsonl.ts";
import { QuerySampler } from "./_queries.ts";

/** Sizes of the generated archive. */
export interface DatasetSize {
  dossiers: number;
  acts: number;
  seed: number;
}

/** What writing the JSONL produced. */
export interface WrittenDataset {
  lines: number;
  bytes: number;
  ms: number;
  sampler: QuerySampler;
}

/** Writes the archive of `size` to `path` in the import format, sampling queries as it goes. */
export async function writeDataset(path: string, size: DatasetSize): Promise<WrittenDataset> {
  const started = performance.now();
  const sampler = new QuerySampler(size.dossiers);
  const { lines, bytes } = await writeArchiveJsonl(path, size, (doc) => sampler.observe(doc));
  return { lines, bytes, ms: performance.now() - started, sampler };
}

/**
 * The queries of the archive of `size` without writing it (the JSONL and the DB of an
 * earlier run are reused): the generator is walked again, as deterministic as its seed.
 */
export function sampleDataset(size: DatasetSize): WrittenDataset {
  const started = performance.now();
  const sampler = new QuerySampler(size.dossiers);
  let lines = 0;
  for (const doc of generateArchive(size)) {
    sampler.observe(doc);
    lines++;
  }
  return { lines, bytes: 0, ms: performance.now() - started, sampler };
}

/** How long importing the JSONL into a fresh DB took, and what the import said. */
export interface ImportFigures {
  ms: number;
  summary: ImportSummary;
}

/**
 * Imports `jsonlPath` into a new DB at `dbPath` (importJsonlFile), timed from open to done;
 * with `encryptionKey` the new DB is encrypted at rest.
 */
export async function importDataset(
  jsonlPath: string,
  dbPath: string,
  encryptionKey?: string,
): Promise<ImportFigures> {
  for (const suffix of ["", "-wal", "-shm"]) {
    await Deno.remove(dbPath + suffix).catch(() => {});
  }
  const started = performance.now();
  const { db, client } = await openDb(dbPath, encryptionKey ? { encryptionKey } : {});
  const summary = await importJsonlFile(db, jsonlPath, { clock: () => new Date() });
  const ms = performance.now() - started;
  client.close();
  return { ms, summary };
}
