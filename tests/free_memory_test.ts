import assert from "node:assert/strict";
import { collectGarbage, releaseFreeMemory } from "../cli/_free_memory.ts";

Deno.test("free allocator memory is given back on Linux, and asking elsewhere is harmless", () => {
  // Memory outside V8's heap, allocated and dropped: what the index build leaves behind.
  let chunks: Uint8Array[] | undefined = Array.from({ length: 256 }, () => new Uint8Array(65_536));
  assert.equal(chunks.length, 256);
  chunks = undefined;
  const first = releaseFreeMemory();
  const second = releaseFreeMemory();
  if (Deno.build.os === "linux") {
    assert.ok(typeof first === "number" && first >= 0, `malloc_trim ran (${first})`);
    assert.ok(typeof second === "number" && second >= 0);
  } else {
    assert.equal(first, undefined);
    assert.equal(second, undefined);
  }
});

Deno.test("a full collection frees what nothing holds any more, where V8 allows asking", async () => {
  let dropped: object | undefined = { payload: new Uint8Array(1024) };
  const ref = new WeakRef(dropped);
  dropped = undefined;
  // A WeakRef keeps its target alive until the current job ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const ms = collectGarbage();
  assert.ok(typeof ms === "number" && ms >= 0, `a collection ran (${ms})`);
  assert.equal(ref.deref(), undefined);
});
