/**
 * A stamping worker (documents/stamp_pool.ts): its own file store handle and its own
 * StampCache, so the pdf-lib parse, copy and save of a page and the store's AES-GCM reads run
 * off the server's request thread. It checks nothing: the grant, the holder and the page range
 * were checked by the server before it asked.
 */
/// <reference lib="deno.worker" />
import { FileStoreError, fileStoreFromHandle } from "./file_store.ts";
import { StampCache, stampedPage, StampError, stampPageCount } from "./stamp.ts";
import type { StampableDocument } from "./stamp.ts";
import { sha256Hex } from "./stamp_pool.ts";
import { storeByteSource } from "./store_byte_source.ts";
import type {
  StampJob,
  StampJobFailure,
  StampJobResult,
  StampWorkerInit,
  StoredDoc,
} from "./_stamp_messages.ts";

let ready: { store: ReturnType<typeof fileStoreFromHandle>; cache: StampCache } | undefined;

const post = (message: StampJobResult, transfer: Transferable[] = []) =>
  self.postMessage(message, transfer);

function failureOf(err: unknown): StampJobFailure {
  if (err instanceof StampError) return { kind: "stamp", reason: err.reason, message: err.message };
  if (err instanceof FileStoreError) {
    return { kind: "store", reason: err.reason, message: err.message };
  }
  return { kind: "internal", message: err instanceof Error ? err.message : String(err) };
}

function documentOf(doc: StoredDoc): StampableDocument {
  // The reads here are not the "file used" the disk budget counts: the server notes that once
  // per page it asks for (documents/stamp_pool.ts).
  const source = storeByteSource(ready!.store, doc);
  return doc.mime === "application/pdf"
    ? { mime: "application/pdf", source }
    : { mime: doc.mime, source };
}

/** The bytes alone in their buffer, so the buffer can be transferred without sending more. */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : bytes.slice();
}

async function run(job: StampJob): Promise<void> {
  try {
    const doc = documentOf(job.doc);
    if (job.op === "count") {
      post({ id: job.id, count: await stampPageCount(doc, ready!.cache) });
    } else {
      const pdf = own(await stampedPage(doc, job.pageIndex, job.stamp, ready!.cache));
      const etag = await sha256Hex(pdf);
      post({ id: job.id, pdf, etag }, [pdf.buffer as ArrayBuffer]);
    }
  } catch (err) {
    post({ id: job.id, failed: failureOf(err) });
  }
}

self.onmessage = (event: MessageEvent<StampWorkerInit | StampJob>) => {
  const data = event.data;
  if ("store" in data) {
    ready = { store: fileStoreFromHandle(data.store), cache: new StampCache(data.cache) };
    return;
  }
  // Jobs run side by side: the cache takes them in turn (StampCache.inTurn), so one page's
  // store reads overlap another's pdf-lib work.
  void run(data);
};
