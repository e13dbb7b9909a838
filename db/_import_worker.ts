/**
 * The import's worker: reads the JSONL stream, validates each line, hashes the records and
 * builds the JSON text of their rows, so the main thread only runs SQL and the two cores
 * overlap. Batches end where the single-threaded import flushed (batch size, or a record
 * repeated in the file, which is applied in order), so outcomes and messages are the same.
 */
import { validateLine } from "../domain/validate_record.ts";
import {
  type FromWorker,
  type ImportBatch,
  type ImportSettings,
  type ImportStart,
  MAX_IN_FLIGHT,
  type ToWorker,
} from "./_import_messages.ts";
import { readLines } from "./_jsonl_lines.ts";
import { emptyPrepared, prepareRecord, takenMessage, tripleJson } from "./_prepared_batch.ts";

/** Reads `input` to the end, posting batches through `post`; `acked` counts replies. */
async function readBatches(
  start: ImportSettings,
  input: ReadableStream<Uint8Array>,
  post: (batch: ImportBatch) => void,
  acked: () => Promise<void>,
): Promise<void> {
  const { vocab, currentYear, batchSize, maxLineChars, maxMessages, withFiles } = start;
  let records = emptyPrepared();
  let errors: string[] = [];
  let warnings: string[] = [];
  let rejected = 0;
  let warningCount = 0;
  // Caps on what is sent: the main thread keeps at most maxMessages of each kind, in order.
  let errorsKept = 0;
  let warningsKept = 0;
  let ids = new Set<string>();
  let triples = new Map<string, string>();
  let inFlight = 0;
  let bytesRead = 0;
  let linesRead = 0;
  const reject = (message: string) => {
    rejected++;
    if (errorsKept++ < maxMessages) errors.push(message);
  };
  const send = async (last: boolean) => {
    while (inFlight >= MAX_IN_FLIGHT) {
      await acked();
      inFlight--;
    }
    post({ records, errors, rejected, warnings, warningCount, linesRead, bytesRead, last });
    inFlight++;
    records = emptyPrepared();
    errors = [];
    warnings = [];
    rejected = 0;
    warningCount = 0;
    ids = new Set();
    triples = new Map();
  };
  for await (const line of readLines(input, maxLineChars, (b) => bytesRead = b)) {
    linesRead = line.number;
    if (line.tooLong) {
      reject(
        `riga ${line.number}: json: riga più lunga di ${maxLineChars} caratteri, scartata`,
      );
      continue;
    }
    if (line.text.trim() === "") continue;
    const verdict = validateLine(line.text, line.number, vocab, currentYear);
    if (!verdict.ok) {
      for (const e of verdict.errors) if (errorsKept++ < maxMessages) errors.push(e);
      rejected++;
      continue;
    }
    // Warnings count only for lines that are imported (a rejected line's are moot).
    warningCount += verdict.warnings.length;
    for (const w of verdict.warnings) if (warningsKept++ < maxMessages) warnings.push(w);
    const doc = verdict.doc;
    const key = `${doc.record}:${doc.id}`;
    // A record repeated in the file is applied in order: the batch so far goes first.
    if (ids.has(key)) await send(false);
    if (doc.record === "dossier") {
      const triple = tripleJson(doc.series, doc.year, doc.number);
      const owner = triples.get(triple);
      if (owner !== undefined && owner !== doc.id) {
        reject(takenMessage(line.number, triple, owner));
        continue;
      }
      triples.set(triple, doc.id);
    }
    ids.add(key);
    prepareRecord(records, doc, line.number, withFiles);
    if (records.ids.length >= batchSize) await send(false);
  }
  await send(true);
}

/** Answers the start message: the file comes in pieces on its port, batches go out. */
function serve(start: ImportStart): void {
  const { port } = start;
  const post = (message: FromWorker) => port.postMessage(message);
  let acks = 0;
  let wake: (() => void) | undefined;
  let file: ReadableStreamDefaultController<Uint8Array> | undefined;
  const input = new ReadableStream<Uint8Array>({ start: (c) => void (file = c) });
  port.onmessage = (event: MessageEvent<ToWorker>) => {
    const m = event.data;
    if ("bytes" in m) file?.enqueue(m.bytes);
    else if ("end" in m) file?.close();
    else {
      acks++;
      wake?.();
    }
  };
  const acked = async () => {
    while (acks === 0) await new Promise<void>((resolve) => wake = resolve);
    acks--;
  };
  // Each piece taken from the queue lets the main thread send another.
  const taken = input.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(piece, controller) {
        post({ taken: true });
        controller.enqueue(piece);
      },
    }),
  );
  const read = async () => {
    const lines = start.path === undefined ? taken : (await Deno.open(start.path)).readable;
    await readBatches(start, lines, (batch) => post({ batch }), acked);
  };
  // Sent as a message, not thrown: the main thread rejects the import with it.
  read().catch((err) => post({ failed: err instanceof Error ? err.message : String(err) }));
}

// A worker's global scope receives the start message (typed here as a window's).
addEventListener("message", (event) => {
  if (event instanceof MessageEvent) serve(event.data);
}, { once: true });
