/**
 * Reads a result page's cards: the records from the DB (hit_reader.ts) worked out for the
 * audience (hit_card.ts). In-thread, or in a worker on its own connection.
 *
 * Why a worker: libSQL on a local file steps SQLite synchronously on the calling thread, and
 * at 1M dossiers a first-time page's read (about 60 µs of CPU a dossier, half of it the
 * system reading the file's pages for the three child subqueries) and its cards were about a
 * third of the main thread's time under 50 clients asking new queries. In the worker that
 * work runs on the other core while the main thread ranks the next request.
 *
 * A worker failure never reaches the user differently from today: a read the worker answers
 * with an error, or that it does not answer in time, or that was pending when it died, is
 * read again in-thread (which fails, as before, if the DB is at fault). A worker that died or
 * hung is ended and another started; after MAX_RESTARTS the reader stays in-thread. Until a
 * worker has opened its connection, reads are made in-thread too.
 */
import type { Db } from "../db/client.ts";
import { type DbSource, errorMessage } from "./index_source.ts";
import { type HitCard, hitCard } from "./hit_card.ts";
import { readHitRecords, readSearchKeys, type SearchKeyRow } from "./hit_reader.ts";
import type { Audience } from "./types.ts";

/** The cards of the records with these ids that the audience may see (any order). */
export interface CardReader {
  read(
    kind: "dossier" | "act",
    ids: string[],
    audience: Audience,
    actKindTitles: ReadonlyMap<string, string>,
  ): Promise<HitCard[]>;
  /**
   * The records identifier keys name (`search_keys`): the other read a search makes, on the
   * same connection (an identifier query's lookup was a sixth of the main thread's time
   * under 50 clients asking new queries at 1M).
   */
  findKeys(keys: string[]): Promise<SearchKeyRow[]>;
  /** Ends the worker, if any; reads still pending are read in-thread. */
  close(): void;
}

/** What the card worker is told: its DB, or a read. */
export type ToCardWorker =
  | { type: "open"; source: DbSource }
  | {
    type: "read";
    id: number;
    kind: "dossier" | "act";
    ids: string[];
    audience: Audience;
    /** The act kinds' titles (for acts). */
    titles?: [string, string][];
  }
  | { type: "keys"; id: number; keys: string[] };

/** What the card worker says: its connection is open, or the answer to a read. */
export type FromCardWorker =
  | { type: "ready" }
  | { type: "cards"; id: number; json: string }
  | { type: "keys"; id: number; json: string }
  | (ReturnType<typeof errorMessage> & { id: number });

/** Today's read on the calling thread. */
export function inThreadCardReader(db: Db): CardReader {
  return {
    async read(kind, ids, audience, actKindTitles) {
      const cards: HitCard[] = [];
      for (const row of await readHitRecords(db, kind, ids)) {
        const card = hitCard(row, audience, actKindTitles);
        if (card) cards.push(card);
      }
      return cards;
    },
    findKeys: (keys) => readSearchKeys(db, keys),
    close() {},
  };
}

/** A read not answered in this long is read in-thread and the worker is ended. */
export const CARD_READ_TIMEOUT_MS = 5_000;
/** Workers started again after one died or hung, before the reader stays in-thread. */
export const MAX_RESTARTS = 3;

/** A read sent to the worker: its JSON answer parsed, or read again in-thread. */
interface Pending {
  resolve: (json: string) => void;
  reject: (error: unknown) => void;
  /** The same read in-thread, settling the caller's promise itself. */
  retry: () => void;
  timer: ReturnType<typeof setTimeout>;
}

/** A card reader with a worker. */
export interface WorkerCardReader extends CardReader {
  /** Whether reads go to the worker now (started, its connection open, not given up). */
  inWorker(): boolean;
}

/**
 * Reads cards in a worker on its own connection to `source`, falling back to `inThread`.
 * The worker starts now (its modules load while the index builds) and ends with close().
 */
