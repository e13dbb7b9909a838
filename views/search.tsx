/**
 * The search screen: one big box, results that update while typing (htmx), facets, paging.
 * `Results` is the partial htmx swaps into #results; the full page renders the same.
 */
import type { FC } from "hono/jsx";
import { DEFAULT_PER_PAGE, type SearchParams, type SearchResult } from "../search/types.ts";
import { EmptyResults, ExampleList } from "./empty.tsx";
import { Facets } from "./facets.tsx";
import { Layout } from "./layout.tsx";
import { ResultCard } from "./result_card.tsx";
import { hasFilters, searchQuery, searchUrl } from "./search_url.ts";
import { iconUrl } from "./assets.ts";
import { useI18n } from "../i18n/context.tsx";
import { it, type Messages } from "../i18n/it.ts";

// "Numero 452 del 1987" reads on after "Cercato come"; an acronym ("CE 452/1987") stays.
function lowerFirst(s: string): string {
  return /^\p{Lu}\p{Ll}/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/**
 * "3 risultati" / "1 risultato" / "Nessun risultato per «q»" / "" before any search: the
 * results heading, and what the live region announces. Nothing found is said once, in words
 * ("0 risultati" above "Nessun risultato" said it twice).
 */
export function countText(
  result: SearchResult | undefined,
  t: Messages = it,
  q = "",
): string {
  if (!result) return "";
  if (result.total === 0) return q ? t.examples.noResultsFor(q) : t.examples.noResults;
  return t.search.resultCount(result.total);
}

// Screen readers hear the new count after each live update, without re-reading the page.
const CountAnnouncer: FC<{ result: SearchResult | undefined; q: string; oob?: boolean }> = (
  { result, q, oob },
) => (
  <p
    id="results-announce"
    class="visually-hidden"
    role="status"
    hx-swap-oob={oob ? "true" : undefined}
  >
    {countText(result, useI18n().t, q)}
  </p>
);

const Pager: FC<{ params: SearchParams; total: number }> = ({ params, total }) => {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / params.perPage));
  if (pages <= 1) return null;
  const link = (page: number, label: string, rel: string) => (
    <li class="page-item">
      <a
        class="page-link"
        href={searchUrl(params, { page })}
        hx-get={searchUrl(params, { page })}
        hx-target="#results"
        hx-push-url="true"
        rel={rel}
      >
        {label}
      </a>
    </li>
  );
  return (
    <nav class="pagination-wrapper" aria-label={t.search.pagesLabel}>
      <ul class="pagination">
        {params.page > 1 ? link(params.page - 1, t.search.previousPage, "prev") : null}
        <li class="page-item">
          <span class="page-link" aria-current="page">{t.search.pageOf(params.page, pages)}</span>
        </li>
        {params.page < pages ? link(params.page + 1, t.search.nextPage, "next") : null}
      </ul>
    </nav>
  );
};

const SortSelect: FC<{ params: SearchParams }> = ({ params }) => {
  const { t } = useI18n();
  return (
    <div class="sort-select">
      <label for="sort">{t.search.sortBy}</label>
      <select id="sort" name="sort" class="form-select">
        <option value="relevance" selected={params.sort === "relevance"}>
          {t.search.sortRelevance}
        </option>
        <option value="number" selected={params.sort === "number"}>{t.search.sortNumber}</option>
      </select>
    </div>
  );
};

/** What the result region shows; `indexing` while the search index is still being built. */
export interface ResultsProps {
  params: SearchParams;
  result: SearchResult | undefined;
  indexing?: boolean;
}

const IndexingNotice: FC = () => (
  <div class="alert alert-info" role="note">
    {useI18n().t.search.indexing}
  </div>
);

