/**
 * Writes a generated archive as a JSONL import file (the benchmark's 300k-dossier input).
 * Run directly: `deno run -A demo/write_jsonl.ts OUT.jsonl [DOSSIERS] [ACTS] [SEED]`.
 */
import { toImportLine } from "../domain/import_format.ts";
import type { RecordDoc } from "../domain/records.ts";
import { type ArchiveOptions, generateArchive } from "./demo_archive.ts";

/**
 * Writes the archive of `options` to `path` in the import format; returns lines and bytes.
 * `onDoc` sees each record as it is written, so a caller (the benchmark's query sampler) needs
 * no second pass over the generator.
 */
export async function writeArchiveJsonl(
  path: string,
  options: ArchiveOptions,
  onDoc: (doc: RecordDoc) => void = () => {},
): Promise<{ lines: number; bytes: number }> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let buffer: string[] = [];
  let buffered = 0;
  let lines = 0;
  let bytes = 0;
  const drain = async () => {
    const chunk = encoder.encode(buffer.join(""));
    let written = 0;
    while (written < chunk.length) written += await file.write(chunk.subarray(written));
    bytes += chunk.length;
    buffer = [];
    buffered = 0;
  };
  for (const doc of generateArchive(options)) {
    onDoc(doc);
    const line = toImportLine(doc) + "\n";
    buffer.push(line);
    buffered += line.length;
    lines++;
    // Writes of about 1 MB keep memory flat and system calls few.
    if (buffered > 1_000_000) await drain();
  }
  await drain();
  return { lines, bytes };
}

if (import.meta.main) {
  const [out, dossiers = "300000", acts = "3000", seed = "1977"] = Deno.args;
  if (!out) {
    console.error("Usage: deno run -A demo/write_jsonl.ts OUT.jsonl [DOSSIERS] [ACTS] [SEED]");
    Deno.exit(2);
  }
  const started = performance.now();
  const result = await writeArchiveJsonl(out, {
    seed: Number(seed),
    dossiers: Number(dossiers),
    acts: Number(acts),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${result.lines} lines, ${result.bytes} bytes in ${seconds} s → ${out}`);
}
