import assert from "node:assert/strict";
import { count, inArray } from "drizzle-orm";
import { appendAudit } from "../db/audit.ts";
import { auditLog } from "../db/schema.ts";
import { createPageSizer } from "../sync/backoff.ts";
import { recordsDigest } from "../sync/content_hash.ts";
import { countPendingMutations, enqueueMutation } from "../db/outbox.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { createSyncPair, TEST_HANDLERS, timesApplied } from "./_sync_setup.ts";
import { type Fault, startFaultProxy, type Throttle } from "./fault_proxy.ts";
import { dossier } from "./fixtures.ts";

const PASS: Fault = { kind: "pass" };

/**
 * Syncs 40 dossiers down (small pages, so there are many) and 5 counters + 5 audit entries up through the
 * proxy, with `fault` on the first push and on a pull page; then both sides must agree.
 */
async function syncThrough(
  fault: Fault,
  options: { timeoutMs?: number; throttle?: Throttle } = {},
) {
  const records = Array.from({ length: 40 }, () => dossier());
  await using pair = await createSyncPair({
    archiveRecords: records,
    api: { handlers: TEST_HANDLERS },
  });
  for (let i = 0; i < 5; i++) {
    await enqueueMutation(pair.branch.db, {
      entity: "test_counter",
      entityId: `c${i}`,
      payload: {},
    }, pair.branch.clock());
  }
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const e = await appendAudit(pair.branch.db, { actor: "clerk", action: `test_${i}` }, {
      now: pair.branch.clock(),
      branch: "sede-prova",
      outbox: true,
    });
    ids.push(e.id);
  }
  // Request 0 is the push (it goes first), request 3 a pull page in the middle of the feed.
  await using proxy = await startFaultProxy(
    pair.archiveUrl,
    (n) => (n === 0 || n === 3 ? fault : PASS),
    options.throttle,
  );
  const deps = pair.clientDeps({ url: proxy.url, timeoutMs: options.timeoutMs ?? 10_000 });
  const started = performance.now();
  const report = await syncOnce(deps, {
    sleep: () => Promise.resolve(),
    maxAttempts: 5,
    // Small pages without throttling, so a fault lands in the middle of a multi-page feed.
    ...(options.throttle ? {} : { pullSizer: createPageSizer({ initial: 8 * 1024, min: 4096 }) }),
  });
  assert.equal(proxy.faultsInjected, fault.kind === "pass" ? 0 : 2);
  assert.equal(await recordsDigest(pair.branch.db), await recordsDigest(pair.archive.db));
  const [up] = await pair.archive.db.select({ n: count() }).from(auditLog)
    .where(inArray(auditLog.id, ids));
  assert.equal(up?.n, 5, "each branch entry on the archive");
  for (let i = 0; i < 5; i++) {
    assert.equal(await timesApplied(pair.archive.db, `c${i}`), 1, `mutation c${i} applied once`);
  }
  assert.equal(await countPendingMutations(pair.branch.db), 0);
  const elapsedMs = performance.now() - started;
  return {
    report,
    elapsedMs,
    proxy: { bytesDown: proxy.bytesDown, bytesUp: proxy.bytesUp, requests: proxy.requests },
  };
}

Deno.test("sync completes when the connection drops mid-body", async () => {
  const { report } = await syncThrough({ kind: "drop_mid_body" });
  assert.ok(report.attempts >= 3);
});

Deno.test("sync completes when a response is truncated", async () => {
  await syncThrough({ kind: "truncate" });
});

Deno.test("sync completes after 500 answers, even when the archive had applied the push", async () => {
  await syncThrough({ kind: "status", status: 500, forward: true });
});

Deno.test("sync completes after 503 answers from an overloaded archive", async () => {
  await syncThrough({ kind: "status", status: 503, forward: false });
});

Deno.test("sync completes when the link stalls longer than the client waits", async () => {
  const { report } = await syncThrough({ kind: "stall", ms: 2000 }, { timeoutMs: 600 });
  assert.ok(report.attempts >= 3);
});

Deno.test("sync completes over a 256 kbit/s link with 600 ms round trips, compressed", async () => {
  const { report, proxy, elapsedMs } = await syncThrough(PASS, {
    throttle: { bitsPerSecond: 256_000, rttMs: 600 },
  });
  // The link really was that slow: its bytes at 256 kbit/s plus at least one round trip
  // (pages are prefetched, so round trips may overlap), and not much slower than the link.
  const bytesMs = ((proxy.bytesDown + proxy.bytesUp) * 8 * 1000) / 256_000;
  const linkMs = proxy.requests * 600 + bytesMs;
  assert.ok(elapsedMs >= bytesMs + 600, `${elapsedMs} ms < link floor ${bytesMs + 600} ms`);
  assert.ok(elapsedMs <= linkMs * 1.5 + 500, `${elapsedMs} ms vs link limit ${linkMs} ms`);
  // gzip on the wire: the pages take well under half their JSON size.
  assert.ok(report.wireBytesReceived < report.rawBytesReceived / 2);
  assert.ok(proxy.bytesDown < report.rawBytesReceived / 2);
});
