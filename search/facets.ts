/**
 * Filters and facet counts over a ranked hit list, on the typed columns: one pass counts
 * every facet as if its own filter were off (so a chosen type still shows the others).
 */
import type { Messages } from "../i18n/it.ts";
import { DOSSIER_STATUS_LABELS } from "../domain/records.ts";
import { type DocTable, KIND_ACT, KIND_DOSSIER, type ValueTable } from "./doc_table.ts";
import type { FacetCombos } from "./facet_combos.ts";
import {
  type FacetCount,
  SearchInputError,
  type SearchParams,
  type SearchResult,
} from "./types.ts";

const FACETS = ["kind", "type", "decade", "locality", "status", "actKind", "office"] as const;
type FacetName = typeof FACETS[number];
const STATUS_LABELS = new Map<string, string>(Object.entries(DOSSIER_STATUS_LABELS));

function codeOf(
  table: ValueTable,
  value: string,
  field: string,
  what: (t: Messages) => string,
): number {
  const code = table.find(value);
  if (code === undefined) {
    const sent = value.slice(0, 40);
    throw new SearchInputError(field, (t) => t.misc.searchInput.notPresent(what(t), sent));
  }
  return code;
}

/**
 * The filters of `params` as plain values compared in one loop (no closure per filter per
 * hit); unknown locality/office → SearchInputError. -1: no filter on that facet (a value
 * never stored: codes are 0 or more), -2: a value none can hold (an unknown type or status).
 */
interface Filters {
  any: boolean;
  kind: number;
  /** Per type code, 1 when chosen; undefined when types are not filtered. */
  types: Uint8Array | undefined;
  /** First year of the chosen decade, or -1. */
  decade: number;
  locality: number;
  status: number;
  actKind: number;
  office: number;
  yearFrom: number;
  yearTo: number;
}

function filtersOf(t: DocTable, params: SearchParams): Filters {
  let types: Uint8Array | undefined;
  if (params.types.length > 0) {
    types = new Uint8Array(t.types.values.length + 1);
    for (const v of params.types) {
      const c = t.types.find(v);
      if (c !== undefined) types[c] = 1;
    }
  }
  const locality = params.locality === undefined ? -1 : codeOf(
    t.localities,
    params.locality,
    "locality",
    (m) => m.misc.searchLabels.locality,
  );
  const office = params.office === undefined
    ? -1
    : codeOf(t.offices, params.office, "office", (m) => m.misc.searchLabels.office);
  const out: Filters = {
    any: false,
    kind: params.kind ? (params.kind === "act" ? KIND_ACT : KIND_DOSSIER) : -1,
    types,
    decade: params.decade ?? -1,
    locality,
    status: params.status === undefined ? -1 : t.statuses.find(params.status) ?? -2,
    actKind: params.actKind === undefined ? -1 : t.actKinds.find(params.actKind) ?? -2,
    office,
    yearFrom: params.yearFrom ?? -Infinity,
    yearTo: params.yearTo ?? Infinity,
  };
  out.any = out.kind !== -1 || types !== undefined || out.decade !== -1 || locality !== -1 ||
    out.status !== -1 || out.actKind !== -1 || office !== -1 ||
    params.yearFrom !== undefined || params.yearTo !== undefined;
  return out;
}

// Counts live in typed arrays indexed by value number: 100k hits × 7 facets in a few ms,
// where Map updates took tens.
interface Counts {
  kind: Int32Array;
  type: Int32Array;
  decade: Int32Array;
  locality: Int32Array;
  status: Int32Array;
  actKind: Int32Array;
  office: Int32Array;
}

// Decades are counted from 1800 (index 0) in steps of ten.
const DECADE_BASE = 1800;

// A year's decade slot is (year - 1800) / 10, years before 1800 in the first: written out
// in the loops below.

// Which facet a hit failed, when it failed exactly one filter: it counts in that facet only.
const F_KIND = 0, F_TYPE = 1, F_DECADE = 2, F_LOCALITY = 3, F_STATUS = 4, F_ACT_KIND = 5;
const F_OFFICE = 6;

// The kept hits and their positions, reused from query to query: the caller copies them at
// their final size (a pair of full-length arrays per filtered query, then their trimmed
// copies, was garbage of 16 bytes a hit).
let keptScratch = new Int32Array(1024);
let keptIndexScratch = new Int32Array(1024);

