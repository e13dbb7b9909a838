/** URLs of a search: the same query-string names the form and the JSON API use. */
import { DEFAULT_PER_PAGE, type SearchParams } from "../search/types.ts";

/** The query string of a search, with `changes` applied (page links, facet links). */
export function searchQuery(params: SearchParams, changes: Partial<SearchParams> = {}): string {
  const p = { ...params, ...changes };
  const out = new URLSearchParams();
  if (p.q) out.set("q", p.q);
  if (p.kind) out.set("kind", p.kind);
  for (const t of p.types) out.append("type", t);
  if (p.decade !== undefined) out.set("decade", String(p.decade));
  if (p.yearFrom !== undefined) out.set("year_from", String(p.yearFrom));
  if (p.yearTo !== undefined) out.set("year_to", String(p.yearTo));
  if (p.locality) out.set("locality", p.locality);
  if (p.status) out.set("status", p.status);
  if (p.actKind) out.set("act_kind", p.actKind);
  if (p.office) out.set("office", p.office);
  if (p.sort !== "relevance") out.set("sort", p.sort);
  if (p.page !== 1) out.set("page", String(p.page));
  if (p.perPage !== DEFAULT_PER_PAGE) out.set("per_page", String(p.perPage));
  return out.toString();
}

/** `/cerca?…` for these params. */
export function searchUrl(params: SearchParams, changes: Partial<SearchParams> = {}): string {
  const query = searchQuery(params, changes);
  return query ? `/cerca?${query}` : "/cerca";
}

/** The page of a record: `/pratiche/ID` or `/atti/ID`. */
export function recordUrl(kind: "dossier" | "act", id: string): string {
  return `${kind === "dossier" ? "/pratiche" : "/atti"}/${encodeURIComponent(id)}`;
}

/** Whether any filter (beyond the text) narrows this search. */
export function hasFilters(p: SearchParams): boolean {
  return p.kind !== undefined || p.types.length > 0 || p.decade !== undefined ||
    p.yearFrom !== undefined || p.yearTo !== undefined || p.locality !== undefined ||
    p.status !== undefined || p.actKind !== undefined || p.office !== undefined;
}
