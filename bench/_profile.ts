/**
 * Reads a V8 .cpuprofile and says where the time went: top functions and files by self
 * time, and the project's own functions by inclusive time (what they and their callees,
 * libraries included, cost), which names the culprit when a library is hot.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Self time of one function or file, in ms and as a share of the sampled time. */
export interface HotSpot {
  name: string;
  ms: number;
  share: number;
}

/** Self ms per node id, counting only the samples taken from `fromMs` to `toMs` after start. */
function parseProfile(
  text: string,
  fromMs: number,
  toMs: number,
): { nodes: ProfileNode[]; self: Map<number, number> } {
  const raw: unknown = JSON.parse(text);
  if (
    typeof raw !== "object" || raw === null || !("nodes" in raw) || !Array.isArray(raw.nodes) ||
    !("samples" in raw) || !Array.isArray(raw.samples) || !("timeDeltas" in raw) ||
    !Array.isArray(raw.timeDeltas)
  ) {
    throw new Error("not a V8 CPU profile");
  }
  const nodes: ProfileNode[] = raw.nodes;
  const samples: number[] = raw.samples;
  const deltas: number[] = raw.timeDeltas;
  const self = new Map<number, number>();
  // Times are in microseconds; each sample's cost is the gap to the next one.
  let t = 0;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    const cost = (deltas[i + 1] ?? 0) / 1000;
    const id = samples[i];
    if (t / 1000 < fromMs || t / 1000 > toMs || id === undefined) continue;
    self.set(id, (self.get(id) ?? 0) + cost);
  }
  return { nodes, self };
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf("/main/");
  if (url.includes("node_modules")) {
    return url.replace(/^.*node_modules\/\.deno\/([^/]+)\/.*$/, "npm:$1");
  }
  return i >= 0 ? url.slice(i + "/main/".length) : url.replace(/^.*\//, "") || "(native)";
}

/**
 * The `top` functions and files with the most self time in the profile at `path`, from
 * `fromMs` after the process started (e.g. once the index is ready) up to `toMs`.
 */
export async function hotSpots(
  path: string,
  fromMs = 0,
  top = 15,
  toMs = Number.POSITIVE_INFINITY,
): Promise<{ functions: HotSpot[]; files: HotSpot[]; project: HotSpot[]; totalMs: number }> {
  const { nodes, self } = parseProfile(await Deno.readTextFile(path), fromMs, toMs);
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const byFn = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const node of nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = shortUrl(url);
    const fn = `${functionName || "(anonymous)"} ${file}${url ? `:${lineNumber + 1}` : ""}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
    // Credit each project function on the stack once, however deep it recurses.
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (!frame?.url.startsWith("file:") || frame.url.includes("node_modules")) continue;
      const name = `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${
        frame.lineNumber + 1
      }`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    }
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({
      name,
      ms: Math.round(ms),
      share: Math.round((ms / total) * 1000) / 10,
    }));
  return {
    functions: rank(byFn),
    files: rank(byFile),
    project: rank(inclusive),
    totalMs: Math.round(total),
  };
}

if (import.meta.main) {
  // deno run -A bench/_profile.ts FILE.cpuprofile [FROM_MS] [TO_MS]: e.g. the start alone.
  const [path, from = "0", to = "Infinity"] = Deno.args;
  if (!path) throw new Error("Usage: bench/_profile.ts FILE.cpuprofile [FROM_MS] [TO_MS]");
  const h = await hotSpots(path, Number(from), 25, Number(to));
  console.log(`${h.totalMs} ms sampled`);
  for (const x of h.files.slice(0, 10)) console.log(`  ${String(x.share).padStart(5)}%  ${x.name}`);
  console.log("  --");
  for (const x of h.functions) console.log(`  ${String(x.share).padStart(5)}%  ${x.name}`);
  console.log("  -- inclusive:");
  for (const x of h.project) console.log(`  ${String(x.share).padStart(5)}%  ${x.name}`);
}
