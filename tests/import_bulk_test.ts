/** A first import builds the identifier-key index once, at its end; nothing is left without it. */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { type Db, openDb } from "../db/client.ts";
import { deferIndexesIfEmpty } from "../db/deferred_indexes.ts";
import { importJsonl, importJsonlFile } from "../db/import.ts";
import { toImportLine } from "../domain/import_format.ts";
import { dossier } from "./fixtures.ts";
import { tempDb } from "./_temp_db.ts";

const NOW = new Date("2026-01-10T09:00:00Z");

async function keyIndexSql(db: Db): Promise<string | undefined> {
  const rows = await db.all<{ sql: string }>(
    sql`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'search_keys_key'`,
  );
  return rows[0]?.sql;
}

function lines(n: number): ReadableStream<Uint8Array> {
  const docs = Array.from(
    { length: n },
    (_, i) => dossier({ id: `bulk-${i}`, number: String(i + 1), protocolNumber: String(5000 + i) }),
  );
  return ReadableStream.from([new TextEncoder().encode(docs.map(toImportLine).join("\n"))]);
}

Deno.test("a first import ends with the identifier index the migration defines, and uses it", async () => {
  await using t = await tempDb("bulk");
  const db = t.db;
  const migrated = await keyIndexSql(db);
  assert.ok(migrated, "the migration creates the index");
  const summary = await importJsonl(db, lines(30), { clock: () => NOW, batchSize: 7 });
  assert.equal(summary.inserted, 30);
  assert.equal(await keyIndexSql(db), migrated);
  const plan = await db.all<{ detail: string }>(
    sql`EXPLAIN QUERY PLAN SELECT key, record_kind, record_id FROM search_keys WHERE key = 'x'`,
  );
  // Covering: the records a key names come from the index alone, no row read per record.
  assert.match(plan.map((p) => p.detail).join(" "), /COVERING INDEX search_keys_key/);
  assert.equal(await deferIndexesIfEmpty(db), false, "a second import keeps the index");
  assert.equal(await keyIndexSql(db), migrated);
});

Deno.test("an import that dies before its end leaves the index to the next open", async () => {
  await using first = await tempDb("bulk");
  const migrated = await keyIndexSql(first.db);
  // What a killed import leaves behind: the index dropped, never rebuilt.
  assert.equal(await deferIndexesIfEmpty(first.db), true);
  assert.equal(await keyIndexSql(first.db), undefined);
  first.client.close();
  const again = await openDb(first.path);
  try {
    assert.equal(await keyIndexSql(again.db), migrated);
  } finally {
    again.client.close();
  }
});

Deno.test("a failed first import puts the index back at once", async () => {
  await using t = await tempDb("bulk");
  const migrated = await keyIndexSql(t.db);
  await assert.rejects(importJsonlFile(t.db, `${t.path}.missing.jsonl`, { clock: () => NOW }));
  assert.equal(await keyIndexSql(t.db), migrated);
});
