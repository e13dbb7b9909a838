/**
 * A generated archive changing as a year of daily syncs changes it: rounds in which a share
 * of the records is edited (subject, civic, a person), deleted or added (a copy under a new id). The compaction
 * test and bench/index_churn_bench.ts write the rounds to a real DB and let the index follow.
 */
import type { Db } from "../db/client.ts";
import { deleteRecords, readRecords, upsertRecords } from "../db/records.ts";
import type { RecordDoc, RecordKind } from "../domain/records.ts";
import { createRng, type Rng } from "./_prng.ts";

/** What one round changes. */
export interface ChurnRound {
  upserts: RecordDoc[];
  deletes: { kind: RecordKind; id: string }[];
}

// Words a revised subject may gain: a real clerk's amendments repeat a small vocabulary.
const AMENDMENTS = [
  "variante",
  "integrazione",
  "rettifica",
  "proroga",
  "voltura",
  "sanatoria",
  "aggiornamento",
  "completamento",
];

/** A record's kind and id: all the churn keeps per record (1M records fit in a few MB). */
export interface RecordKey {
  kind: RecordKind;
  id: string;
}

/** The key of a record. */
export function keyOf(doc: RecordDoc): RecordKey {
  return { kind: doc.record, id: doc.id };
}

/**
 * The rounds that change an archive, deterministic for a seed and the archive's keys. The
 * records themselves are read from the DB when a round picks them, so a 1M-record churn
 * holds ids, not documents.
 */
export class ArchiveChurn {
  #keys: RecordKey[];
  readonly #rng: Rng;
  #round = 0;

  constructor(keys: RecordKey[], seed: number) {
    this.#keys = [...keys];
    this.#rng = createRng(seed);
  }

  /** How many records the archive holds now. */
  get size(): number {
    return this.#keys.length;
  }

  /** A round touching `share` of the records of `db`: 70 % edited, 15 % deleted, 15 % new. */
  async next(db: Db, share: number): Promise<ChurnRound> {
    const round = ++this.#round;
    const rng = this.#rng;
    const n = Math.max(1, Math.round(this.#keys.length * share));
    const picks: { at: number; key: RecordKey; roll: number }[] = [];
    const picked = new Set<string>();
    for (let k = 0; k < n && this.#keys.length > 1; k++) {
      const at = rng.int(0, this.#keys.length - 1);
      const key = this.#keys[at];
      if (!key || picked.has(key.id)) continue;
      picked.add(key.id);
      picks.push({ at, key, roll: rng.next() });
    }
    const docs = new Map<string, RecordDoc>();
    for (const kind of ["dossier", "act"] as const) {
      const ids = picks.flatMap((p) => p.key.kind === kind ? [p.key.id] : []);
      for (const doc of await readRecords(db, kind, ids)) docs.set(doc.id, doc);
    }
    const upserts: RecordDoc[] = [];
    const deletes: ChurnRound["deletes"] = [];
    const gone = new Set<string>();
    for (const { key, roll } of picks) {
      const doc = docs.get(key.id);
      if (!doc) continue;
      if (roll < 0.15) {
        deletes.push(key);
        gone.add(key.id);
      } else if (roll < 0.3) {
        const added = { ...doc, id: `${doc.id}-r${round}`, number: `${doc.number}/${round}` };
        this.#keys.push({ kind: added.record, id: added.id });
        upserts.push(added);
      } else upserts.push(this.#edit(doc, round));
    }
    if (gone.size > 0) this.#keys = this.#keys.filter((k) => !gone.has(k.id));
    return { upserts, deletes };
  }

  #edit(doc: RecordDoc, round: number): RecordDoc {
    const rng = this.#rng;
    const word = rng.pick(AMENDMENTS);
    if (doc.record === "act") return { ...doc, subject: `${doc.subject} ${word} ${round}` };
    const subject = `${doc.subject ?? ""} ${word} ${round}`.trim();
    const addresses = doc.addresses.map((a, i) =>
      i === 0 && rng.chance(0.3) ? { ...a, civic: String(rng.int(1, 120)) } : a
    );
    const people = doc.people.map((p, i) =>
      i === 0 && p.surname && rng.chance(0.2) ? { ...p, surname: `${p.surname}${round}` } : p
    );
    return { ...doc, subject, addresses, people };
  }
}

/** Writes a round to the DB in one transaction, as a sync page of changes would. */
export async function writeChurnRound(db: Db, round: ChurnRound, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    if (round.upserts.length > 0) await upsertRecords(tx, round.upserts, now);
    // Runs of one kind in one batch: the change numbers come out as one by one.
    for (let i = 0; i < round.deletes.length;) {
      const kind = round.deletes[i]?.kind ?? "dossier";
      const ids: string[] = [];
      for (; i < round.deletes.length && round.deletes[i]?.kind === kind; i++) {
        ids.push(round.deletes[i]?.id ?? "");
      }
      await deleteRecords(tx, kind, ids, now);
    }
  });
}

/**
 * Queries of every kind drawn from every `every`-th record: words, prefixes, typos, two
 * words, streets with and without civic, surnames, dossier titles, and the amendments.
 */
export function churnQueries(records: readonly RecordDoc[], every = 397): string[] {
  const out = new Set<string>(["variante", "variante 17", "rettifica 150", "sanatoria", "costr"]);
  records.forEach((doc, i) => {
    if (i % every !== 0) return;
    const words = (doc.subject ?? "").toLowerCase().split(/[^a-zà-ù]+/).filter((w) => w.length > 4);
    const [w1, w2] = words;
    if (w1) out.add(w1).add(w1.slice(0, 4)).add(w1.slice(0, 2) + w1[3] + w1[2] + w1.slice(4));
    if (w1 && w2) out.add(`${w1} ${w2} `);
    if (doc.record === "dossier") {
      const a = doc.addresses[0];
      if (a) out.add(`${a.street} ${a.civic ?? ""}`.trim()).add(a.street);
      const p = doc.people[0];
      if (p?.surname) out.add(p.surname);
      out.add(`${doc.type} ${doc.number}/${doc.year}`);
    }
  });
  return [...out];
}
