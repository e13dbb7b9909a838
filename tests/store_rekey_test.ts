/**
 * The file store follows the DB's key: `db encrypt` and `db rekey` copy it under the new key,
 * and swap it in only when asked (after the DB made it); an abort leaves the old one.
 */
import assert from "node:assert/strict";
import { FileStoreError, openFileStore } from "../documents/file_store.ts";
import { prepareStoreRekey } from "../documents/rekey_store.ts";

const OLD = "una-chiave-vecchia-di-prova-1234";
const NEW = "una-chiave-nuova-di-prova-56789";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return await new Response(stream).text();
}

Deno.test("a plain store is encrypted, then rekeyed; each key opens only its own store", async () => {
  const dir = await Deno.makeTempDir();
  const root = `${dir}/files`;
  try {
    const plain = await openFileStore(root);
    const a = await plain.put(ReadableStream.from([new TextEncoder().encode("scansione A")]));
    const b = await plain.put(
      ReadableStream.from([new TextEncoder().encode("seduta B".repeat(9000))]),
    );

    const encrypt = await prepareStoreRekey(root, undefined, OLD);
    assert.equal(encrypt.files, 2);
    await encrypt.commit();
    await assert.rejects(() => openFileStore(root), FileStoreError);
    const locked = await openFileStore(root, { key: OLD });
    assert.equal(await readAll(await locked.open(a.sha256)), "scansione A");

    const rekey = await prepareStoreRekey(root, OLD, NEW);
    await rekey.commit();
    await assert.rejects(() => openFileStore(root, { key: OLD }), FileStoreError);
    const fresh = await openFileStore(root, { key: NEW });
    assert.equal(await readAll(await fresh.open(b.sha256)), "seduta B".repeat(9000));
    assert.equal((await fresh.stat(a.sha256))?.bytes, "scansione A".length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an aborted rekey leaves the old store as it was, and no copy behind", async () => {
  const dir = await Deno.makeTempDir();
  const root = `${dir}/files`;
  try {
    const store = await openFileStore(root, { key: OLD });
    const a = await store.put(ReadableStream.from([new TextEncoder().encode("atto")]));
    const prepared = await prepareStoreRekey(root, OLD, NEW);
    await prepared.abort();
    const again = await openFileStore(root, { key: OLD });
    assert.equal(await readAll(await again.open(a.sha256)), "atto");
    const left = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assert.deepEqual(left, ["files"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
