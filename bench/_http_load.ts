/** Latency of each query, one at a time, and throughput under concurrent clients, over HTTP. */
import { type ApiHit, hitsOf } from "./_kiosk.ts";
import { type LatencySummary, summarize } from "./_measure.ts";
import type { QueryCase } from "./_queries.ts";

/** `/api/search` URL of a query with its filters, 20 hits a page (the kiosk's page). */
export function searchUrl(base: string, c: QueryCase): string {
  const params = new URLSearchParams({ q: c.q, per_page: "20" });
  for (const [name, value] of Object.entries(c.filters)) {
    if (value !== undefined) params.set(name, value);
  }
  return `${base}/api/search?${params}`;
}

/** /healthz requests a fresh client makes before timing anything (see measureLatency). */
const CLIENT_WARM_UP_REQUESTS = 100;

/** One timed answer. */
export interface Answer {
  ms: number;
  status: number;
  hits: ApiHit[];
}

/**
 * Sends each query once, one after the other, and times it from request to parsed JSON.
 * Each query is new to the kiosk's answer cache, so these are first-keystroke latencies.
 * A `/healthz` request after each one times the HTTP floor on this (busy) machine.
 */
export async function measureLatency(
  base: string,
  cases: QueryCase[],
): Promise<{ answers: Answer[]; floor: LatencySummary }> {
  // This process's own fetch and JSON code, compiled before it times the kiosk: a fresh
  // Deno took 2.5-4.5 ms extra on one request in ten over its first 55 (/healthz on a
  // loopback that answers in 0.4 ms), and those spikes landed in the kiosk's first-time
  // p95s. /healthz touches no search code, so the kiosk's search stays as cold as before.
  for (let i = 0; i < CLIENT_WARM_UP_REQUESTS; i++) {
    await (await fetch(`${base}/healthz`)).json();
  }
  // A few searches so the first measured query does not pay for the socket and the route.
  for (const q of ["xqzw", "vqzw", "prot. 1 del 1950"]) {
    await (await fetch(`${base}/api/search?q=${encodeURIComponent(q)}`)).body?.cancel();
  }
  const out: Answer[] = [];
  const floor: number[] = [];
  for (const c of cases) {
    const started = performance.now();
    const res = await fetch(searchUrl(base, c));
    const body: unknown = res.ok ? await res.json() : await res.text();
    out.push({ ms: performance.now() - started, status: res.status, hits: hitsOf(body) });
    const t = performance.now();
    await (await fetch(`${base}/healthz`)).json();
    floor.push(performance.now() - t);
  }
  return { answers: out, floor: summarize(floor) };
}

/** What the concurrent run measured. */
export interface ThroughputFigures {
  clients: number;
  /** Distinct queries the clients cycled through. */
  distinct: number;
  seconds: number;
  requests: number;
  errors: number;
  rps: number;
  latency: LatencySummary;
  firstError?: string;
}

/**
 * `clients` loops, each sending the mixed queries in turn (from its own offset) for
 * `seconds`; any non-200 or network failure counts as an error. Bounded in time: it stops
 * by itself. Offsets 7 apart make the clients repeat each other's queries a few hundred
 * requests later (answered from the kiosk's cache, as repeated keystrokes and popular
 * queries are); `spread` offsets spread over the whole list. `once` asks every query of the
 * list exactly once, the clients taking the next one from a shared queue, and stops when the
 * list is done: with queries the kiosk was never asked, every request is new to both of its
 * caches (the answer cache holds thousands of answers, more than a spread run of 20 s makes
 * distinct requests at 1M, so a spread run repeats cached answers).
 */
export async function measureThroughput(
  base: string,
  cases: QueryCase[],
  clients = 50,
  seconds = 20,
  options: { spread?: boolean; once?: boolean } = {},
): Promise<ThroughputFigures> {
  const urls = cases.map((c) => searchUrl(base, c));
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const client = async (k: number) => {
    const from = options.spread ? Math.floor((k * urls.length) / clients) : k * 7;
    for (let i = from; performance.now() < deadline; i++) {
      if (options.once && next >= urls.length) break;
      const url = (options.once ? urls[next++] : urls[i % urls.length]) ?? "";
      const t = performance.now();
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) {
          errors++;
          firstError ??= `HTTP ${res.status} for ${url}`;
        }
      } catch (err) {
        errors++;
        firstError ??= String(err);
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, k) => client(k)));
  const elapsed = (performance.now() - started) / 1000;
  return {
    clients,
    distinct: new Set(urls).size,
    seconds: Math.round(elapsed * 10) / 10,
    requests: latencies.length,
    errors,
    rps: Math.round(latencies.length / elapsed),
    latency: summarize(latencies),
    ...(firstError ? { firstError } : {}),
  };
}
