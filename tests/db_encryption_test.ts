/**
 * Encryption at rest of the branch DB (issue 9 §4): real libSQL files in temp dirs, the
 * real import, and main.ts as a subprocess for what an operator sees.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openDb } from "../db/client.ts";
import { dbFileState, DbKeyError, resolveDbKey } from "../db/db_key.ts";
import { rewriteDb, rewritePath } from "../db/db_rewrite.ts";
import { importJsonlFile } from "../db/import.ts";
import { countRecords, readRecord } from "../db/records.ts";

const KEY = "chiave-di-prova-0123456789abcdef";
const OTHER_KEY = "altra-chiave-di-prova-9876543210";
const SECRET = "FALDONE-SEGRETO-ROSSI-MARIO";
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const clock = () => new Date("2025-06-01T09:00:00Z");

/** A temp folder with data/ (the DB's folder) and keys/ (outside it), removed after. */
async function tempPlace() {
  const root = await Deno.makeTempDir({ prefix: "faldone-crypt-" });
  await Deno.mkdir(`${root}/data`);
  await Deno.mkdir(`${root}/keys`);
  return {
    root,
    db: `${root}/data/faldone.db`,
    async key(name: string, key: string): Promise<string> {
      const path = `${root}/keys/${name}`;
      await Deno.writeTextFile(path, key + "\n", { mode: 0o600 });
      return path;
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

function dossierLine(id: string, number: string, surname = SECRET) {
  return JSON.stringify({
    record: "dossier",
    id,
    series: "STORICO",
    type: "CE",
    number,
    year: 1987,
    subject: "Ampliamento villa",
    addresses: [{ street: "Via del Molino", civic: number }],
    people: [{ role: "richiedente", surname }],
  });
}

async function bytesOf(path: string): Promise<Uint8Array> {
  return await Deno.readFile(path).catch(() => new Uint8Array());
}

function contains(bytes: Uint8Array, text: string): boolean {
  return new TextDecoder("latin1").decode(bytes).includes(text);
}

const PLAIN_HEADER = new TextEncoder().encode("SQLite format 3\0");
function startsPlain(bytes: Uint8Array): boolean {
  return PLAIN_HEADER.every((b, i) => bytes[i] === b);
}

/** Writes SECRET into a new DB at `path` under `key` (or plain), then closes it. */
async function seed(path: string, key: string | undefined) {
  const { db, client } = await openDb(path, key ? { encryptionKey: key } : {});
  await db.run(sql`CREATE TABLE note (text TEXT)`);
  await db.run(sql`INSERT INTO note VALUES (${SECRET})`);
  // libSQL frees a closed connection only when it is collected: an empty WAL keeps a lingering
  // one from racing the next open of the same file (seen as a runaway under --parallel).
  await db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
  client.close();
}

async function readNote(path: string, key: string | undefined): Promise<string> {
  const { db, client } = await openDb(path, key ? { encryptionKey: key } : {});
  try {
    const rows = await db.all<{ text: string }>(sql`SELECT text FROM note`);
    return rows[0]?.text ?? "";
  } finally {
    client.close();
  }
}

async function run(args: string[], env: Record<string, string> = {}, stdin = "") {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout) + dec.decode(stderr) };
}

Deno.test("an encrypted DB file has no SQLite header and no row text, in the file or its WAL", async () => {
  await using place = await tempPlace();
  const { db, client } = await openDb(place.db, { encryptionKey: KEY });
  try {
    await db.run(sql`CREATE TABLE note (text TEXT)`);
    await db.run(sql`INSERT INTO note VALUES (${SECRET})`);
    // Still open: the row is in the WAL, not yet checkpointed into the file.
    const wal = await bytesOf(`${place.db}-wal`);
    assert.ok(wal.length > 0, "the write went to the WAL");
    assert.ok(!contains(wal, SECRET), "row text in the -wal file");
    assert.ok(!contains(wal, "CREATE TABLE"), "schema text in the -wal file");
  } finally {
    client.close();
  }
  const file = await bytesOf(place.db);
  assert.ok(file.length > 0);
  assert.ok(!startsPlain(file), "an encrypted file must not begin with 'SQLite format 3'");
  assert.ok(!contains(file, SECRET));
  assert.ok(!contains(file, "CREATE TABLE"));
  assert.equal(await dbFileState(place.db), "encrypted");
  assert.equal(await readNote(place.db, KEY), SECRET);
  // The control: the same row in a plain DB is readable in its bytes (file or WAL: libSQL
  // closes a connection once its statements are collected, so the WAL may not be folded yet).
  const plain = `${place.root}/data/plain.db`;
  await seed(plain, undefined);
  assert.ok(startsPlain(await bytesOf(plain)));
  const plainBytes = [await bytesOf(plain), await bytesOf(`${plain}-wal`)];
  assert.ok(plainBytes.some((bytes) => contains(bytes, SECRET)));
});

Deno.test("no key or a wrong key for an encrypted DB is a clear error and leaves the file as it was", async () => {
  await using place = await tempPlace();
  await seed(place.db, KEY);
  const before = await bytesOf(place.db);
  await assert.rejects(
    () => openDb(place.db),
    (err) =>
      err instanceof DbKeyError && /è cifrato e non è stata data la chiave/.test(err.message),
  );
  await assert.rejects(
    () => openDb(place.db, { encryptionKey: OTHER_KEY }),
    (err) => err instanceof DbKeyError && /la chiave è sbagliata/.test(err.message),
  );
  assert.deepEqual(await bytesOf(place.db), before);
  assert.equal(await readNote(place.db, KEY), SECRET);
});

Deno.test("a key given for a plain DB is refused, telling how to encrypt it", async () => {
  await using place = await tempPlace();
  await seed(place.db, undefined);
  await assert.rejects(
    () => openDb(place.db, { encryptionKey: KEY }),
    (err) => err instanceof DbKeyError && /non è cifrato.*db encrypt/.test(err.message),
  );
  assert.equal(await dbFileState(place.db), "plain");
  assert.equal(await readNote(place.db, undefined), SECRET);
});

Deno.test("the key comes from the environment or a key file outside the DB's folder", async () => {
  await using place = await tempPlace();
  const outside = await place.key("faldone.key", KEY);
  assert.equal(await resolveDbKey(place.db, outside, undefined), KEY);
  assert.equal(await resolveDbKey(place.db, undefined, KEY), KEY);
  assert.equal(await resolveDbKey(place.db, undefined, undefined), undefined);
  const inside = `${place.root}/data/faldone.key`;
  const nested = `${place.root}/data/keys/faldone.key`;
  await Deno.mkdir(`${place.root}/data/keys`);
  for (const path of [inside, nested]) {
    await Deno.writeTextFile(path, KEY);
    await assert.rejects(
      () => resolveDbKey(place.db, path, undefined),
      (err) => err instanceof DbKeyError && /nella cartella dei dati/.test(err.message),
    );
  }
  // A link from outside to a key inside the folder is the same file: refused too.
  await Deno.symlink(inside, `${place.root}/keys/link.key`);
  await assert.rejects(() => resolveDbKey(place.db, `${place.root}/keys/link.key`, undefined));
  await assert.rejects(
    () => resolveDbKey(place.db, undefined, "corta"),
    (err) => err instanceof DbKeyError && /almeno 16 caratteri/.test(err.message),
  );
  await assert.rejects(
    () => resolveDbKey(place.db, outside, KEY),
    (err) => err instanceof DbKeyError && /in un solo modo/.test(err.message),
  );
  await assert.rejects(
    () => resolveDbKey(place.db, `${place.root}/keys/missing.key`, undefined),
    (err) =>
      err instanceof DbKeyError && /impossibile leggere il file della chiave/.test(err.message),
  );
});

Deno.test("an import into an encrypted DB works end to end and leaves no readable text", async () => {
  await using place = await tempPlace();
  const jsonl = `${place.root}/keys/in.jsonl`;
  const lines = Array.from({ length: 300 }, (_, i) => dossierLine(`d${i}`, String(i + 1)));
  await Deno.writeTextFile(jsonl, lines.join("\n") + "\n");
  const { db, client } = await openDb(place.db, { encryptionKey: KEY });
  try {
    const summary = await importJsonlFile(db, jsonl, { clock });
    assert.equal(summary.inserted, 300);
    assert.equal(summary.rejected, 0);
    assert.ok(!contains(await bytesOf(`${place.db}-wal`), SECRET));
  } finally {
    client.close();
  }
  assert.ok(!startsPlain(await bytesOf(place.db)));
  assert.ok(!contains(await bytesOf(place.db), SECRET));
  assert.ok(!contains(await bytesOf(place.db), "Via del Molino"));
  const again = await openDb(place.db, { encryptionKey: KEY });
  try {
    assert.equal((await countRecords(again.db)).dossiers, 300);
    const d = await readRecord(again.db, "dossier", "d7");
    assert.equal(d?.record === "dossier" && d.people[0]?.surname, SECRET);
  } finally {
    again.client.close();
  }
});

Deno.test("encrypting a plain DB and rotating its key keep every row; the old key then fails", async () => {
  await using place = await tempPlace();
  const jsonl = `${place.root}/keys/in.jsonl`;
  await Deno.writeTextFile(jsonl, [dossierLine("a", "1"), dossierLine("b", "2")].join("\n"));
  // In a process of its own, as an operator would: this one must not hold the file open.
  const imported = await run(["import", jsonl, "--db", place.db]);
  assert.equal(imported.code, 0, imported.out);
  assert.equal(await dbFileState(place.db), "plain");

  const encrypted = await rewriteDb(place.db, undefined, KEY);
  assert.ok(encrypted.rows > 2);
  assert.equal(await dbFileState(place.db), "encrypted");
  assert.ok(!contains(await bytesOf(place.db), SECRET));
  for (const suffix of ["-wal", "-journal"]) {
    assert.ok(!contains(await bytesOf(place.db + suffix), SECRET), suffix);
  }
  await assert.rejects(() => Deno.stat(rewritePath(place.db)), Deno.errors.NotFound);
  await assert.rejects(() => openDb(place.db), DbKeyError);

  const rotated = await rewriteDb(place.db, KEY, OTHER_KEY);
  assert.equal(rotated.rows, encrypted.rows);
  await assert.rejects(
    () => openDb(place.db, { encryptionKey: KEY }),
    (err) => err instanceof DbKeyError && /la chiave è sbagliata/.test(err.message),
  );
  const after = await openDb(place.db, { encryptionKey: OTHER_KEY });
  try {
    assert.equal((await countRecords(after.db)).dossiers, 2);
    const a = await readRecord(after.db, "dossier", "a");
    assert.equal(a?.record === "dossier" && a.people[0]?.surname, SECRET);
  } finally {
    after.client.close();
  }
});

Deno.test("a rewrite that cannot run leaves the DB file untouched and no copy behind", async () => {
  await using place = await tempPlace();
  await seed(place.db, KEY);
  const before = await bytesOf(place.db);
  await assert.rejects(
    () => rewriteDb(place.db, OTHER_KEY, "una-terza-chiave-abcdefgh"),
    (err) => err instanceof DbKeyError && /la chiave è sbagliata/.test(err.message),
  );
  await assert.rejects(
    () => rewriteDb(place.db, undefined, OTHER_KEY),
    (err) => err instanceof DbKeyError && /già cifrato/.test(err.message),
  );
  assert.deepEqual(await bytesOf(place.db), before);
  await assert.rejects(() => Deno.stat(rewritePath(place.db)), Deno.errors.NotFound);
  assert.equal(await readNote(place.db, KEY), SECRET);
});

Deno.test("a copy that fails its check is dropped and the old DB stays as it was", async () => {
  await using place = await tempPlace();
  const jsonl = `${place.root}/keys/in.jsonl`;
  await Deno.writeTextFile(jsonl, [dossierLine("a", "1"), dossierLine("b", "2")].join("\n"));
  const imported = await run(["import", jsonl, "--db", place.db]);
  assert.equal(imported.code, 0, imported.out);
  const faults: [RegExp, (copy: string) => Promise<void>][] = [
    // A page lost on the way to the disk.
    [/non è integra|malformed/, (copy) => Deno.truncate(copy, 8192)],
    // A row written to the old file that the copy does not have.
    [/righe in dossier\w* invece di/, async (copy) => {
      const c = await openDb(copy, { encryptionKey: KEY });
      await c.db.run(sql`DELETE FROM dossiers WHERE id = 'b'`);
      c.client.close();
    }],
  ];
  for (const [name, fault] of faults) {
    await assert.rejects(
      () => rewriteDb(place.db, undefined, KEY, { afterCopy: fault }),
      (err) => err instanceof Error && name.test(err.message),
    );
    await assert.rejects(() => Deno.stat(rewritePath(place.db)), Deno.errors.NotFound);
    assert.equal(await dbFileState(place.db), "plain");
  }
  const listed = await run(["reindex", "--db", place.db]);
  assert.equal(listed.code, 0, listed.out);
  assert.match(listed.out, /per 2 pratiche/);
});

Deno.test("main.ts refuses to start on an encrypted DB without its key, and db rekey while a kiosk runs", async () => {
  await using place = await tempPlace();
  const keyFile = await place.key("faldone.key", KEY);
  // The kiosk's DB as the demo leaves it: plain, with an account.
  const add = await run(["user", "add", "anna", "--db", place.db], {}, "una password lunga\n");
  assert.equal(add.code, 0, add.out);
  const encrypt = await run(["db", "encrypt", "--db", place.db, "--db-key-file", keyFile]);
  assert.equal(encrypt.code, 0, encrypt.out);
  const addEncrypted = await run(
    ["user", "add", "bruno", "--db", place.db],
    { FALDONE_DB_KEY: KEY },
    "un'altra password lunga\n",
  );
  assert.equal(addEncrypted.code, 0, addEncrypted.out);

  const without = await run(["user", "list", "--db", place.db]);
  assert.equal(without.code, 2);
  assert.match(without.out, /è cifrato e non è stata data la chiave/);
  assert.doesNotMatch(without.out, /SQLITE_NOTADB|at \w+ \(/, "no raw error or stack trace");
  const wrong = await run(["user", "list", "--db", place.db], { FALDONE_DB_KEY: OTHER_KEY });
  assert.equal(wrong.code, 2);
  assert.match(wrong.out, /la chiave è sbagliata/);
  const right = await run(["user", "list", "--db", place.db, "--db-key-file", keyFile]);
  assert.equal(right.code, 0, right.out);
  assert.match(right.out, /anna\tclerk\tattivo\nbruno\tclerk\tattivo/);

  const inside = `${place.root}/data/faldone.key`;
  await Deno.writeTextFile(inside, KEY);
  const refused = await run(["user", "list", "--db", place.db, "--db-key-file", inside]);
  assert.equal(refused.code, 2);
  assert.match(refused.out, /nella cartella dei dati/);

  // A running kiosk holds the DB: the rekey stops before touching it.
  const kiosk = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "serve", "--db", place.db, "--port", "0", "--no-demo"],
    env: { FALDONE_DB_KEY_FILE: keyFile, FALDONE_HOST: "127.0.0.1" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = kiosk.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!/pronto/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    assert.match(seen, /pronto/);
    const newKey = await place.key("new.key", OTHER_KEY);
    const busy = await run(
      ["db", "rekey", "--db", place.db, "--db-key-file", keyFile, "--new-key-file", newKey],
    );
    assert.equal(busy.code, 2, busy.out);
    assert.match(busy.out, /aperto da un altro processo/);
    reader.releaseLock();
  } finally {
    kiosk.kill("SIGTERM");
    await kiosk.status;
    await kiosk.stdout.cancel().catch(() => {});
  }
  const newKey = `${place.root}/keys/new.key`;
  const rekey = await run(
    ["db", "rekey", "--db", place.db, "--db-key-file", keyFile, "--new-key-file", newKey],
  );
  assert.equal(rekey.code, 0, rekey.out);
  assert.equal((await run(["user", "list", "--db", place.db, "--db-key-file", keyFile])).code, 2);
  const rotated = await run(["user", "list", "--db", place.db, "--db-key-file", newKey]);
  assert.match(rotated.out, /anna\tclerk\tattivo\nbruno\tclerk\tattivo/);
});
