/** The sync commands as an operator runs them: branch add/list/revoke and sync --once. */
import assert from "node:assert/strict";
import { countRecords } from "../db/records.ts";
import { createSyncPair } from "./_sync_setup.ts";
import { dossier } from "./fixtures.ts";

const ROOT = new URL("../", import.meta.url).pathname;

async function run(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("branch add prints the token last; sync --once exits 0, 3 when revoked, 1 when unreachable", async () => {
  await using pair = await createSyncPair({ archiveRecords: [dossier(), dossier()] });
  const archiveDb = pair.archive.config.dbPath;
  const branchDb = pair.branch.config.dbPath;

  const added = await run("branch", "add", "sede-cli", "--db", archiveDb);
  assert.equal(added.code, 0, added.stderr);
  const token = added.stdout.trim().split("\n").at(-1) ?? "";
  assert.match(token, /^fald_[A-Za-z0-9_-]{43}$/);
  const again = await run("branch", "add", "sede-cli", "--db", archiveDb);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /già registrata/);

  const ok = await run(
    "sync",
    "--once",
    "--db",
    branchDb,
    "--archive-url",
    pair.archiveUrl,
    "--token",
    token,
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Sincronizzazione completata: 2 modifiche ricevute/);
  assert.deepEqual(await countRecords(pair.branch.db), { dossiers: 2, acts: 0 });

  assert.equal((await run("branch", "revoke", "sede-cli", "--db", archiveDb)).code, 0);
  const listed = await run("branch", "list", "--db", archiveDb);
  assert.match(listed.stdout, /sede-cli\trevocata/);
  const refused = await run(
    "sync",
    "--once",
    "--db",
    branchDb,
    "--archive-url",
    pair.archiveUrl,
    "--token",
    token,
  );
  assert.equal(refused.code, 3);
  assert.match(refused.stderr, /revocata/);

  const closed = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const deadUrl = `http://127.0.0.1:${closed.addr.port}`;
  closed.close();
  const down = await run(
    "sync",
    "--once",
    "--db",
    branchDb,
    "--archive-url",
    deadUrl,
    "--token",
    pair.token,
    "--attempts",
    "2",
    "--backoff-ms",
    "10",
  );
  assert.equal(down.code, 1);
  assert.match(down.stderr, /Archivio non raggiungibile/);

  const usage = await run("sync", "--once", "--db", branchDb);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--archive-url/);
});
