import assert from "node:assert/strict";

/** Starts `main.ts serve` as a real process; resolves each printed line as it comes. */
function startServe(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname, "serve", ...args],
    env: { FALDONE_HOST: "127.0.0.1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const chunks = child.stdout.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  async function lineMatching(re: RegExp): Promise<RegExpMatchArray> {
    while (true) {
      const newline = buffer.indexOf("\n");
      if (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const m = line.match(re);
        if (m) return m;
        continue;
      }
      const { value, done } = await chunks.read();
      if (done) throw new Error(`serve exited before printing ${re}`);
      buffer += decoder.decode(value, { stream: true });
    }
  }
  return { child, lineMatching, close: () => chunks.cancel() };
}

Deno.test("serve prints its URL, answers at once and says pronto once the index is built", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-serve-" });
  const { child, lineMatching, close } = startServe([
    "--port",
    "0",
    "--db",
    `${dir}/k.db`,
    "--no-demo",
  ]);
  try {
    const [, url] = await lineMatching(/^Faldone in ascolto su (http:\/\/127\.0\.0\.1:\d+)$/);
    const home = await fetch(`${url}/`);
    assert.equal(home.status, 200);
    assert.match(home.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(await home.text(), /Cerca una pratica edilizia o un atto/);
    // The memory given back, if any, follows in brackets.
    await lineMatching(/^pronto: 0 pratiche e 0 atti indicizzati in [\d.]+ s( \(.+\))?$/);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ready", records: 0, indexed: 0 });
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve on an empty database loads the demo archive and finds it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-serve-" });
  const { child, lineMatching, close } = startServe(["--port", "0", "--db", `${dir}/k.db`]);
  try {
    const [, url] = await lineMatching(/^Faldone in ascolto su (http:\/\/127\.0\.0\.1:\d+)$/);
    const [, dossiers, acts] = await lineMatching(/^pronto: (\d+) pratiche e (\d+) atti/);
    assert.ok(Number(dossiers) > 1000 && Number(acts) > 0);
    const health = await (await fetch(`${url}/healthz`)).json();
    assert.equal(health.records, Number(dossiers) + Number(acts));
    const found = await (await fetch(`${url}/api/search?q=via+roma`)).json();
    assert.ok(found.total > 0);
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await close();
    await Deno.remove(dir, { recursive: true });
  }
});
