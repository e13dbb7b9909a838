/**
 * Before the kiosk says ready, its search pages are asked for a few hundred searches of every
 * kind, so that V8 has compiled the request path (ranking, filters and facets, the card
 * reads, the page's HTML) before the first visitor: right after a start, the first searches
 * ran that code in V8's interpreter and baseline tiers, and took up to twice as long as the
 * same kind of search a minute later (docs/SEARCH.md, "Fifth round: the first searches after
 * a start"). The searches are made up from records of this archive, whatever it holds, and
 * every cache they filled is emptied afterwards: only compiled code is left behind.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { readRecords } from "../db/records.ts";
import { publicSubject } from "../domain/public_record.ts";
import type { RecordDoc } from "../domain/records.ts";
import type { RecordIndex } from "../search/record_index.ts";

/** What the warm-up asks: the app's fetch, as Deno.serve calls it. */
type Fetch = (request: Request) => Response | Promise<Response>;

/** Records sampled across the archive; each gives searches of several kinds. */
const SAMPLED_RECORDS = 24;

/**
 * The warm-up's time, at most: at 1M on a local file it takes 1.5-2 s; a DB across a network
 * (card reads a round trip each) or a machine busy with something else must not hold ready.
 */
const WARM_BUDGET_MS = 4_000;

/** Searches of every kind a citizen types, made up from one record (none if it has no words). */
export function searchesFrom(doc: RecordDoc): URLSearchParams[] {
  const out: Record<string, string>[] = [];
  // Only what the public sees: the warm-up never types a name from a dossier's people.
  const words = (doc.record === "dossier" ? publicSubject(doc) : doc.subject)
    ?.toLowerCase().split(/[^a-zà-ù]+/).filter((w) => w.length > 4) ?? [];
  const [w1, w2] = words;
  if (w1) {
    out.push({ q: w1 }, { q: `${w1} ` }, { q: w1.slice(0, 4) });
    // One typo: two letters swapped.
    out.push({ q: w1.slice(0, 2) + w1[3] + w1[2] + w1.slice(4) });
    if (w2) out.push({ q: `${w1} ${w2}` });
    out.push({ q: w1, decade: String(Math.floor(doc.year / 10) * 10) });
  }
  if (doc.record === "dossier") {
    if (w1) out.push({ q: w1, type: doc.type });
    const a = doc.addresses[0];
    if (a) {
      out.push({ q: `${a.street} ${a.civic ?? ""}`.trim() });
      out.push({ q: a.street.replace(/^via /i, "v. ") });
    }
    const c = doc.cadastral[0];
    if (c) out.push({ q: `fg ${c.sheet} part ${c.parcel}${c.sub ? ` sub ${c.sub}` : ""}` });
    out.push({ q: `${doc.type} ${doc.number}/${doc.year}` });
    if (doc.protocolNumber) out.push({ q: `${doc.protocolNumber}/${doc.year}` });
  } else {
    out.push({ q: `${doc.number}/${doc.year}` });
  }
  return out.map((p) => new URLSearchParams(p));
}

/** Up to `n` public records spread over the archive's rows (not its first `n`). */
async function sampleRecords(db: Db, n: number): Promise<RecordDoc[]> {
  const out: RecordDoc[] = [];
  for (
    const [kind, table, share] of [["dossier", "dossiers", 0.8], ["act", "acts", 0.2]] as const
  ) {
    const want = Math.max(1, Math.round(n * share));
    const [span] = await db.all<{ top: number | null }>(
      sql.raw(`SELECT max(rowid) AS top FROM ${table}`),
    );
    const top = span?.top ?? 0;
    if (top === 0) continue;
    const ids: string[] = [];
    for (let i = 0; i < want; i++) {
      const from = Math.floor((top * (i + 0.5)) / want);
      const [row] = await db.all<{ id: string }>(
        sql.raw(
          `SELECT id FROM ${table} WHERE rowid >= ${from} AND restricted = 0 ORDER BY rowid LIMIT 1`,
        ),
      );
      if (row) ids.push(row.id);
    }
    out.push(...await readRecords(db, kind, [...new Set(ids)]));
  }
  return out;
}

/**
 * Asks `fetch` the searches made up from a sample of the archive's records, as full pages and
 * as htmx partials (the second from the answer cache: the partial's own rendering), then
 * empties the caches they filled. Returns how many requests it made, stopping at `budgetMs`.
 * A failed request is skipped: warming up must never keep a kiosk down.
 */
export async function warmSearchPaths(
  fetch: Fetch,
  db: Db,
  index: RecordIndex,
  budgetMs = WARM_BUDGET_MS,
): Promise<number> {
  const deadline = performance.now() + budgetMs;
  let records: RecordDoc[];
  try {
    records = await sampleRecords(db, SAMPLED_RECORDS);
  } catch (error) {
    // The build read the same DB a moment ago; should this read fail, the kiosk starts cold.
    console.error(`riscaldamento della ricerca saltato: ${error}`);
    return 0;
  }
  let asked = 0;
  warming: for (const doc of records) {
    for (const params of searchesFrom(doc)) {
      if (performance.now() > deadline) break warming;
      const variants: [string, HeadersInit][] = [
        [`/cerca?${params}`, {}],
        [`/cerca?${params}`, { "HX-Request": "true" }],
      ];
      for (const [path, headers] of variants) {
        try {
          const res = await fetch(new Request(`http://localhost${path}`, { headers }));
          await res.arrayBuffer();
          asked++;
        } catch {
          // The next one may work; a warm-up is an optimisation only.
        }
      }
    }
  }
  index.cache.clear();
  index.answers.clear();
  index.cards.clear();
  return asked;
}