/**
 * The hits passing every filter, in order, and the facet counts: one pass over the hits,
 * each hit's seven columns read and counted together. `keptIndex` gives each kept hit's
 * position in `docs`; it is absent when nothing was filtered out (position = itself, and
 * `kept` is `docs`). Otherwise `kept` and `keptIndex` are scratch, valid until the next call:
 * copy them before then.
 */
export function filterAndCount(
  t: DocTable,
  docs: Int32Array,
  params: SearchParams,
): { kept: Int32Array; keptIndex?: Int32Array; facets: SearchResult["facets"] } {
  const f = filtersOf(t, params);
  const counts: Counts = {
    kind: new Int32Array(3),
    type: new Int32Array(t.types.values.length),
    decade: new Int32Array(64),
    locality: new Int32Array(t.localities.values.length),
    status: new Int32Array(t.statuses.values.length),
    actKind: new Int32Array(t.actKinds.values.length),
    office: new Int32Array(t.offices.values.length),
  };
  const cKind = counts.kind, cType = counts.type, cDecade = counts.decade;
  const cLocality = counts.locality, cStatus = counts.status, cActKind = counts.actKind;
  const cOffice = counts.office;
  const kind = t.kind, type = t.type, year = t.year, locality = t.locality;
  const status = t.status, actKind = t.actKind, office = t.office;
  const n = docs.length;
  // Per combination when the hits outnumber a quarter of the combinations (the spread over
  // the facets is per combination) and every filter reads as one (a decade is one decade).
  if (
    t.facetsFiled === t.size && n * 4 >= t.combos.size &&
    (f.decade === -1 || f.decade % 10 === 0)
  ) {
    return byCombination(t, docs, f, counts);
  }
  if (!f.any) {
    // Typed arrays ignore a write past their end, as the per-facet counting did (a year
    // past 2439 has no decade slot).
    // The increments are written out, not calls to a helper: with fourteen call sites the
    // helper outgrew V8's inlining budget and its calls were 3 % of a loaded 1M kiosk's
    // query time (a profile of bench/query_paths.ts).
    for (let i = 0; i < n; i++) {
      const d = docs[i] ?? 0;
      const k = (kind[d] ?? 0) + 1, ty = type[d] ?? 0, y = year[d] ?? 0;
      const de = y < DECADE_BASE ? 0 : ((y - DECADE_BASE) / 10) | 0;
      const lo = locality[d] ?? 0, st = status[d] ?? 0, ak = actKind[d] ?? 0;
      const of = office[d] ?? 0;
      cKind[k] = (cKind[k] ?? 0) + 1;
      cType[ty] = (cType[ty] ?? 0) + 1;
      cDecade[de] = (cDecade[de] ?? 0) + 1;
      cLocality[lo] = (cLocality[lo] ?? 0) + 1;
      cStatus[st] = (cStatus[st] ?? 0) + 1;
      cActKind[ak] = (cActKind[ak] ?? 0) + 1;
      cOffice[of] = (cOffice[of] ?? 0) + 1;
    }
    return { kept: docs, facets: labelled(t, counts) };
  }
  if (keptScratch.length < n) {
    keptScratch = new Int32Array(Math.max(n, keptScratch.length * 2));
    keptIndexScratch = new Int32Array(keptScratch.length);
  }
  const kept = keptScratch, keptIndex = keptIndexScratch;
  const fKind = f.kind, fTypes = f.types, fDecade = f.decade, fLocality = f.locality;
  const fStatus = f.status, fActKind = f.actKind, fOffice = f.office;
  const yearFrom = f.yearFrom, yearTo = f.yearTo;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const d = docs[i] ?? 0;
    const y = year[d] ?? 0;
    if (y < yearFrom || y > yearTo) continue;
    const k = kind[d] ?? 0, ty = type[d] ?? 0, lo = locality[d] ?? 0, st = status[d] ?? 0;
    const ak = actKind[d] ?? 0, of = office[d] ?? 0;
    let failures = 0, failed = 0;
    if (fKind !== -1 && k !== fKind) failures++, failed = F_KIND;
    if (fTypes !== undefined && fTypes[ty] !== 1) failures++, failed = F_TYPE;
    if (fDecade !== -1 && (y < fDecade || y >= fDecade + 10)) failures++, failed = F_DECADE;
    if (fLocality !== -1 && lo !== fLocality) failures++, failed = F_LOCALITY;
    if (fStatus !== -1 && st !== fStatus) failures++, failed = F_STATUS;
    if (fActKind !== -1 && ak !== fActKind) failures++, failed = F_ACT_KIND;
    if (fOffice !== -1 && of !== fOffice) failures++, failed = F_OFFICE;
    if (failures === 0) {
      kept[m] = d;
      keptIndex[m++] = i;
      const de = y < DECADE_BASE ? 0 : ((y - DECADE_BASE) / 10) | 0;
      cKind[k + 1] = (cKind[k + 1] ?? 0) + 1;
      cType[ty] = (cType[ty] ?? 0) + 1;
      cDecade[de] = (cDecade[de] ?? 0) + 1;
      cLocality[lo] = (cLocality[lo] ?? 0) + 1;
      cStatus[st] = (cStatus[st] ?? 0) + 1;
      cActKind[ak] = (cActKind[ak] ?? 0) + 1;
      cOffice[of] = (cOffice[of] ?? 0) + 1;
    } else if (failures === 1) {
      if (failed === F_KIND) cKind[k + 1] = (cKind[k + 1] ?? 0) + 1;
      else if (failed === F_TYPE) cType[ty] = (cType[ty] ?? 0) + 1;
      else if (failed === F_DECADE) {
        const de = y < DECADE_BASE ? 0 : ((y - DECADE_BASE) / 10) | 0;
        cDecade[de] = (cDecade[de] ?? 0) + 1;
      } else if (failed === F_LOCALITY) cLocality[lo] = (cLocality[lo] ?? 0) + 1;
      else if (failed === F_STATUS) cStatus[st] = (cStatus[st] ?? 0) + 1;
      else if (failed === F_ACT_KIND) cActKind[ak] = (cActKind[ak] ?? 0) + 1;
      else cOffice[of] = (cOffice[of] ?? 0) + 1;
    }
  }
  return {
    kept: kept.subarray(0, m),
    keptIndex: keptIndex.subarray(0, m),
    facets: labelled(t, counts),
  };
}

