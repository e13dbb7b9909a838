import assert from "node:assert/strict";
import { join } from "node:path";
import { type ByteSource, parseRange, serveByteSource } from "../documents/http_range.ts";
import { fileByteSource } from "../documents/file_byte_source.ts";

Deno.test("parseRange reads a-b, a- and -n and clamps the end to the file", () => {
  assert.deepEqual(parseRange("bytes=0-99", 1000), { kind: "part", start: 0, end: 99 });
  assert.deepEqual(parseRange("bytes=900-", 1000), { kind: "part", start: 900, end: 999 });
  assert.deepEqual(parseRange("bytes=-100", 1000), { kind: "part", start: 900, end: 999 });
  assert.deepEqual(parseRange("bytes=-5000", 1000), { kind: "part", start: 0, end: 999 });
  assert.deepEqual(parseRange("bytes=990-5000", 1000), { kind: "part", start: 990, end: 999 });
  assert.deepEqual(parseRange("Bytes = 5-5", 1000), { kind: "part", start: 5, end: 5 });
});

Deno.test("parseRange says unsatisfiable for a start past the end, -0 and an empty file", () => {
  assert.deepEqual(parseRange("bytes=1000-", 1000), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=2000-3000", 1000), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=-0", 1000), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=0-", 0), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=-10", 0), { kind: "unsatisfiable" });
});

Deno.test("parseRange ignores malformed, foreign-unit, reversed and multi-range headers", () => {
  for (
    const header of [
      undefined,
      "",
      "bytes=",
      "bytes=-",
      "bytes=a-b",
      "items=0-10",
      "bytes=10-5",
      "bytes=0-10,20-30",
      "bytes=0-10, -5",
      "0-10",
    ]
  ) {
    assert.deepEqual(parseRange(header, 1000), { kind: "whole" }, String(header));
  }
});

/** A source over fixed bytes that counts what its streams were asked for and delivered. */
function countingSource(data: Uint8Array, chunk = 4096) {
  const stats = { opens: 0, delivered: 0 };
  const source: ByteSource = {
    bytes: data.length,
    mime: "application/octet-stream",
    etag: "abc123",
    open(start, end) {
      stats.opens++;
      let at = start;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at > end) return controller.close();
          const part = data.slice(at, Math.min(end + 1, at + chunk));
          at += part.length;
          stats.delivered += part.length;
          controller.enqueue(part);
        },
      }, { highWaterMark: 0 });
    },
  };
  return { source, stats };
}

const DATA = Uint8Array.from({ length: 10_000 }, (_, i) => i % 251);

function get(headers: Record<string, string> = {}, method = "GET"): Request {
  return new Request("http://x/file", { method, headers });
}

Deno.test("a request without Range gets 200 with the whole file and Accept-Ranges", async () => {
  const { source } = countingSource(DATA);
  const res = await serveByteSource(get(), source, { "Cache-Control": "private" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("accept-ranges"), "bytes");
  assert.equal(res.headers.get("content-length"), "10000");
  assert.equal(res.headers.get("etag"), '"abc123"');
  assert.equal(res.headers.get("cache-control"), "private");
  assert.equal(res.headers.get("content-range"), null);
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), DATA);
});

Deno.test("a satisfiable range gets 206 with exactly those bytes and Content-Range", async () => {
  const { source, stats } = countingSource(DATA);
  const res = await serveByteSource(get({ Range: "bytes=100-199" }), source);
  assert.equal(res.status, 206);
  assert.equal(res.headers.get("content-range"), "bytes 100-199/10000");
  assert.equal(res.headers.get("content-length"), "100");
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), DATA.slice(100, 200));
  assert.equal(stats.delivered, 100);

  const tail = await serveByteSource(get({ Range: "bytes=-10" }), source);
  assert.equal(tail.headers.get("content-range"), "bytes 9990-9999/10000");
  assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), DATA.slice(9990));
});

Deno.test("a range past the end gets 416 with Content-Range bytes */size", async () => {
  const { source, stats } = countingSource(DATA);
  const res = await serveByteSource(get({ Range: "bytes=10000-" }), source);
  assert.equal(res.status, 416);
  assert.equal(res.headers.get("content-range"), "bytes */10000");
  assert.match(await res.text(), /oltre la fine/);
  assert.equal(stats.opens, 0);
});

