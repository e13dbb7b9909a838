/**
 * A running kiosk's index follows records that other processes write to its database
 * (main.ts import, main.ts sync --once): new, changed and deleted records alike.
 */
import assert from "node:assert/strict";
import { openDb } from "../db/client.ts";
import { importJsonl } from "../db/import.ts";
import { deleteRecord } from "../db/records.ts";
import { toImportLine } from "../domain/import_format.ts";
import type { RecordDoc } from "../domain/records.ts";
import { createChangeFollower } from "../search/change_follower.ts";
import { dossier } from "./fixtures.ts";
import { createTestWorld, FIXED_NOW } from "./_world.ts";

function jsonl(docs: RecordDoc[]): ReadableStream<Uint8Array> {
  return ReadableStream.from([new TextEncoder().encode(docs.map(toImportLine).join("\n"))]);
}

async function publicIds(app: { request(url: string): Response | Promise<Response> }, q: string) {
  const body = await (await app.request(`/api/search?q=${encodeURIComponent(q)}`)).json();
  return body.hits.map((h: { id: string }) => h.id);
}

Deno.test("changes another connection writes reach the index at the follower's next round", async () => {
  const kept = dossier({ id: "kept", subject: "Ampliamento veranda" });
  const gone = dossier({ id: "gone", subject: "Recinzione orto", number: "2" });
  await using world = await createTestWorld({ records: [kept, gone] });
  const follower = createChangeFollower(world.db, world.index);
  await follower.begin();
  assert.equal(await follower.catchUp(), 0, "nothing changed yet");

  // Another process: its own client on the same file.
  const other = await openDb(world.config.dbPath);
  try {
    const summary = await importJsonl(
      other.db,
      jsonl([
        dossier({ id: "new", subject: "Costruzione tettoia", number: "3" }),
        { ...kept, subject: "Ampliamento soppalco" },
      ]),
      { clock: () => FIXED_NOW },
    );
    assert.equal(summary.inserted + summary.updated, 2);
    await other.db.transaction((tx) => deleteRecord(tx, "dossier", "gone", FIXED_NOW));
  } finally {
    other.client.close();
  }
  assert.deepEqual(await publicIds(world.app, "tettoia"), [], "not before the round");

  assert.equal(await follower.catchUp(), 3);
  assert.deepEqual(await publicIds(world.app, "tettoia"), ["new"]);
  assert.deepEqual(await publicIds(world.app, "soppalco"), ["kept"]);
  assert.deepEqual(await publicIds(world.app, "veranda"), [], "the old subject is gone");
  assert.deepEqual(await publicIds(world.app, "recinzione"), [], "the deleted record is gone");
  const health = await (await world.app.request("/healthz")).json();
  assert.equal(health.records, 2);
  assert.equal(await follower.catchUp(), 0, "each change is applied once");
});

/** Polls `probe` until it returns a value, for at most 20 s (the kiosk looks every 3 s). */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

for (const command of ["serve", "archive"]) {
  Deno.test(`a running \`main.ts ${command}\` finds what \`main.ts import\` wrote, no restart`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "faldone-follow-" });
    const db = `${dir}/k.db`;
    const main = new URL("../main.ts", import.meta.url).pathname;
    const server = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main, command, "--port", "0", "--db", db, "--no-demo"],
      env: { FALDONE_HOST: "127.0.0.1" },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const lines = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let out = "";
      while (!/in ascolto su http:\/\/[\d.]+:\d+/.test(out)) {
        const { value, done } = await lines.read();
        if (done) throw new Error(`${command} exited early: ${out}`);
        out += value;
      }
      const url = out.match(/http:\/\/[\d.]+:\d+/)?.[0] ?? "";
      const ready = await eventually(async () =>
        (await fetch(`${url}/healthz`)).status === 200 ? true : undefined
      );
      assert.ok(ready, "the index was built");
      const file = `${dir}/new.jsonl`;
      await Deno.writeTextFile(
        file,
        toImportLine(dossier({ id: "late-1", subject: "Pergolato in giardino" })) + "\n",
      );
      const imported = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", main, "import", file, "--db", db],
        stdout: "null",
        stderr: "inherit",
      }).output();
      assert.ok(imported.success, "the import ran");
      const ids = await eventually(async () => {
        const body = await (await fetch(`${url}/api/search?q=pergolato`)).json();
        const found: string[] = body.hits.map((h: { id: string }) => h.id);
        return found.length > 0 ? found : undefined;
      });
      assert.deepEqual(ids, ["late-1"]);
    } finally {
      server.kill("SIGTERM");
      await server.status;
      await lines.cancel().catch(() => {});
      await Deno.remove(dir, { recursive: true });
    }
  });
}
