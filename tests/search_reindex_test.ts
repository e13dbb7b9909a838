/** `main.ts reindex` rewrites search_keys from the records and reports the counts. */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { openDb } from "../db/client.ts";
import { upsertRecords } from "../db/records.ts";
import { searchKeys } from "../db/schema.ts";
import { act, dossier, SEARCH_NOW } from "./_search_world.ts";

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const main = new URL("../main.ts", import.meta.url).pathname;
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "reindex", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: res.code, out: new TextDecoder().decode(res.stdout) };
}

Deno.test("reindex --help explains the command", async () => {
  const { code, out } = await run(["--help"]);
  assert.equal(code, 0);
  assert.match(out, /Uso: main\.ts reindex/);
});

Deno.test("reindex restores lost or stale search keys and reports counts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-reindex-" });
  try {
    const path = `${dir}/faldone.db`;
    const { db, client } = await openDb(path);
    await db.transaction((tx) =>
      upsertRecords(tx, [
        dossier({ id: "d1", number: "452", year: 1987, protocolNumber: "1234" }),
        act({ id: "a1", number: "34", year: 2019 }),
      ], SEARCH_NOW)
    );
    await db.delete(searchKeys).where(eq(searchKeys.recordId, "d1"));
    await db.insert(searchKeys).values({
      key: "n:1/1900",
      recordKind: "dossier",
      recordId: "gone",
    });
    client.close();
    const { code, out } = await run(["--db", path]);
    assert.equal(code, 0);
    assert.match(out, /per 1 pratiche e 1 atti/);
    assert.match(out, /2 record indicizzati su 2/);
    const again = await openDb(path);
    const keys = (await again.db.select().from(searchKeys)).map((k) => `${k.recordId} ${k.key}`);
    again.client.close();
    assert.ok(keys.includes("d1 p:1234/1987"));
    assert.ok(keys.includes("a1 k:delibera_consiglio:34/2019"));
    assert.ok(!keys.some((k) => k.startsWith("gone")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
