/**
 * The top of a record page: breadcrumbs (Ricerca › Risultati › this record) and "Torna ai
 * risultati" with the same query, filters and page, since a kiosk has no browser bar.
 */
import type { FC } from "hono/jsx";
import { useI18n } from "../i18n/context.tsx";

/** Where the citizen came from: the results URL, and the words searched, when known. */
export interface CameFrom {
  resultsUrl: string;
  q: string;
}

/** Breadcrumbs and the way back. */
export const RecordNav: FC<{ title: string; from: CameFrom | undefined }> = ({ title, from }) => {
  const { t } = useI18n();
  return (
    <div class="record-nav">
      <nav class="breadcrumb-container" aria-label={t.record.breadcrumbs}>
        <ol class="breadcrumb">
          <li class="breadcrumb-item">
            <a href="/">{t.record.search}</a>
            <span class="separator">/</span>
          </li>
          {from
            ? (
              <li class="breadcrumb-item">
                <a href={from.resultsUrl}>
                  {from.q ? t.record.resultsFor(from.q) : t.record.results}
                </a>
                <span class="separator">/</span>
              </li>
            )
            : null}
          <li class="breadcrumb-item active" aria-current="page">{title}</li>
        </ol>
      </nav>
      <p class="d-flex gap-2 flex-wrap mb-0">
        {from
          ? <a class="btn btn-primary" href={from.resultsUrl}>{t.record.backToResults}</a>
          : null}
        <a class={from ? "btn btn-outline-primary" : "btn btn-primary"} href="/">
          {t.record.newSearch}
        </a>
      </p>
    </div>
  );
};
