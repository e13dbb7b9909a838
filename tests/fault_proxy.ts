/**
 * A fault-injecting HTTP proxy on loopback, between a branch and the archive: per request it
 * passes, cuts the connection mid-body, answers a truncated body, answers 500/503 (before or
 * after the archive saw the request), or stalls; and it can throttle the whole link to a
 * bit rate with a round-trip time. The upstream leg uses node:http so compressed bodies
 * travel byte for byte, as they would on the wire.
 */
import http from "node:http";

/** What the proxy does to one request. */
export type Fault =
  | { kind: "pass" }
  /** Forwards, sends the response headers and half the body, then breaks the connection. */
  | { kind: "drop_mid_body" }
  /** Forwards, then answers a well-formed response holding only the first half of the body. */
  | { kind: "truncate" }
  /** Answers this status; with `forward` the archive has already handled the request. */
  | { kind: "status"; status: 500 | 503; forward: boolean }
  /** Waits `ms` before forwarding (the client is expected to time out first). */
  | { kind: "stall"; ms: number }
  /** Forwards, then flips one byte of the body at `at` (a link or a box that damages data). */
  | { kind: "corrupt"; at: number };

/** Link shaping: bits per second each way and the round-trip time added to each request. */
export interface Throttle {
  bitsPerSecond: number;
  rttMs: number;
}

/** Cuts across requests: the link drops every so many bytes sent down, or every so often. */
export interface LinkCuts {
  /** Breaks the response under way once this many body bytes went down since the last cut. */
  everyBytes?: number;
  /** Breaks the response under way (if any) once this much time passed since the last cut. */
  everyMs?: number;
}

/** A running proxy; dispose it with `await using`. */
export interface FaultProxy extends AsyncDisposable {
  url: string;
  /** Requests seen so far (the index the plan is called with next). */
  readonly requests: number;
  /** Bytes sent to the client / received from it, bodies only. */
  readonly bytesDown: number;
  readonly bytesUp: number;
  faultsInjected: number;
  /** Connections broken by `LinkCuts`. */
  readonly cuts: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** Forwards a request upstream byte for byte; the body comes back raw (not inflated). */
function forward(
  target: URL,
  req: Request,
  body: Uint8Array,
): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => {
      if (k !== "host" && k !== "connection" && k !== "content-length") headers[k] = v;
    });
    headers["content-length"] = String(body.byteLength);
    const up = http.request({
      host: target.hostname,
      port: Number(target.port),
      method: req.method,
      path: url.pathname + url.search,
      headers,
    }, (res) => {
      const chunks: Uint8Array[] = [];
      res.on("data", (c: Uint8Array) => chunks.push(c));
      res.on("end", () => {
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (
            typeof v === "string" && !["connection", "transfer-encoding", "keep-alive"].includes(k)
          ) {
            out.set(k, v);
          }
        }
        const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.byteLength;
        }
        resolve({ status: res.statusCode ?? 502, headers: out, body: all });
      });
      res.on("error", reject);
    });
    up.on("error", reject);
    up.end(body);
  });
}

