/**
 * Per-document values the search filters, counts and sorts on, in typed arrays indexed by
 * an internal doc number: counting facets over 100k hits walks arrays, not objects.
 */

import { decadeOf, FacetCombos } from "./facet_combos.ts";
import { grownCapacity } from "./growth.ts";
import { DOC_NUMBER_LIMIT } from "./ranking.ts";

/** Codes a facet column holds (Uint16Array): a value past them is filed as none, loudly. */
export const VALUE_CODE_LIMIT = 2 ** 16;

/** Distinct string values of one facet, numbered from 1 (0 = none). */
export class ValueTable {
  readonly values: string[] = [""];
  readonly #index = new Map<string, number>();
  #warned = false;
  /** The number of `value`, adding it when new; 0 for undefined (and past the limit). */
  code(value: string | undefined): number {
    if (value === undefined || value === "") return 0;
    let c = this.#index.get(value);
    if (c === undefined) {
      if (this.values.length >= VALUE_CODE_LIMIT) {
        // A wrapped code would file the record under another value; none is only a gap.
        if (!this.#warned) {
          console.error(
            `indice: più di ${VALUE_CODE_LIMIT - 1} valori distinti in un filtro ` +
              `("${value.slice(0, 40)}" e i successivi restano senza valore nei filtri)`,
          );
          this.#warned = true;
        }
        return 0;
      }
      c = this.values.length;
      this.values.push(value);
      this.#index.set(value, c);
    }
    return c;
  }
  /** The number of `value` when known (case-insensitive fallback), else undefined. */
  find(value: string): number | undefined {
    const exact = this.#index.get(value);
    if (exact !== undefined) return exact;
    const lower = value.toLowerCase();
    const i = this.values.findIndex((v, n) => n > 0 && v.toLowerCase() === lower);
    return i > 0 ? i : undefined;
  }
}

/** Kinds of record, as stored in `kind`. */
export const KIND_DOSSIER = 0;
/** An act, as stored in `kind`. */
export const KIND_ACT = 1;

/**
 * Doc numbers ran out: updates take new numbers, and compaction (compaction.ts) could not
 * free enough of them. Nothing is half-added; the index needs a rebuild (a restart).
 */
export class DocNumbersExhausted extends Error {
  constructor(limit: number) {
    super(
      `indice: raggiunto il limite di ${limit} numeri di documento anche dopo la ` +
        `compattazione; le modifiche successive non entrano nella ricerca finché il ` +
        `servizio non viene riavviato (l'indice si ricostruisce all'avvio)`,
    );
    this.name = "DocNumbersExhausted";
  }
}

/**
 * The per-document columns; arrays grow as documents are added: doubling while built, by an
 * sixteenth once settled (growth.ts).
 */
export class DocTable {
  /** Doc numbers never reach this: the sort keys hold DOC_NUMBER_LIMIT (tests lower it). */
  readonly limit: number;
  size = 0;
  ids: string[] = [];
  numbers: string[] = [];
  kind = new Uint8Array(1024);
  /** 1 when the record is live and not restricted: the only documents public search sees. */
  publicAlive = new Uint8Array(1024);
  /** 1 when the record is live (restricted included): clerk search. */
  clerkAlive = new Uint8Array(1024);
  year = new Int16Array(1024);
  type = new Uint16Array(1024);
  status = new Uint16Array(1024);
  locality = new Uint16Array(1024);
  actKind = new Uint16Array(1024);
  office = new Uint16Array(1024);
  series = new Uint16Array(1024);
  numberInt = new Float64Array(1024);
  /** Each document's combination of facet values (facet_combos.ts), once filed. */
  combo = new Uint32Array(1024);
  readonly combos = new FacetCombos();
  #facetsFiled = 0;
  readonly types = new ValueTable();
  readonly statuses = new ValueTable();
  readonly localities = new ValueTable();
  readonly actKinds = new ValueTable();
  /**
   * Act kinds' titles from the admin-kept vocabulary (act_kinds), read at each build: the one
   * source of "Delibera di Giunta" on cards, facets and interpretations.
   */
  readonly actKindTitles = new Map<string, string>();
  readonly offices = new ValueTable();
  readonly seriesNames = new ValueTable();