/** The result region: count, interpretation, facets, cards, paging (or the empty page). */
export const Results: FC<ResultsProps> = ({ params, result, indexing }) => {
  const { t } = useI18n();
  if (!result) {
    return (
      <div class="search-intro">
        <h2 class="h4">{t.search.howTo}</h2>
        <p>{t.search.howToIntro}</p>
        <ExampleList />
      </div>
    );
  }
  const filtered = hasFilters(params);
  // Nothing found and no filter to take off: no filters or sort to puzzle over, only the
  // advice (the sort box stays in the form, hidden, so the next search keeps the order).
  const bare = result.total === 0 && !filtered;
  return (
    <div class="row">
      {bare ? null : (
        <div class="col-lg-3 order-2 order-lg-1">
          <Facets params={params} facets={result.facets} />
        </div>
      )}
      <div class={bare ? "col-12" : "col-lg-9 order-1 order-lg-2"}>
        <div class="results-head">
          <h2 class="h4" id="results-count" tabindex={-1}>
            {countText(result, t, params.q)}
          </h2>
          {result.total === 0
            ? (
              <div hidden>
                <SortSelect params={params} />
              </div>
            )
            : <SortSelect params={params} />}
        </div>
        {indexing ? <IndexingNotice /> : null}
        {result.interpretation
          ? <p class="interpretation">{t.search.searchedAs} {lowerFirst(result.interpretation)}</p>
          : null}
        {result.total === 0 ? <EmptyResults params={params} filtered={filtered} /> : (
          <>
            <ol class="results list-unstyled" start={(params.page - 1) * params.perPage + 1}>
              {result.hits.map((hit) => (
                // The search rides along, so the record page can lead back to this very page.
                <ResultCard key={`${hit.kind}:${hit.id}`} hit={hit} search={searchQuery(params)} />
              ))}
            </ol>
            <Pager params={params} total={result.total} />
          </>
        )}
      </div>
    </div>
  );
};

/** An htmx answer: the results, and an out-of-band empty #messages to clear an old error. */
export const ResultsPartial: FC<ResultsProps> = (props) => (
  <>
    <Results {...props} />
    <div id="messages" role="status" aria-live="polite" hx-swap-oob="true"></div>
    <CountAnnouncer result={props.result} q={props.params.q} oob />
  </>
);

/** A request being put together: how many records, and whether the form was started. */
export interface PendingRequest {
  records: number;
  drafted: boolean;
}

// The basket in sight on the search screen, with the way back to the form.
const PendingBanner: FC<{ pending: PendingRequest }> = ({ pending }) => {
  const { t } = useI18n();
  return (
    <section class="alert alert-info basket-banner" aria-labelledby="basket-title">
      <p class="mb-0">
        <strong id="basket-title">{t.search.basketTitle}</strong>:{" "}
        {t.search.basketRecords(pending.records)}
        {pending.drafted ? t.search.basketDrafted : ""}.
      </p>
      <p class="d-flex gap-2 flex-wrap mb-0">
        <a class="btn btn-outline-primary" href="/richieste/cestino">{t.search.basketView}</a>
        <a class="btn btn-primary" href="/richieste/nuova">{t.search.basketComplete}</a>
      </p>
    </section>
  );
};

/** The whole page: title, the search form around the box and the results. */
export const SearchPage: FC<
  ResultsProps & { dataUpdatedAt?: string | undefined; pending?: PendingRequest | undefined }
> = (
  { params, result, indexing, dataUpdatedAt, pending },
) => {
  const { t } = useI18n();
  return (
    <Layout
      title={params.q ? t.search.titleFor(params.q) : t.search.title}
      dataUpdatedAt={dataUpdatedAt}
    >
      <h1>{t.search.heading}</h1>
      {pending ? <PendingBanner pending={pending} /> : null}
      <form
        id="search-form"
        action="/cerca"
        method="get"
        role="search"
        hx-get="/cerca"
        hx-target="#results"
        hx-push-url="true"
        hx-trigger="input changed delay:250ms from:#q, search from:#q, change, submit"
        hx-sync="this:replace"
      >
        <div class="search-box form-group">
          <label for="q" class="active search-label">
            {t.search.boxLabel}
          </label>
          <div class="input-group">
            <input
              type="search"
              id="q"
              name="q"
              class="form-control search-input"
              value={params.q}
              placeholder={t.search.placeholder}
              autocomplete="off"
              maxlength={200}
              aria-describedby="q-hint"
            />
            <div class="input-group-append">
              <button type="submit" class="btn btn-primary search-button">
                <svg class="icon icon-white" aria-hidden="true">
                  <use href={iconUrl("it-search")}></use>
                </svg>
                <span>{t.search.button}</span>
              </button>
            </div>
          </div>
          <p id="q-hint" class="form-text">
            {t.search.hint}
          </p>
        </div>
        {
          // A shared link's page size stays when the words or filters change.
          params.perPage !== DEFAULT_PER_PAGE
            ? <input type="hidden" name="per_page" value={String(params.perPage)} />
            : null
        }
        <CountAnnouncer result={result} q={params.q} />
        <div id="results">
          <Results params={params} result={result} indexing={indexing ?? false} />
        </div>
      </form>
    </Layout>
  );
};