export function workerCardReader(
  source: DbSource,
  inThread: CardReader,
  options: { timeoutMs?: number; log?: (line: string) => void; workerUrl?: URL } = {},
): WorkerCardReader {
  const timeoutMs = options.timeoutMs ?? CARD_READ_TIMEOUT_MS;
  const log = options.log ?? ((line: string) => console.error(line));
  const url = options.workerUrl ?? new URL("./_card_worker.ts", import.meta.url);
  let worker: Worker | undefined;
  // Until the worker has loaded and opened its connection, reads are made here: nobody
  // waits for its start.
  let ready = false;
  let restarts = 0;
  let closed = false;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  const settleInThread = (p: Pending) => p.retry();

  /** Ends the worker; what it had pending is read in-thread. */
  const drop = (why: string) => {
    worker?.terminate();
    worker = undefined;
    ready = false;
    const left = [...pending.values()];
    pending.clear();
    for (const p of left) {
      clearTimeout(p.timer);
      void settleInThread(p);
    }
    if (why && !closed) {
      restarts++;
      log(
        restarts > MAX_RESTARTS
          ? `schede dei risultati: ${why}; lette da qui in poi sul thread principale`
          : `schede dei risultati: ${why}; il lettore riparte`,
      );
      start();
    }
  };

  function start(): Worker | undefined {
    if (closed || restarts > MAX_RESTARTS) return undefined;
    if (worker) return worker;
    const w = new Worker(url, { type: "module" });
    w.onmessage = (e: MessageEvent<FromCardWorker>) => {
      const m = e.data;
      if (m.type === "ready") {
        ready = worker === w;
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.type === "cards" || m.type === "keys") p.resolve(m.json);
      // The DB refused the read (or the worker could not open it): read here, where the
      // same failure, if the DB's, reaches the user as it always did.
      else void settleInThread(p);
    };
    w.onerror = (e: ErrorEvent) => {
      // Handled here: unhandled, a worker's error would end the whole process.
      e.preventDefault();
      if (worker === w) drop(`lettore in errore (${e.message})`);
    };
    w.onmessageerror = () => {
      if (worker === w) drop("messaggio illeggibile dal lettore");
    };
    w.postMessage({ type: "open", source } satisfies ToCardWorker);
    worker = w;
    return w;
  }
  start();

  /**
   * `message` to the worker, its JSON answer parsed; read `inThread` instead while no worker
   * is ready, and when the worker fails or does not answer in time.
   */
  function ask<T>(
    message: (id: number) => ToCardWorker,
    inThreadRead: () => Promise<T>,
  ): Promise<T> {
    const w = start();
    if (!w || !ready) return inThreadRead();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (pending.has(id)) drop(`nessuna risposta in ${timeoutMs} ms`);
      }, timeoutMs);
      pending.set(id, {
        resolve: (json) => resolve(JSON.parse(json) as T),
        reject,
        retry: () => void inThreadRead().then(resolve, reject),
        timer,
      });
      w.postMessage(message(id));
    });
  }

  return {
    read(kind, ids, audience, actKindTitles) {
      const inThreadRead = () => inThread.read(kind, ids, audience, actKindTitles);
      if (ids.length === 0) return inThreadRead();
      // An act's title names its kind: the titles (a few) go with every act read, as the
      // build fills them in place.
      return ask<HitCard[]>(
        (id) =>
          kind === "act"
            ? { type: "read", id, kind, ids, audience, titles: [...actKindTitles] }
            : { type: "read", id, kind, ids, audience },
        inThreadRead,
      );
    },
    findKeys(keys) {
      const inThreadRead = () => inThread.findKeys(keys);
      if (keys.length === 0) return inThreadRead();
      return ask<SearchKeyRow[]>((id) => ({ type: "keys", id, keys }), inThreadRead);
    },
    inWorker: () => worker !== undefined && ready,
    close() {
      closed = true;
      drop("");
    },
  };
}
