/**
 * The distinct combinations of a document's facet values (kind, type, decade, locality,
 * status, act kind, office), numbered: a 1M archive holds a few thousand. Facets are then
 * counted per combination, one read and one increment a hit, and spread over the seven
 * facets once per combination (facets.ts), where reading and counting seven columns a hit
 * took 1.9 ms for a 305k-hit word at 1M (0.4 ms per combination: docs/SEARCH.md, "Seventh
 * round").
 */
import { grownCapacity } from "./growth.ts";

/** The decade number of a year (1957 → 195), as kept per combination. */
export function decadeOf(year: number): number {
  return Math.floor(year / 10);
}

export class FacetCombos {
  readonly #codes = new Map<string, number>();
  #size = 0;
  kind = new Uint8Array(64);
  type = new Uint16Array(64);
  /** decadeOf(year): a decade filter and the decade facet need no more of the year. */
  decade = new Int16Array(64);
  locality = new Uint16Array(64);
  status = new Uint16Array(64);
  actKind = new Uint16Array(64);
  office = new Uint16Array(64);

  get size(): number {
    return this.#size;
  }

  /** The number of this combination of facet codes, numbering it when new. */
  codeOf(
    kind: number,
    type: number,
    decade: number,
    locality: number,
    status: number,
    actKind: number,
    office: number,
  ): number {
    // Every code fits a UTF-16 unit (Uint16 columns; a decade number in Int16, offset to
    // stay positive): the key is exact, and a short string is the cheapest Map key.
    const key = String.fromCharCode(
      kind,
      type,
      (decade + 0x8000) & 0xffff,
      locality,
      status,
      actKind,
      office,
    );
    const known = this.#codes.get(key);
    if (known !== undefined) return known;
    const c = this.#size++;
    if (c === this.kind.length) this.#grow(grownCapacity(c, false));
    this.kind[c] = kind;
    this.type[c] = type;
    this.decade[c] = decade;
    this.locality[c] = locality;
    this.status[c] = status;
    this.actKind[c] = actKind;
    this.office[c] = office;
    this.#codes.set(key, c);
    return c;
  }

  /** Bytes of the per-combination columns and (about) of the key map. */
  bytes(): number {
    return this.kind.length * 15 + this.#size * 80;
  }

  #grow(cap: number): void {
    const grown = <T extends Uint8Array | Uint16Array | Int16Array>(
      a: T,
      make: (n: number) => T,
    ) => {
      const out = make(cap);
      out.set(a);
      return out;
    };
    this.kind = grown(this.kind, (n) => new Uint8Array(n));
    this.type = grown(this.type, (n) => new Uint16Array(n));
    this.decade = grown(this.decade, (n) => new Int16Array(n));
    this.locality = grown(this.locality, (n) => new Uint16Array(n));
    this.status = grown(this.status, (n) => new Uint16Array(n));
    this.actKind = grown(this.actKind, (n) => new Uint16Array(n));
    this.office = grown(this.office, (n) => new Uint16Array(n));
  }
}