Deno.test("a multi-range request gets 200 with the whole file", async () => {
  const { source } = countingSource(DATA);
  const res = await serveByteSource(get({ Range: "bytes=0-1,5-6" }), source);
  assert.equal(res.status, 200);
  assert.equal((await res.arrayBuffer()).byteLength, 10_000);
});

Deno.test("If-Range with the current ETag keeps the range, any other value gets the whole", async () => {
  const { source } = countingSource(DATA);
  const kept = await serveByteSource(get({ Range: "bytes=0-9", "If-Range": '"abc123"' }), source);
  assert.equal(kept.status, 206);
  await kept.body?.cancel();
  for (const ifRange of ['"old"', 'W/"abc123"', "Wed, 21 Oct 2015 07:28:00 GMT"]) {
    const whole = await serveByteSource(get({ Range: "bytes=0-9", "If-Range": ifRange }), source);
    assert.equal(whole.status, 200, ifRange);
    assert.equal(whole.headers.get("content-length"), "10000");
    await whole.body?.cancel();
  }
});

Deno.test("If-None-Match with the ETag gets 304 without opening the file", async () => {
  const { source, stats } = countingSource(DATA);
  for (const tag of ['"abc123"', 'W/"abc123"', '"x", "abc123"', "*"]) {
    assert.equal((await serveByteSource(get({ "If-None-Match": tag }), source)).status, 304, tag);
  }
  assert.equal((await serveByteSource(get({ "If-None-Match": '"x"' }), source)).status, 200);
  assert.equal(stats.opens, 1);
});

Deno.test("HEAD answers the headers of a GET and never opens the source", async () => {
  const { source, stats } = countingSource(DATA);
  const res = await serveByteSource(get({ Range: "bytes=5-" }, "HEAD"), source);
  assert.equal(res.status, 206);
  assert.equal(res.headers.get("content-length"), "9995");
  assert.equal(res.body, null);
  assert.equal(stats.opens, 0);
  assert.equal((await serveByteSource(get({}, "POST"), source)).status, 405);
});

/** A loopback server answering every request from `source`; counts bytes the source gave. */
async function withServer(
  source: ByteSource,
  run: (url: string) => Promise<void>,
): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => serveByteSource(req, source),
  );
  try {
    await run(`http://127.0.0.1:${server.addr.port}/file`);
  } finally {
    await server.shutdown();
  }
}

Deno.test("over HTTP a file-backed source answers 200, 206, 416 and HEAD", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "scan.bin");
    const data = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256);
    await Deno.writeFile(path, data);
    const source = await fileByteSource(path, "application/pdf", "sha-1");
    await withServer(source, async (url) => {
      const whole = await fetch(url);
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get("content-type"), "application/pdf");
      assert.deepEqual(new Uint8Array(await whole.arrayBuffer()), data);

      const part = await fetch(url, { headers: { Range: "bytes=200000-265535" } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get("content-range"), "bytes 200000-265535/300000");
      assert.deepEqual(new Uint8Array(await part.arrayBuffer()), data.slice(200000, 265536));

      const suffix = await fetch(url, { headers: { Range: "bytes=-1" } });
      assert.deepEqual(new Uint8Array(await suffix.arrayBuffer()), data.slice(-1));

      const past = await fetch(url, { headers: { Range: "bytes=300000-" } });
      assert.equal(past.status, 416);
      assert.equal(past.headers.get("content-range"), "bytes */300000");
      await past.body?.cancel();

      const head = await fetch(url, { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get("content-length"), "300000");
      assert.equal(head.headers.get("accept-ranges"), "bytes");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("over HTTP a client that stops reading a large file stops the reads", async () => {
  const big = new Uint8Array(64 * 1024 * 1024);
  const { source, stats } = countingSource(big, 64 * 1024);
  await withServer(source, async (url) => {
    const controller = new AbortController();
    const res = await fetch(url, { signal: controller.signal });
    const reader = res.body!.getReader();
    let got = 0;
    while (got < 256 * 1024) {
      const { value, done } = await reader.read();
      if (done) break;
      got += value.length;
    }
    controller.abort();
    await reader.cancel().catch(() => {});
    await new Promise((r) => setTimeout(r, 200));
  });
  // Socket buffers hold a few MiB at most; a buffering server would have read all 64.
  assert.ok(stats.delivered < 16 * 1024 * 1024, `read ${stats.delivered} bytes of 64 MiB`);
});
