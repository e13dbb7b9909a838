/** The search API's shapes and the validation of its URL parameters. */
import { cleanLine } from "../domain/plain_text.ts";
import { DOSSIER_STATUSES } from "../domain/records.ts";
import { type LocalText, UserFacingError } from "../domain/user_facing_error.ts";
import type { Messages } from "../i18n/it.ts";

/** A validated search request (see parseSearchParams). */
export interface SearchParams {
  q: string;
  kind?: "dossier" | "act";
  types: string[];
  decade?: number;
  yearFrom?: number;
  yearTo?: number;
  locality?: string;
  status?: string;
  actKind?: string;
  office?: string;
  sort: "relevance" | "number";
  page: number;
  perPage: number;
}

/** One result as the public may see it. */
export interface PublicHit {
  kind: "dossier" | "act";
  id: string;
  /** e.g. "CE 452/1987" or "Delibera di Consiglio n. 34/2019". */
  title: string;
  /** The public subject. */
  subject: string;
  year: number;
  type?: string;
  status?: string;
  series?: string;
  protocol?: string;
  addresses: { street: string; civic?: string; locality?: string; historic?: boolean }[];
  cadastral: string[];
  actKind?: string;
  office?: string;
  date?: string;
  /** Matched words, for <mark>. */
  highlights: string[];
  matchedBy: "identifier" | "address" | "text";
}

/** One value of a facet with how many results carry it. */
export interface FacetCount {
  value: string;
  label: string;
  count: number;
}

/**
 * Where a search's time went, step by step (`lookup`, `rank`, `view`, `cards`): a route
 * passes its Server-Timing (routes/_server_timing.ts) so a benchmark over HTTP sees the split.
 */
export interface StepMarks {
  mark(step: string): void;
}

/** A page of results with facet counts over the whole result set. */
export interface SearchResult {
  total: number;
  page: number;
  perPage: number;
  hits: PublicHit[];
  facets: {
    kind: FacetCount[];
    type: FacetCount[];
    decade: FacetCount[];
    locality: FacetCount[];
    status: FacetCount[];
    actKind: FacetCount[];
    office: FacetCount[];
  };
  /** How an identifier query was read, e.g. "Protocollo 1234 del 1987". */
  interpretation?: string;
}

/**
 * Bad search input, with a message a person can act on (from the catalogue, so in the
 * request's language) and the offending field.
 */
export class SearchInputError extends UserFacingError {
  constructor(field: string, message: string | LocalText) {
    super(message, { status: 400, field });
    this.name = "SearchInputError";
  }
}

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 200;
/** Most results per page. */
export const MAX_PER_PAGE = 100;
/** Results per page unless the URL says otherwise. */
export const DEFAULT_PER_PAGE = 20;

// A parameter's name in messages, from the catalogue's `misc.searchLabels`.
type Label = keyof Messages["misc"]["searchLabels"];

function intParam(query: URLSearchParams, name: string, label: Label): number | undefined {
  const raw = query.get(name)?.trim();
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d{1,9}$/.test(raw)) {
    const sent = raw.slice(0, 20);
    throw new SearchInputError(
      name,
      (t) => t.misc.searchInput.notInteger(t.misc.searchLabels[label], sent),
    );
  }
  return Number(raw);
}

function yearParam(query: URLSearchParams, name: string, label: Label): number | undefined {
  const y = intParam(query, name, label);
  if (y !== undefined && (y < 1800 || y > 2200)) {
    throw new SearchInputError(name, (t) => t.misc.searchInput.notYear(t.misc.searchLabels[label]));
  }
  return y;
}

function textParam(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name)?.trim();
  return raw === undefined || raw === "" ? undefined : raw;
}

/**
 * Parse & validate URL query params (q, kind, type (repeatable), decade, year_from, year_to,
 * locality, status, act_kind, office, sort, page, per_page). Unknown filter values, page < 1,
 * per_page > 100, q > 200 chars → SearchInputError. (A page beyond the last is checked by
 * searchRecords, once the total is known.)
 */
export function parseSearchParams(
  query: URLSearchParams,
  vocab: { types: string[]; actKinds: string[] },
): SearchParams {
  // Not stored, but shown back on the page and logged: the same text rule as any input.
  const q = cleanLine(query.get("q") ?? "").trim();
  if (q.length > MAX_QUERY_LENGTH) {
    throw new SearchInputError(
      "q",
      (t) => t.misc.searchInput.queryTooLong(q.length, MAX_QUERY_LENGTH),
    );
  }
  const kindRaw = textParam(query, "kind");
  if (kindRaw !== undefined && kindRaw !== "dossier" && kindRaw !== "act") {
    throw new SearchInputError("kind", (t) => t.misc.searchInput.badKind);
  }
  const types = query.getAll("type").map((t) => t.trim().toUpperCase()).filter((t) => t !== "");
  const knownTypes = new Set(vocab.types.map((t) => t.toUpperCase()));
  for (const t of types) {
    if (!knownTypes.has(t)) {
      const sent = t.slice(0, 20);
      throw new SearchInputError(
        "type",
        (m) => m.misc.searchInput.unknownType(sent, vocab.types.join(", ")),
      );
    }
  }
  const decade = yearParam(query, "decade", "decade");
  if (decade !== undefined && decade % 10 !== 0) {
    throw new SearchInputError("decade", (t) => t.misc.searchInput.decadeStart);
  }
  const yearFrom = yearParam(query, "year_from", "yearFrom");
  const yearTo = yearParam(query, "year_to", "yearTo");
  if (yearFrom !== undefined && yearTo !== undefined && yearFrom > yearTo) {
    throw new SearchInputError("year_from", (t) => t.misc.searchInput.yearsReversed);
  }
  const status = textParam(query, "status");
  if (status !== undefined && !DOSSIER_STATUSES.some((s) => s === status)) {
    const sent = status.slice(0, 20);
    throw new SearchInputError("status", (t) => t.misc.searchInput.unknownStatus(sent));
  }
  const actKind = textParam(query, "act_kind");
  if (actKind !== undefined && !vocab.actKinds.includes(actKind)) {
    const sent = actKind.slice(0, 20);
    throw new SearchInputError(
      "act_kind",
      (t) => t.misc.searchInput.unknownActKind(sent, vocab.actKinds.join(", ")),
    );
  }
  const sortRaw = textParam(query, "sort") ?? "relevance";
  if (sortRaw !== "relevance" && sortRaw !== "number") {
    throw new SearchInputError("sort", (t) => t.misc.searchInput.badSort);
  }
  const page = intParam(query, "page", "page") ?? 1;
  if (page < 1) throw new SearchInputError("page", (t) => t.misc.searchInput.badPage);
  const perPage = intParam(query, "per_page", "perPage") ?? DEFAULT_PER_PAGE;
  if (perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new SearchInputError("per_page", (t) => t.misc.searchInput.perPageRange(MAX_PER_PAGE));
  }
  const locality = textParam(query, "locality");
  const office = textParam(query, "office");
  return {
    q,
    ...(kindRaw !== undefined ? { kind: kindRaw } : {}),
    types,
    ...(decade !== undefined ? { decade } : {}),
    ...(yearFrom !== undefined ? { yearFrom } : {}),
    ...(yearTo !== undefined ? { yearTo } : {}),
    ...(locality !== undefined ? { locality } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(actKind !== undefined ? { actKind } : {}),
    ...(office !== undefined ? { office } : {}),
    sort: sortRaw,
    page,
    perPage,
  };
}

/** Which records a search may see. */
export type Audience = "public" | "clerk";
