/**
 * The build's worker (index_source.ts indexedPagesFromWorker): opens the DB on its own
 * connection, reads every record in keyset pages and works each out for the index
 * (indexed_record.ts), posting a page at a time, at most IN_FLIGHT ahead of the main thread.
 * It never writes: the main thread opened and migrated the DB before the build.
 */
/// <reference lib="deno.worker" />
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import * as schema from "../db/schema.ts";
import { analyseRecord } from "./indexed_record.ts";
import {
  AnalysisShare,
  errorMessage,
  type FromIndexWorker,
  IN_FLIGHT,
  indexPages,
  type ToIndexWorker,
} from "./index_source.ts";

/** Pages the main thread will still take. */
let credit = IN_FLIGHT;
const share = new AnalysisShare();
let wake: (() => void) | undefined;

function post(message: FromIndexWorker): void {
  self.postMessage(message);
}

async function run(start: Extract<ToIndexWorker, { type: "start" }>): Promise<void> {
  const { url, encryptionKey, authToken } = start.source;
  const client = createClient({
    url,
    timeout: 10_000,
    ...(authToken ? { authToken } : {}),
    ...(encryptionKey ? { encryptionKey } : {}),
  });
  try {
    const db = drizzle(client, { schema });
    for (const kind of ["dossier", "act"] as const) {
      for await (const rows of indexPages(db, kind, start.size)) {
        if (credit === 0) {
          share.workerWaited();
          while (credit === 0) await new Promise<void>((resolve) => wake = resolve);
        }
        credit--;
        const analysed = !share.nextToMainThread();
        // JSON text, not the objects: V8's structured clone of a page's thousands of small
        // strings cost the worker 4.6 s at 1M and the main thread 2.3 s to read back, against
        // 1.9 s for JSON.stringify here and 1.6 s for JSON.parse there (one profile each).
        const json = JSON.stringify(analysed ? rows.map(analyseRecord) : rows);
        post({ type: "page", json, analysed });
      }
    }
    post({ type: "done" });
  } catch (error) {
    post(errorMessage(error));
  } finally {
    client.close();
  }
}

self.onmessage = (e: MessageEvent<ToIndexWorker>) => {
  const message = e.data;
  if (message.type === "start") {
    void run(message);
  } else {
    if (message.mainThreadWaited) share.mainThreadWaited();
    credit++;
    wake?.();
    wake = undefined;
  }
};
