import assert from "node:assert/strict";
import { releaseFreeMemory } from "../cli/_free_memory.ts";

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