// Per combination: PASSED, FAILED_MANY, or the one facet (F_KIND…) a combination fails.
const PASSED = 255, FAILED_MANY = 254;

// Hits per combination, reused from query to query (zeroed for each).
let perCombination = new Int32Array(1024);

/**
 * filterAndCount on the combinations of facet values (facet_combos.ts): each combination's
 * verdict once, then per hit one read of its combination, a count and (filtered) its verdict;
 * the counts are spread over the facets once per combination. The same counts as the per
 * column loops (tests/search_query_cpu_test.ts holds both to one reference).
 */
function byCombination(
  t: DocTable,
  docs: Int32Array,
  f: Filters,
  counts: Counts,
): { kept: Int32Array; keptIndex?: Int32Array; facets: SearchResult["facets"] } {
  const combos = t.combos, size = combos.size, combo = t.combo, n = docs.length;
  if (perCombination.length < size) perCombination = new Int32Array(size * 2);
  const hits = perCombination;
  hits.fill(0, 0, size);
  const verdict = f.any ? verdicts(combos, f) : undefined;
  let kept = docs, keptIndex: Int32Array | undefined;
  if (!verdict) {
    for (let i = 0; i < n; i++) {
      const c = combo[docs[i] ?? 0] ?? 0;
      hits[c] = (hits[c] ?? 0) + 1;
    }
  } else {
    if (keptScratch.length < n) {
      keptScratch = new Int32Array(Math.max(n, keptScratch.length * 2));
      keptIndexScratch = new Int32Array(keptScratch.length);
    }
    const keep = keptScratch, keepIndex = keptIndexScratch, year = t.year;
    const yearFrom = f.yearFrom, yearTo = f.yearTo;
    const inRange = yearFrom !== -Infinity || yearTo !== Infinity;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const d = docs[i] ?? 0;
      if (inRange) {
        // Outside the years: not counted in any facet, as in the per-column loop.
        const y = year[d] ?? 0;
        if (y < yearFrom || y > yearTo) continue;
      }
      const c = combo[d] ?? 0;
      hits[c] = (hits[c] ?? 0) + 1;
      if (verdict[c] === PASSED) {
        keep[m] = d;
        keepIndex[m++] = i;
      }
    }
    kept = keep.subarray(0, m);
    keptIndex = keepIndex.subarray(0, m);
  }
  const cKind = counts.kind, cType = counts.type, cDecade = counts.decade;
  const cLocality = counts.locality, cStatus = counts.status, cActKind = counts.actKind;
  const cOffice = counts.office;
  for (let c = 0; c < size; c++) {
    const h = hits[c] ?? 0;
    if (h === 0) continue;
    const v = verdict ? verdict[c] ?? PASSED : PASSED;
    if (v === FAILED_MANY) continue;
    const dn = combos.decade[c] ?? 0;
    // The per-column loop's slot: years before 1800 in the first; past the last, not counted
    // (typed arrays ignore a write past their end).
    const de = dn < DECADE_BASE / 10 ? 0 : dn - DECADE_BASE / 10;
    const k = (combos.kind[c] ?? 0) + 1, ty = combos.type[c] ?? 0;
    const lo = combos.locality[c] ?? 0, st = combos.status[c] ?? 0;
    const ak = combos.actKind[c] ?? 0, of = combos.office[c] ?? 0;
    if (v === PASSED || v === F_KIND) cKind[k] = (cKind[k] ?? 0) + h;
    if (v === PASSED || v === F_TYPE) cType[ty] = (cType[ty] ?? 0) + h;
    if (v === PASSED || v === F_DECADE) cDecade[de] = (cDecade[de] ?? 0) + h;
    if (v === PASSED || v === F_LOCALITY) cLocality[lo] = (cLocality[lo] ?? 0) + h;
    if (v === PASSED || v === F_STATUS) cStatus[st] = (cStatus[st] ?? 0) + h;
    if (v === PASSED || v === F_ACT_KIND) cActKind[ak] = (cActKind[ak] ?? 0) + h;
    if (v === PASSED || v === F_OFFICE) cOffice[of] = (cOffice[of] ?? 0) + h;
  }
  const facets = labelled(t, counts);
  return keptIndex ? { kept, keptIndex, facets } : { kept, facets };
}

