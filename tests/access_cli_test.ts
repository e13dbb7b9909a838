import assert from "node:assert/strict";
import { openDb } from "../db/client.ts";
import { authenticate } from "../db/users.ts";

async function run(args: string[], stdin = ""): Promise<{ code: number; out: string }> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout) + dec.decode(stderr) };
}

Deno.test("main.ts user adds an account with a password from stdin, lists and disables it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = `${dir}/users.db`;
    const add = await run(
      ["user", "add", "Anna", "--role", "admin", "--db", db],
      "una password lunga\n",
    );
    assert.equal(add.code, 0, add.out);
    assert.match(add.out, /Utente "anna" creato con ruolo admin/);
    const short = await run(["user", "add", "bob", "--db", db], "corta\n");
    assert.equal(short.code, 1);
    assert.match(short.out, /almeno 10 caratteri/);
    const { db: handle, client } = await openDb(db);
    assert.equal((await authenticate(handle, "anna", "una password lunga"))?.role, "admin");
    client.close();
    assert.equal((await run(["user", "disable", "anna", "--db", db])).code, 0);
    const list = await run(["user", "list", "--db", db]);
    assert.match(list.out, /anna\tadmin\tdisattivato/);
    assert.equal((await run(["user", "add", "--db", db])).code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
