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

// "Numero 452 del 1987" reads on after "Cercato come"; an acronym ("CE 452/1987") stays.
function lowerFirst(s: string): string {
  return /^\p{Lu}\p{Ll}/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/** "3 risultati" / "1 risultato" / "" before any search: what the live region announces. */
export function countText(result: SearchResult | undefined): string {
  if (!result) return "";
  return result.total === 1 ? "1 risultato" : `${result.total.toLocaleString("it-IT")} risultati`;
}

// Screen readers hear the new count after each live update, without re-reading the page.
const CountAnnouncer: FC<{ result: SearchResult | undefined; oob?: boolean }> = (
  { result, oob },
) => (
  <p
    id="results-announce"
    class="visually-hidden"
    role="status"
    hx-swap-oob={oob ? "true" : undefined}
  >
    {countText(result)}
  </p>
);

const Pager: FC<{ params: SearchParams; total: number }> = ({ params, total }) => {
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
    <nav class="pagination-wrapper" aria-label="Pagine dei risultati">
      <ul class="pagination">
        {params.page > 1 ? link(params.page - 1, "Pagina precedente", "prev") : null}
        <li class="page-item">
          <span class="page-link" aria-current="page">Pagina {params.page} di {pages}</span>
        </li>
        {params.page < pages ? link(params.page + 1, "Pagina successiva", "next") : null}
      </ul>
    </nav>
  );
};

const SortSelect: FC<{ params: SearchParams }> = ({ params }) => (
  <div class="sort-select">
    <label for="sort">Ordina per</label>
    <select id="sort" name="sort" class="form-select">
      <option value="relevance" selected={params.sort === "relevance"}>Rilevanza</option>
      <option value="number" selected={params.sort === "number"}>Numero di pratica</option>
    </select>
  </div>
);

/** What the result region shows; `indexing` while the search index is still being built. */
export interface ResultsProps {
  params: SearchParams;
  result: SearchResult | undefined;
  indexing?: boolean;
}

const IndexingNotice: FC = () => (
  <div class="alert alert-info" role="note">
    La ricerca si sta preparando dopo l'avvio: per qualche secondo i risultati potrebbero essere
    incompleti. Riprova tra poco se non trovi quello che cerchi.
  </div>
);

/** The result region: count, interpretation, facets, cards, paging (or the empty page). */
export const Results: FC<ResultsProps> = ({ params, result, indexing }) => {
  if (!result) {
    return (
      <div class="search-intro">
        <h2 class="h4">Come cercare</h2>
        <p>Scrivi quello che sai della pratica o dell'atto, ad esempio:</p>
        <ExampleList />
      </div>
    );
  }
  const filtered = hasFilters(params);
  return (
    <div class="row">
      <div class="col-lg-3 order-2 order-lg-1">
        <Facets params={params} facets={result.facets} />
      </div>
      <div class="col-lg-9 order-1 order-lg-2">
        <div class="results-head">
          <h2 class="h4" id="results-count" tabindex={-1}>
            {result.total === 1
              ? "1 risultato"
              : `${result.total.toLocaleString("it-IT")} risultati`}
          </h2>
          <SortSelect params={params} />
        </div>
        {indexing ? <IndexingNotice /> : null}
        {result.interpretation
          ? <p class="interpretation">Cercato come {lowerFirst(result.interpretation)}</p>
          : null}
        {result.total === 0 ? <EmptyResults q={params.q} filtered={filtered} /> : (
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
    <CountAnnouncer result={props.result} oob />
  </>
);

/** A request being put together: how many records, and whether the form was started. */
export interface PendingRequest {
  records: number;
  drafted: boolean;
}

// The basket in sight on the search screen, with the way back to the form.
const PendingBanner: FC<{ pending: PendingRequest }> = ({ pending }) => (
  <section class="alert alert-info basket-banner" aria-labelledby="basket-title">
    <p class="mb-0">
      <strong id="basket-title">La tua richiesta di accesso</strong>:{" "}
      {pending.records === 1 ? "1 pratica scelta" : `${pending.records} pratiche scelte`}
      {pending.drafted ? ", dati già inseriti" : ""}.
    </p>
    <p class="d-flex gap-2 flex-wrap mb-0">
      <a class="btn btn-outline-primary" href="/richieste/cestino">Vedi le pratiche</a>
      <a class="btn btn-primary" href="/richieste/nuova">Completa la richiesta</a>
    </p>
  </section>
);

/** The whole page: title, the search form around the box and the results. */
export const SearchPage: FC<
  ResultsProps & { dataUpdatedAt?: string | undefined; pending?: PendingRequest | undefined }
> = (
  { params, result, indexing, dataUpdatedAt, pending },
) => (
  <Layout
    title={params.q ? `Ricerca: ${params.q}` : "Ricerca pratiche edilizie e atti"}
    dataUpdatedAt={dataUpdatedAt}
  >
    <h1>Cerca una pratica edilizia o un atto</h1>
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
          Numero, protocollo, indirizzo, dati catastali o parole dell'oggetto
        </label>
        <div class="input-group">
          <input
            type="search"
            id="q"
            name="q"
            class="form-control search-input"
            value={params.q}
            placeholder="prot. 1234/1987, via Roma 12, fg 12 part 345, ampliamento"
            autocomplete="off"
            maxlength={200}
            aria-describedby="q-hint"
          />
          <div class="input-group-append">
            <button type="submit" class="btn btn-primary search-button">
              <svg class="icon icon-white" aria-hidden="true">
                <use href={iconUrl("it-search")}></use>
              </svg>
              <span>Cerca</span>
            </button>
          </div>
        </div>
        <p id="q-hint" class="form-text">
          I risultati si aggiornano mentre scrivi. I nomi delle persone non sono ricercabili.
        </p>
      </div>
      {
        // A shared link's page size stays when the words or filters change.
        params.perPage !== DEFAULT_PER_PAGE
          ? <input type="hidden" name="per_page" value={String(params.perPage)} />
          : null
      }
      <CountAnnouncer result={result} />
      <div id="results">
        <Results params={params} result={result} indexing={indexing ?? false} />
      </div>
    </form>
  </Layout>
);
