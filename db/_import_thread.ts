/**
 * The main thread's side of the import worker: it forwards the input stream in large
 * pieces (the main thread is busy in SQLite most of the time, so small chunks would starve
 * the worker) and hands out the worker's batches in order.
 */
import {
  type FromWorker,
  type ImportBatch,
  type ImportSettings,
  type ImportStart,
  MAX_PIECES,
  PIECE_BYTES,
  type ToWorker,
} from "./_import_messages.ts";

/** A running import worker. */
export interface ImportThread {
  /** The worker's batches in order; a failure (worker or input) rejects the iteration. */
  batches: AsyncGenerator<ImportBatch>;
  /** Tells the worker one more batch is written (it keeps only a few in flight). */
  written(): void;
  /** Stops the worker and the input (after the last batch, or on failure). */
  stop(): Promise<void>;
}

/**
 * Starts the worker on `input`: a stream, forwarded in pieces, or the path of a file that
 * the worker reads itself (no forwarding: the main thread is left to SQLite alone).
 */
export function startImportThread(
  input: ReadableStream<Uint8Array> | string,
  settings: ImportSettings,
): ImportThread {
  const worker = new Worker(new URL("./_import_worker.ts", import.meta.url), { type: "module" });
  const channel = new MessageChannel();
  const port = channel.port1;
  const send = (message: ToWorker, transfer: Transferable[] = []) =>
    port.postMessage(message, transfer);
  const queue: ImportBatch[] = [];
  let failure: unknown;
  let failed = false;
  let piecesOut = 0;
  // The pump and the batch reader both wait on messages: each wait gets its own wake-up.
  let waiting: (() => void)[] = [];
  const wake = () => {
    const woken = waiting;
    waiting = [];
    for (const resolve of woken) resolve();
  };
  const fail = (err: unknown) => {
    if (!failed) [failed, failure] = [true, err];
    wake();
  };
  const until = async (ready: () => boolean) => {
    while (!ready()) await new Promise<void>((resolve) => waiting.push(resolve));
  };
  port.onmessage = (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    if ("batch" in m) queue.push(m.batch);
    else if ("failed" in m) fail(new Error(m.failed));
    else piecesOut--;
    wake();
  };
  worker.onerror = (event) => {
    // Handled here: otherwise the worker's error would also end the whole process.
    event.preventDefault();
    fail(new Error(event.message));
  };
  const start: ImportStart = {
    ...settings,
    port: channel.port2,
    ...(typeof input === "string" ? { path: input } : {}),
  };
  worker.postMessage(start, [channel.port2]);

  const reader = typeof input === "string" ? undefined : input.getReader();
  const pump = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
    let pending: Uint8Array[] = [];
    let size = 0;
    const ship = async () => {
      await until(() => piecesOut < MAX_PIECES || failed);
      const piece = new Uint8Array(size);
      let at = 0;
      for (const part of pending) {
        piece.set(part, at);
        at += part.byteLength;
      }
      send({ bytes: piece }, [piece.buffer]);
      piecesOut++;
      pending = [];
      size = 0;
    };
    while (!failed) {
      const { done, value } = await reader.read();
      if (done) break;
      pending.push(value);
      size += value.byteLength;
      if (size >= PIECE_BYTES) await ship();
    }
    if (size > 0) await ship();
    send({ end: true });
  };
  if (reader) pump(reader).catch(fail);

  async function* batches(): AsyncGenerator<ImportBatch> {
    while (true) {
      await until(() => queue.length > 0 || failed);
      const batch = queue.shift();
      if (batch) yield batch;
      else throw failure;
    }
  }
  return {
    batches: batches(),
    written: () => send({ written: true }),
    async stop() {
      failed = true;
      port.close();
      worker.terminate();
      await reader?.cancel().catch(() => {});
    },
  };
}
