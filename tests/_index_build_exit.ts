/**
 * Run as its own process by tests/search_build_test.ts: builds the index of a small DB
 * with its reader in a worker (with "corrupt", on a row SQLite cannot turn into JSON), says
 * how it ended, and returns. The process ends only if no worker is left alive.
 */
import { sql } from "drizzle-orm";
import { openDb } from "../db/client.ts";
import { upsertRecords } from "../db/records.ts";
import { buildRecordIndex, createRecordIndex } from "../search/record_index.ts";
import { dossier, SEARCH_NOW } from "./_search_world.ts";

const [dir = "", mode = "ok"] = Deno.args;
const path = `${dir}/faldone.db`;
const { db, client } = await openDb(path);
const docs = Array.from(
  { length: 2_500 },
  (_, i) =>
    dossier({
      id: `d${String(i).padStart(5, "0")}`,
      number: String(i + 1),
      subject: `Pratica ${i}`,
    }),
);
await db.transaction((tx) => upsertRecords(tx, docs, SEARCH_NOW));
// A BLOB where text belongs (written around the import): json_object refuses the row.
if (mode === "corrupt") {
  await db.run(sql`UPDATE dossiers SET subject = x'00ff' WHERE id = 'd01500'`);
}
const index = createRecordIndex();
try {
  await buildRecordIndex(db, index, { source: { url: `file:${path}` } });
  console.log(`built ${index.status.indexed}, ready ${index.status.ready}`);
} catch (error) {
  // The reason is SQLite's, under the query's (drizzle's) error: one line of both.
  const e = error as Error;
  const why = `${e.message} / ${(e.cause as Error | undefined)?.message}`.replace(/\s+/g, " ");
  console.log(`failed: ${why}; ready ${index.status.ready}`);
}
client.close();
