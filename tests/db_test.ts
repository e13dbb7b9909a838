import assert from "node:assert/strict";
import { openDb } from "../db/client.ts";
import { recordTypes } from "../db/schema.ts";
import { recentVocabularies } from "../db/vocabularies.ts";

Deno.test("a new database file gets the schema and the dossier type vocabulary", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { db, client } = await openDb(`${dir}/nested/branch.db`);
    const types = await db.select().from(recordTypes);
    assert.ok(types.some((t) => t.code === "PDC" && t.title === "Permesso di costruire"));
    assert.ok(types.find((t) => t.code === "ABUSI")?.restrictedByDefault);
    client.close();
    // Opening again migrates nothing twice.
    const again = await openDb(`${dir}/nested/branch.db`);
    assert.equal((await again.db.select().from(recordTypes)).length, types.length);
    again.client.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the search's vocabulary is re-read from the database after its maximum age", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-vocab-" });
  const { db, client } = await openDb(`${dir}/faldone.db`);
  try {
    let now = Date.parse("2026-11-25T10:00:00Z");
    const vocabularies = recentVocabularies(db, () => new Date(now), 10_000);
    const before = (await vocabularies()).types.map((t) => t.code);
    assert.ok(before.includes("PDC") && !before.includes("ZZTEST"));
    await db.insert(recordTypes).values({ code: "ZZTEST", title: "Tipo di prova" });
    now += 5_000;
    assert.deepEqual((await vocabularies()).types.map((t) => t.code), before, "kept while fresh");
    now += 5_001;
    assert.ok((await vocabularies()).types.some((t) => t.code === "ZZTEST"), "re-read when old");
  } finally {
    client.close();
    await Deno.remove(dir, { recursive: true });
  }
});
