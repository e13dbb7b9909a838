/**
 * Judges answers: reads the returned records from the DB and asks each query whether its
 * top hit, and any of its 20 hits, is a right one; then sums it all up per query kind.
 */
import type { Db } from "../db/client.ts";
import { readRecords } from "../db/records.ts";
import type { RecordDoc, RecordKind } from "../domain/records.ts";
import { type LatencySummary, summarize } from "./_measure.ts";
import { QUERY_KINDS, type QueryCase, type QueryKind } from "./_queries.ts";

/** One engine's answer to one query (hits undefined: the engine could not pose it). */
export interface Outcome {
  c: QueryCase;
  ms: number;
  hits: { kind: RecordKind; id: string }[] | undefined;
  ok: boolean;
}

/** Per query kind: latency and how often the right record came first / within 20. */
export interface KindFigures extends LatencySummary {
  kind: QueryKind;
  /** Share (0–100) of queries whose top hit is right. */
  top1: number;
  /** Share (0–100) of queries with a right hit among the 20 returned. */
  top20: number;
  errors: number;
}

/** Loads every record any outcome returned, in chunks, keyed `kind:id`. */
export async function loadReturned(db: Db, outcomes: Outcome[]): Promise<Map<string, RecordDoc>> {
  const wanted = new Map<RecordKind, Set<string>>([["dossier", new Set()], ["act", new Set()]]);
  for (const o of outcomes) for (const h of o.hits ?? []) wanted.get(h.kind)?.add(h.id);
  const out = new Map<string, RecordDoc>();
  for (const [kind, ids] of wanted) {
    const all = [...ids];
    for (let i = 0; i < all.length; i += 500) {
      for (const doc of await readRecords(db, kind, all.slice(i, i + 500))) {
        out.set(`${kind}:${doc.id}`, doc);
      }
    }
  }
  return out;
}

/** Latency and right-hit rates per kind, over the outcomes of one engine. */
export function judge(outcomes: Outcome[], docs: Map<string, RecordDoc>): KindFigures[] {
  const right = (o: Outcome, h: { kind: RecordKind; id: string } | undefined) => {
    const doc = h && docs.get(`${h.kind}:${h.id}`);
    return doc !== undefined && o.c.accept(doc);
  };
  const pct = (n: number, of: number) => (of === 0 ? Number.NaN : Math.round((n / of) * 1000) / 10);
  return QUERY_KINDS.flatMap((kind) => {
    const mine = outcomes.filter((o) => o.c.kind === kind);
    if (mine.length === 0) return [];
    const posed = mine.filter((o) => o.ok && o.hits !== undefined);
    const top1 = mine.filter((o) => right(o, o.hits?.[0])).length;
    const top20 = mine.filter((o) => (o.hits ?? []).some((h) => right(o, h))).length;
    return [{
      kind,
      ...summarize(posed.map((o) => o.ms)),
      top1: pct(top1, mine.length),
      top20: pct(top20, mine.length),
      errors: mine.filter((o) => !o.ok).length,
    }];
  });
}

/** The queries of a kind whose top hit was wrong, for the log (a few per kind). */
export function misses(outcomes: Outcome[], docs: Map<string, RecordDoc>, perKind = 3): string[] {
  const out: string[] = [];
  for (const kind of QUERY_KINDS) {
    const wrong = outcomes.filter((o) => {
      const h = o.hits?.[0];
      const doc = h && docs.get(`${h.kind}:${h.id}`);
      return o.c.kind === kind && !(doc && o.c.accept(doc));
    });
    for (const o of wrong.slice(0, perKind)) {
      const filters = Object.keys(o.c.filters).length ? ` ${JSON.stringify(o.c.filters)}` : "";
      out.push(`${kind}: "${o.c.q}"${filters} → ${o.hits?.[0]?.id ?? "(nessun risultato)"}`);
    }
  }
  return out;
}