  constructor(limit = DOC_NUMBER_LIMIT) {
    this.limit = Math.min(limit, DOC_NUMBER_LIMIT);
  }

  /** Whether a new doc number can be allocated (addDoc checks before touching anything). */
  get full(): boolean {
    return this.size >= this.limit;
  }

  /** A new doc number with room in every column; refuses past the limit. */
  allocate(): number {
    if (this.full) throw new DocNumbersExhausted(this.limit);
    if (this.size === this.kind.length) {
      this.#grow(grownCapacity(this.size, this.#settled, 1024));
    }
    return this.size++;
  }

  #settled = false;

  /**
   * Files doc `d`'s combination of facet values, from its columns as written (they are
   * written once per doc number). Docs are filed in number order; the combinations are used
   * only while every doc is filed (facetsFiled === size), so a doc whose columns were set
   * without this call is counted column by column, never from a stale combination.
   */
  fileFacets(d: number): void {
    if (d !== this.#facetsFiled) return;
    this.combo[d] = this.combos.codeOf(
      this.kind[d] ?? 0,
      this.type[d] ?? 0,
      decadeOf(this.year[d] ?? 0),
      this.locality[d] ?? 0,
      this.status[d] ?? 0,
      this.actKind[d] ?? 0,
      this.office[d] ?? 0,
    );
    this.#facetsFiled++;
  }

  /** How many docs, from number 0 on, have their combination filed. */
  get facetsFiled(): number {
    return this.#facetsFiled;
  }

  /** After a build or a compaction: later documents come a sync at a time (growth.ts). */
  settle(): void {
    this.#settled = true;
  }

  /** Bytes of the typed columns (their capacity) and of the id/number string slots (8 each). */
  bytes(): number {
    const typed = [
      this.kind,
      this.publicAlive,
      this.clerkAlive,
      this.year,
      this.type,
      this.status,
      this.locality,
      this.actKind,
      this.office,
      this.series,
      this.numberInt,
      this.combo,
    ].reduce((n, a) => n + a.byteLength, 0);
    return typed + this.combos.bytes() + 8 * (this.ids.length + this.numbers.length);
  }

  #grow(cap: number): void {
    const u8 = (a: Uint8Array) => copyInto(new Uint8Array(cap), a);
    const u16 = (a: Uint16Array) => copyInto(new Uint16Array(cap), a);
    this.kind = u8(this.kind);
    this.publicAlive = u8(this.publicAlive);
    this.clerkAlive = u8(this.clerkAlive);
    this.year = copyInto(new Int16Array(cap), this.year);
    this.type = u16(this.type);
    this.status = u16(this.status);
    this.locality = u16(this.locality);
    this.actKind = u16(this.actKind);
    this.office = u16(this.office);
    this.series = u16(this.series);
    this.numberInt = copyInto(new Float64Array(cap), this.numberInt);
    this.combo = copyInto(new Uint32Array(cap), this.combo);
  }
}

function copyInto<T extends { set(source: ArrayLike<number>): void }>(
  target: T,
  source: ArrayLike<number>,
): T {
  target.set(source);
  return target;
}

/**
 * (series, year, number) order with numbers numeric and their exponent after
 * (`9` < `10` < `10/bis`), on doc numbers.
 */
export function compareByNumber(t: DocTable, a: number, b: number): number {
  const sa = t.seriesNames.values[t.series[a] ?? 0] ?? "";
  const sb = t.seriesNames.values[t.series[b] ?? 0] ?? "";
  if (sa !== sb) return sa < sb ? -1 : 1;
  const y = (t.year[a] ?? 0) - (t.year[b] ?? 0);
  if (y !== 0) return y;
  const n = (t.numberInt[a] ?? 0) - (t.numberInt[b] ?? 0);
  if (n !== 0) return n;
  const na = t.numbers[a] ?? "", nb = t.numbers[b] ?? "";
  return na.length - nb.length || (na < nb ? -1 : na > nb ? 1 : 0);
}
