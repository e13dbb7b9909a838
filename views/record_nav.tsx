/**
 * The top of a record page: breadcrumbs (Ricerca › Risultati › this record) and "Torna ai
 * risultati" with the same query, filters and page, since a kiosk has no browser bar.
 */
import type { FC } from "hono/jsx";

/** Where the citizen came from: the results URL, and the words searched, when known. */
export interface CameFrom {
  resultsUrl: string;
  q: string;
}

/** Breadcrumbs and the way back. */
export const RecordNav: FC<{ title: string; from: CameFrom | undefined }> = ({ title, from }) => (
  <div class="record-nav">
    <nav class="breadcrumb-container" aria-label="Percorso">
      <ol class="breadcrumb">
        <li class="breadcrumb-item">
          <a href="/">Ricerca</a>
          <span class="separator">/</span>
        </li>
        {from
          ? (
            <li class="breadcrumb-item">
              <a href={from.resultsUrl}>{from.q ? `Risultati per «${from.q}»` : "Risultati"}</a>
              <span class="separator">/</span>
            </li>
          )
          : null}
        <li class="breadcrumb-item active" aria-current="page">{title}</li>
      </ol>
    </nav>
    <p class="d-flex gap-2 flex-wrap mb-0">
      {from ? <a class="btn btn-primary" href={from.resultsUrl}>Torna ai risultati</a> : null}
      <a class={from ? "btn btn-outline-primary" : "btn btn-primary"} href="/">Nuova ricerca</a>
    </p>
  </div>
);