/** What each combination makes of the filters of `f` (all but the years: a hit's own). */
function verdicts(combos: FacetCombos, f: Filters): Uint8Array {
  const out = new Uint8Array(combos.size);
  const fTypes = f.types, fDecade = f.decade;
  for (let c = 0; c < out.length; c++) {
    let failures = 0, failed = PASSED;
    if (f.kind !== -1 && combos.kind[c] !== f.kind) failures++, failed = F_KIND;
    if (fTypes !== undefined && fTypes[combos.type[c] ?? 0] !== 1) failures++, failed = F_TYPE;
    if (fDecade !== -1 && (combos.decade[c] ?? 0) * 10 !== fDecade) failures++, failed = F_DECADE;
    if (f.locality !== -1 && combos.locality[c] !== f.locality) {
      failures++, failed = F_LOCALITY;
    }
    if (f.status !== -1 && combos.status[c] !== f.status) failures++, failed = F_STATUS;
    if (f.actKind !== -1 && combos.actKind[c] !== f.actKind) failures++, failed = F_ACT_KIND;
    if (f.office !== -1 && combos.office[c] !== f.office) failures++, failed = F_OFFICE;
    out[c] = failures > 1 ? FAILED_MANY : failed;
  }
  return out;
}

function list(counts: Int32Array, label: (v: number) => [string, string]): FacetCount[] {
  const out: FacetCount[] = [];
  // Value 0 means "none" (no type on an act, no locality…): not a facet value.
  for (let v = 1; v < counts.length; v++) {
    const count = counts[v] ?? 0;
    if (count === 0) continue;
    const [value, text] = label(v);
    out.push({ value, label: text, count });
  }
  return out.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, "it"));
}

function labelled(t: DocTable, c: Counts): SearchResult["facets"] {
  const named = (table: ValueTable) => (v: number): [string, string] => {
    const s = table.values[v] ?? "";
    return [s, s];
  };
  return {
    kind: list(
      c.kind,
      (v) => v - 1 === KIND_ACT ? ["act", "Atti"] : ["dossier", "Pratiche edilizie"],
    ),
    type: list(c.type, named(t.types)),
    decade: list(c.decade, (v) => {
      const from = DECADE_BASE + v * 10;
      return [String(from), `${from}–${from + 9}`];
    })
      .sort((a, b) => Number(b.value) - Number(a.value)),
    locality: list(c.locality, named(t.localities)),
    status: list(c.status, (v) => {
      const s = t.statuses.values[v] ?? "";
      return [s, STATUS_LABELS.get(s) ?? s];
    }),
    actKind: list(c.actKind, (v) => {
      const s = t.actKinds.values[v] ?? "";
      return [s, t.actKindTitles.get(s) ?? s];
    }),
    office: list(c.office, named(t.offices)),
  };
}
