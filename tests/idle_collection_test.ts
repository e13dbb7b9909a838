/**
 * The young generation is collected when no request is in flight (cli/_idle_collection.ts):
 * the rule with a counting collector, then V8's own collection in a process started as
 * `deno task start` starts the kiosk (--expose-gc).
 */
import assert from "node:assert/strict";
import { idleCollector } from "../cli/_idle_collection.ts";

const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

function counting(young: { used: number; capacity: number }, active = () => true) {
  const calls: string[] = [];
  const collector = idleCollector({
    share: 0.25,
    minBytes: 1000,
    collect: (o) => calls.push(o.type),
    youngSpace: () => young,
    active,
  });
  assert.ok(collector);
  return { collector, calls };
}

Deno.test("the young generation is collected once the last request in flight is answered", async () => {
  const { collector, calls } = counting({ used: 4000, capacity: 8000 });
  collector.begin();
  collector.begin();
  collector.end();
  await turn();
  assert.deepEqual(calls, [], "one request is still in flight");
  collector.end();
  await turn();
  assert.deepEqual(calls, ["minor"]);
  assert.equal(collector.collections, 1);
});

Deno.test("a request arriving before the idle check cancels the collection", async () => {
  const { collector, calls } = counting({ used: 4000, capacity: 8000 });
  collector.begin();
  collector.end();
  collector.begin(); // before the timer turn
  await turn();
  assert.deepEqual(calls, []);
  collector.end();
  await turn();
  assert.deepEqual(calls, ["minor"]);
});

Deno.test("a young generation little used, or a server not ready, is left to V8", async () => {
  for (
    const [young, active] of [
      [{ used: 1500, capacity: 8000 }, true], // under a quarter
      [{ used: 900, capacity: 1000 }, true], // under the minimum bytes
      [{ used: 4000, capacity: 8000 }, false], // index still building
    ] as const
  ) {
    const { collector, calls } = counting(young, () => active);
    collector.begin();
    collector.end();
    await turn();
    assert.deepEqual(calls, [], JSON.stringify({ young, active }));
  }
});

Deno.test("without --expose-gc there is no collector and the server runs as before", () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, "undefined");
  assert.equal(idleCollector(), undefined);
});

Deno.test("started with --expose-gc, an idle moment empties V8's young generation", async () => {
  const script = `
    import { idleCollector } from ${
    JSON.stringify(new URL("../cli/_idle_collection.ts", import.meta.url).href)
  };
    import { getHeapSpaceStatistics } from "node:v8";
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_used_size;
    const collector = idleCollector({ share: 0, minBytes: 64 * 1024 });
    let kept = [];
    collector.begin();
    // A request's worth of short-lived objects.
    for (let i = 0; i < 20000; i++) kept.push({ i, text: "parola " + i });
    kept = [];
    const before = young();
    collector.end();
    await new Promise((resolve) => setTimeout(resolve, 20));
    console.log(JSON.stringify({ before, after: young(), collections: collector.collections }));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = out.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const { code, stdout, stderr } = await out.output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const { before, after, collections } = JSON.parse(new TextDecoder().decode(stdout));
  assert.equal(collections, 1);
  assert.ok(before > 512 * 1024, `young generation in use before: ${before}`);
  // What the process allocates in the 20 ms after the collection is in use again.
  assert.ok(after < before / 2, `young generation in use: ${before} → ${after}`);
});
