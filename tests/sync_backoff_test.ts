import assert from "node:assert/strict";
import { backoffDelay, createPageSizer } from "../sync/backoff.ts";

Deno.test("retries wait longer each time, with jitter, up to the cap", () => {
  const low = () => 0;
  const high = () => 0.999;
  assert.equal(backoffDelay(0, high, 1000, 60_000), 1000);
  assert.ok(backoffDelay(3, high, 1000, 60_000) > 7000);
  assert.ok(backoffDelay(3, high, 1000, 60_000) <= 8000);
  assert.equal(backoffDelay(3, low, 1000, 60_000), 1000, "jitter spreads down to the base");
  assert.ok(backoffDelay(40, high, 1000, 60_000) <= 60_000);
});

Deno.test("page size grows on a fast link and shrinks on a slow one, aiming at ~3 s a page", () => {
  const fast = createPageSizer({ initial: 64 * 1024, max: 4 * 1024 * 1024, targetMs: 3000 });
  // 64 KiB in 50 ms: the link could carry ~4 MB in 3 s; growth is at most 4× a page.
  fast.record(64 * 1024, 50, true);
  assert.equal(fast.next(), 256 * 1024);
  for (let i = 0; i < 5; i++) fast.record(fast.next(), 50, true);
  assert.equal(fast.next(), 4 * 1024 * 1024, "capped at max");

  const slow = createPageSizer({ initial: 256 * 1024, min: 8 * 1024, targetMs: 3000 });
  // 256 KiB took 12 s (≈ 21 kB/s): next page ≈ 64 kB, so progress commits every few seconds.
  slow.record(256 * 1024, 12_000, true);
  assert.equal(slow.next(), 64 * 1024);
  slow.record(64 * 1024, 3000, true);
  assert.ok(Math.abs(slow.next() - 64 * 1024) < 1024, "steady once a page takes ~3 s");

  // A short last page says nothing about the link.
  const last = createPageSizer({ initial: 64 * 1024 });
  last.record(100, 2000, false);
  assert.equal(last.next(), 64 * 1024);
});

Deno.test("a failed transfer halves the next one, down to the minimum, and good ones grow it back", () => {
  const sizer = createPageSizer({ initial: 1024 * 1024, min: 64 * 1024, max: 8 * 1024 * 1024 });
  sizer.failed();
  assert.equal(sizer.next(), 512 * 1024);
  for (let i = 0; i < 10; i++) sizer.failed();
  assert.equal(sizer.next(), 64 * 1024, "never below the minimum");
  sizer.record(64 * 1024, 10, true);
  assert.equal(sizer.next(), 256 * 1024);
});