/** Starts a proxy to `target`; `plan(n)` picks the fault for the n-th request (from 0). */
export function startFaultProxy(
  target: string,
  plan: (n: number, req: Request) => Fault,
  throttle?: Throttle,
  cuts: LinkCuts = {},
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const shutdown = new AbortController();
  const state = { requests: 0, bytesDown: 0, bytesUp: 0, faultsInjected: 0, cuts: 0 };
  let sinceCut = 0;
  let lastCutAt = Date.now();
  const pace = async (bytes: number, signal: AbortSignal) => {
    if (throttle) await sleep((bytes * 8 * 1000) / throttle.bitsPerSecond, signal);
  };

  const handler = async (req: Request): Promise<Response> => {
    const n = state.requests++;
    const fault = plan(n, req);
    if (fault.kind !== "pass") state.faultsInjected++;
    // Only the proxy's own shutdown ends a wait: Deno's request.signal also fires on success.
    const signal = shutdown.signal;
    const body = new Uint8Array(await req.arrayBuffer());
    state.bytesUp += body.byteLength;
    if (throttle) await sleep(throttle.rttMs / 2, signal);
    await pace(body.byteLength, signal);
    if (fault.kind === "stall") await sleep(fault.ms, signal);
    if (signal.aborted) return new Response(null, { status: 499 });
    if (fault.kind === "status" && !fault.forward) {
      return Response.json({ error: "injected" }, { status: fault.status });
    }
    let res;
    try {
      res = await forward(upstream, req, body);
    } catch {
      return new Response("upstream unreachable", { status: 502 });
    }
    if (fault.kind === "status") {
      return Response.json({ error: "injected" }, { status: fault.status });
    }
    if (throttle) await sleep(throttle.rttMs / 2, signal);
    if (fault.kind === "truncate") {
      const half = res.body.slice(0, Math.floor(res.body.byteLength / 2));
      res.headers.set("content-length", String(half.byteLength));
      state.bytesDown += half.byteLength;
      return new Response(half, { status: res.status, headers: res.headers });
    }
    const full = res.body;
    if (fault.kind === "corrupt" && fault.at < full.byteLength) {
      full[fault.at] = (full[fault.at] ?? 0) ^ 0xff;
    }
    let cutAt = fault.kind === "drop_mid_body" ? Math.floor(full.byteLength / 2) : -1;
    const CHUNK = 1024;
    let sent = 0;
    // Paced against a schedule, not by a sleep per piece: timers fire late, and a sleep per
    // kilobyte would make the link slower than its rate by their overhead.
    const bodyStarted = performance.now();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (cutAt >= 0 && sent >= cutAt) {
          // Ending the body short of its Content-Length makes the server abort the
          // connection mid-body, as a dropped link does. (Erroring the stream would too, but
          // Deno prints every such error with its stack: expected drops looked like failures.)
          controller.close();
          return;
        }
        if (sent >= full.byteLength) return controller.close();
        if (cuts.everyMs !== undefined && Date.now() - lastCutAt >= cuts.everyMs) {
          lastCutAt = Date.now();
          state.cuts++;
          cutAt = sent;
          return controller.close();
        }
        if (cuts.everyBytes !== undefined && sinceCut >= cuts.everyBytes) {
          sinceCut = 0;
          state.cuts++;
          cutAt = sent;
          return controller.close();
        }
        const room = cuts.everyBytes === undefined ? Infinity : cuts.everyBytes - sinceCut;
        const end = Math.min(
          full.byteLength,
          sent + CHUNK,
          sent + room,
          cutAt >= 0 ? cutAt : Infinity,
        );
        const chunk = full.slice(sent, end);
        if (throttle) {
          const due = bodyStarted + ((end * 8 * 1000) / throttle.bitsPerSecond);
          await sleep(due - performance.now(), signal);
        }
        sent = end;
        sinceCut += chunk.byteLength;
        state.bytesDown += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    // A cut body ends short of this length, so the server breaks the connection.
    res.headers.set("content-length", String(full.byteLength));
    return new Response(stream, { status: res.status, headers: res.headers });
  };

  return new Promise((resolve) => {
    const server = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      onListen: ({ port }) =>
        resolve({
          url: `http://127.0.0.1:${port}`,
          get requests() {
            return state.requests;
          },
          get bytesDown() {
            return state.bytesDown;
          },
          get bytesUp() {
            return state.bytesUp;
          },
          get cuts() {
            return state.cuts;
          },
          get faultsInjected() {
            return state.faultsInjected;
          },
          set faultsInjected(v: number) {
            state.faultsInjected = v;
          },
          async [Symbol.asyncDispose]() {
            shutdown.abort();
            await server.shutdown();
          },
        }),
    }, handler);
  });
}
