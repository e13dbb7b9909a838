/**
 * Run as its own process by tests/stamp_pool_test.ts: stamps one page through a StampPool,
 * closes it, and returns. The process ends only if no worker is left alive.
 */
import { openFileStore } from "../documents/file_store.ts";
import { StampPool } from "../documents/stamp_pool.ts";
import { storeByteSource } from "../documents/store_byte_source.ts";
import { pagedPdf } from "./_document_fixtures.ts";

const [dir = ""] = Deno.args;
const store = await openFileStore(`${dir}/files`);
const put = await store.put(ReadableStream.from([await pagedPdf(1)]));
const pool = new StampPool(store);
const page = await pool.page(
  { mime: "application/pdf", source: storeByteSource(store, { ...put, mime: "application/pdf" }) },
  0,
  { receiptCode: "K2AB-CD7E", taxCode: "RSSMRA80A01H501U", at: new Date() },
);
await pool.close();
console.log(`stamped ${page.bytes.byteLength} bytes, pool closed`);
