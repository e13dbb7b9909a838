import assert from "node:assert/strict";
import { openDb } from "../db/client.ts";
import { recordTypes } from "../db/schema.ts";

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
