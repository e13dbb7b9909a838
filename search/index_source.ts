/**
 * The build's reader: every record in keyset pages of `size`, with only the fields the
 * index uses (search_rows.ts), worked out into what the index files (indexed_record.ts).
 *
 * With the DB's address (`DbSource`) the pages are read and worked out in a worker
 * (search/_index_worker.ts) on its own connection, so on a 2-core kiosk reading and analysis
 * overlap with the main thread filing the page before: at 1M dossiers libSQL stepping the
 * page query, JSON.parse and the analysis were about 60 % of a 44 s single-threaded build.
 * The worker reads at most IN_FLIGHT pages ahead of the one being filed (memory stays flat
 * whichever side is slower) and ends with the build, whether it completes, fails or is
 * abandoned. Without a source (an in-memory DB, tools), the same pages are read in-thread.
 */
import type { Db } from "../db/client.ts";
import { analyseRecord, type IndexedRecord } from "./indexed_record.ts";
import { readSearchActs, readSearchDossiers, type SearchRow } from "./search_rows.ts";

/** Where a worker opens the DB on its own connection: what openDb was given. */
export interface DbSource {
  url: string;
  encryptionKey?: string;
  authToken?: string;
}

/** Pages read ahead of the one the main thread files. */
export const IN_FLIGHT = 2;

/**
 * Which pages the main thread analyses (the worker posts them as read) and which the worker
 * does. With every page analysed in the worker, at 1M it was the build's critical path (21.4 s
 * of CPU until ready, against about 16.5 s of the main thread's); one page in three balanced
 * the two on average (docs/SEARCH.md "Sixth round"), but not along the build: per second, the
 * worker was the busier thread in its first two thirds and the main thread, filing into ever
 * larger maps, in the last, each waiting for the other 20-50 % of the time in turn. So the
 * share follows who waited: up a step each time the main thread found no page ready, down a
 * step each time the worker had to wait for the main thread to take one ("Tenth round").
 */
export class AnalysisShare {
  #share = 1 / 3;
  /** Pages owed to the main thread; it starts owed one, so the first page is always its. */
  #owed = 1;

  /** The share of pages the main thread analyses now. */
  get share(): number {
    return this.#share;
  }

  /** Whether the next page goes to the main thread as read, for it to analyse. */
  nextToMainThread(): boolean {
    const toMain = this.#owed >= 1;
    if (toMain) this.#owed -= 1;
    this.#owed += this.#share;
    return toMain;
  }

  /** The main thread found no page ready: it can take more of the analysis. */
  mainThreadWaited(): void {
    this.#share = Math.min(MAX_MAIN_THREAD_SHARE, this.#share + SHARE_STEP);
  }

  /** The worker waited for the main thread to take a page: it keeps more of the analysis. */
  workerWaited(): void {
    this.#share = Math.max(0, this.#share - SHARE_STEP);
  }
}

/**
 * How far one wait moves the share. At 1M, in five back-to-back pairs of in-process builds,
 * 0.02 was 0.2-4.7 s faster than one page in three each time; 0.05 was not better than 0.02.
 */
const SHARE_STEP = 0.02;
/** The main thread also files every page: it never takes all of the analysis. */
const MAX_MAIN_THREAD_SHARE = 0.7;

/** What the build's worker is told: start reading, or that a page was taken. */
export type ToIndexWorker =
  | { type: "start"; source: DbSource; size: number }
  | { type: "more"; mainThreadWaited: boolean };

/** What the build's worker says: a page, the end, or why it stopped. */
export type FromIndexWorker =
  | { type: "page"; json: string; analysed: boolean }
  | { type: "done" }
  | { type: "error"; name: string; message: string; causes: string[] };

/** What a worker's error says, to post: its name, message and the messages of its causes. */
export function errorMessage(error: unknown): Extract<FromIndexWorker, { type: "error" }> {
  const e = error instanceof Error ? error : new Error(String(error));
  const causes: string[] = [];
  for (let c = e.cause; c !== undefined && causes.length < 5; c = (c as Error).cause) {
    causes.push(c instanceof Error ? `${c.name}: ${c.message}` : String(c));
    if (!(c instanceof Error)) break;
  }
  return { type: "error", name: e.name, message: e.message, causes };
}

/** The worker's error again, its causes chained as they were (reasons only, no stacks). */
function errorOf(m: Extract<FromIndexWorker, { type: "error" }>): Error {
  const cause = m.causes.reduceRight<Error | undefined>(
    (inner, text) => new Error(text, inner ? { cause: inner } : {}),
    undefined,
  );
  const error = new Error(m.message, cause ? { cause } : {});
  error.name = m.name;
  return error;
}

/** Records of a kind in id order, in pages, holding the fields the index reads. */
export async function* indexPages(
  db: Db,
  kind: "dossier" | "act",
  size: number,
): AsyncGenerator<SearchRow[]> {
  let after = "";
  while (true) {
    const which = { after, limit: size };
    const page = kind === "dossier"
      ? await readSearchDossiers(db, which)
      : await readSearchActs(db, which);
    const last = page.at(-1);
    if (!last) return;
    yield page;
    if (page.length < size) return;
    after = last.id;
  }
}

/** Every record, dossiers then acts, worked out for the index, read on this thread. */
export async function* indexedPagesInThread(
  db: Db,
  size: number,
): AsyncGenerator<IndexedRecord[]> {
  for (const kind of ["dossier", "act"] as const) {
    for await (const page of indexPages(db, kind, size)) yield page.map(analyseRecord);
  }
}

/** The same pages as indexedPagesInThread, read and worked out by a worker on `source`. */
export async function* indexedPagesFromWorker(
  source: DbSource,
  size: number,
): AsyncGenerator<IndexedRecord[]> {
  const worker = new Worker(new URL("./_index_worker.ts", import.meta.url), { type: "module" });
  const queue: FromIndexWorker[] = [];
  let wake: (() => void) | undefined;
  worker.onmessage = (e: MessageEvent<FromIndexWorker>) => {
    queue.push(e.data);
    wake?.();
  };
  worker.onerror = (e: ErrorEvent) => {
    // Handled here: unhandled, a worker's error would end the whole process.
    e.preventDefault();
    queue.push({ type: "error", name: "Error", message: e.message, causes: [] });
    wake?.();
  };
  try {
    worker.postMessage({ type: "start", source, size } satisfies ToIndexWorker);
    while (true) {
      // Nothing posted yet: this thread waited for the worker (it then takes more analysis).
      const mainThreadWaited = queue.length === 0;
      while (queue.length === 0) await new Promise<void>((resolve) => wake = resolve);
      wake = undefined;
      const message = queue.shift()!;
      if (message.type === "done") return;
      if (message.type === "error") {
        // The same failure the build had reading in-thread (a row SQLite or JSON.parse
        // refused): the build fails loudly, as before.
        throw errorOf(message);
      }
      // Taken: the worker reads the next page while this one is filed.
      worker.postMessage({ type: "more", mainThreadWaited } satisfies ToIndexWorker);
      if (message.analysed) yield JSON.parse(message.json) as IndexedRecord[];
      else yield (JSON.parse(message.json) as SearchRow[]).map(analyseRecord);
    }
  } finally {
    worker.terminate();
  }
}
