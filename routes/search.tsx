/**
 * The home page and `/cerca`: the same screen, full page or (for htmx) the results partial.
 * Without JavaScript the form is a plain GET to /cerca.
 */
import { type Context, Hono } from "hono";
import { readBasket, readDraft } from "./_kiosk_cookies.ts";
import type { AppDeps } from "../app_deps.ts";
import { dataUpdatedAt } from "./_freshness.ts";
import { recentVocabularies, titleOf, type Vocabularies } from "../db/vocabularies.ts";
import { searchRecords } from "../search/search_records.ts";
import type { SearchResult } from "../search/types.ts";
import { fastSearchQuery, type SearchInput, searchQuery } from "./_search_query.ts";
import { validate } from "./_validate.ts";
import { type PendingRequest, ResultsPartial, SearchPage } from "../views/search.tsx";
import { hasFilters, searchUrl } from "../views/search_url.ts";

// Type facets arrive as codes ("PDC"); a citizen needs the words too.
function withTypeTitles(result: SearchResult, vocab: Vocabularies): SearchResult {
  const type = result.facets.type.map((f) => ({
    ...f,
    label: `${f.value} — ${titleOf(vocab.types, f.value)}`,
  }));
  return { ...result, facets: { ...result.facets, type } };
}

// The request a visitor is putting together, if any, for the banner above the search box.
function pendingRequest(c: Context): PendingRequest | undefined {
  const draft = readDraft(c);
  const records = readBasket(c).length;
  if (records === 0 && !draft) return undefined;
  return { records: Math.max(records, draft?.records.length ?? 0), drafted: draft !== undefined };
}

/**
 * Home and search results: `/` and `/cerca` are the same screen, so a search link shared as
 * `/?q=…` searches too; with nothing asked (no words, no filter) it is the home page.
 */
export function searchRoutes({ db, index, clock, cardReader }: AppDeps): Hono {
  const vocabularies = recentVocabularies(db, clock);
  const query = searchQuery(vocabularies);
  const fast = fastSearchQuery(vocabularies);
  const screen = async (c: Context, { params, vocab }: SearchInput) => {
    // An empty box with no filter asks nothing: show how to search instead of everything.
    const result = params.q || hasFilters(params)
      ? withTypeTitles(await searchRecords(db, index, params, "public", clock, cardReader), vocab)
      : undefined;
    const indexing = !index.state().ready;
    c.header("Vary", "HX-Request");
    if (c.req.header("HX-Request") === "true") {
      // The form would push every empty field; the canonical URL is shorter to share.
      c.header("HX-Push-Url", searchUrl(params));
      return c.html(<ResultsPartial params={params} result={result} indexing={indexing} />);
    }
    return c.html(
      <SearchPage
        params={params}
        result={result}
        indexing={indexing}
        dataUpdatedAt={await dataUpdatedAt(db)}
        pending={pendingRequest(c)}
      />,
    );
  };
  return new Hono()
    .get("/", validate("query", query, { fast }), (c) => screen(c, c.req.valid("query")))
    .get("/cerca", validate("query", query, { fast }), (c) => screen(c, c.req.valid("query")));
}
