/** One search result: what it is, where, when, its outcome, and why it was found. */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import { DOSSIER_STATUS_LABELS, DOSSIER_STATUSES } from "../domain/records.ts";
import type { PublicHit } from "../search/types.ts";
import { Highlighted } from "./highlight.tsx";
import { recordUrl } from "./search_url.ts";
import { useI18n } from "../i18n/context.tsx";
import { it, type Messages } from "../i18n/it.ts";
import { labelOf } from "../i18n/i18n.ts";

// Why the record came up; the participle agrees with "pratica" (f.) or "atto" (m.).
function matchedByText(hit: PublicHit, t: Messages): string {
  const dossier = hit.kind === "dossier";
  switch (hit.matchedBy) {
    case "identifier":
      return t.card.foundByIdentifier(dossier);
    case "address":
      return t.card.foundByAddress(dossier);
    case "text":
      return t.card.foundByText(dossier);
  }
}

/** Label of a dossier outcome code in `t`'s language (the code itself if unknown). */
export function statusLabel(status: string, t?: Messages): string {
  const known = DOSSIER_STATUSES.find((s) => s === status);
  if (t && known) return labelOf(t.record.dossierStatus, known) ?? status;
  return known ? DOSSIER_STATUS_LABELS[known] : status;
}

/** "Via Roma 12/A, Capoluogo" (with "(denominazione storica)" for historic forms). */
export function addressLine(a: PublicHit["addresses"][number], t: Messages = it): string {
  const street = [a.street, a.civic].filter(Boolean).join(" ");
  const where = a.locality ? `${street}, ${a.locality}` : street;
  return a.historic ? `${where} ${t.card.historicName}` : where;
}

/** A result card; the title links to the record page. */
export const ResultCard: FC<{ hit: PublicHit; search?: string }> = ({ hit, search }) => {
  const { t, day } = useI18n();
  return (
    <li class="result">
      <article class="card">
        <div class="card-body">
          <div class="category-top">
            <span class="category">{hit.kind === "dossier" ? t.card.dossier : t.card.act}</span>
            <span class="data">{day(hit.date) ?? String(hit.year)}</span>
          </div>
          <h3 class="card-title h5">
            <a
              href={search
                ? `${recordUrl(hit.kind, hit.id)}?${search}`
                : recordUrl(hit.kind, hit.id)}
              hx-boost="false"
            >
              {hit.title}
            </a>
          </h3>
          <p class="card-text">
            <Highlighted text={hit.subject} words={hit.highlights} />
          </p>
          <ul class="result-facts list-unstyled">
            {hit.addresses.map((a, i) => (
              <Fragment key={String(i)}>
                <li>
                  <Highlighted text={addressLine(a, t)} words={hit.highlights} />
                </li>
              </Fragment>
            ))}
            {hit.protocol
              ? (
                <li>
                  {t.card.protocol} {hit.protocol.replace(/\d{4}-\d{2}-\d{2}/, (d) => day(d))}
                </li>
              )
              : null}
            {hit.cadastral.length > 0
              ? <li>{t.card.cadastre} {hit.cadastral.join("; ")}</li>
              : null}
            {hit.office ? <li>{hit.office}</li> : null}
          </ul>
          <p class="result-meta">
            {hit.status ? <span class="badge bg-primary">{statusLabel(hit.status, t)}</span> : null}
            <span class="matched-by">{matchedByText(hit, t)}</span>
          </p>
        </div>
      </article>
    </li>
  );
};
