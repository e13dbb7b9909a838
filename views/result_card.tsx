/** One search result: what it is, where, when, its outcome, and why it was found. */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import { DOSSIER_STATUS_LABELS, DOSSIER_STATUSES } from "../domain/records.ts";
import type { PublicHit } from "../search/types.ts";
import { formatDate } from "./format.ts";
import { Highlighted } from "./highlight.tsx";
import { recordUrl } from "./search_url.ts";

// Why the record came up; the participle agrees with "pratica" (f.) or "atto" (m.).
function matchedByText(hit: PublicHit): string {
  const found = hit.kind === "dossier" ? "Trovata" : "Trovato";
  switch (hit.matchedBy) {
    case "identifier":
      return `${found} per numero, protocollo o riferimento catastale`;
    case "address":
      return `${found} per indirizzo`;
    case "text":
      return `${found} per parole dell'oggetto`;
  }
}

/** Italian label of a dossier outcome code (the code itself if unknown). */
export function statusLabel(status: string): string {
  const known = DOSSIER_STATUSES.find((s) => s === status);
  return known ? DOSSIER_STATUS_LABELS[known] : status;
}

/** "Via Roma 12/A, Capoluogo" (with "(denominazione storica)" for historic forms). */
export function addressLine(a: PublicHit["addresses"][number]): string {
  const street = [a.street, a.civic].filter(Boolean).join(" ");
  const where = a.locality ? `${street}, ${a.locality}` : street;
  return a.historic ? `${where} (denominazione storica)` : where;
}

/** A result card; the title links to the record page. */
export const ResultCard: FC<{ hit: PublicHit; search?: string }> = ({ hit, search }) => (
  <li class="result">
    <article class="card">
      <div class="card-body">
        <div class="category-top">
          <span class="category">{hit.kind === "dossier" ? "Pratica edilizia" : "Atto"}</span>
          <span class="data">{formatDate(hit.date) ?? String(hit.year)}</span>
        </div>
        <h3 class="card-title h5">
          <a
            href={search ? `${recordUrl(hit.kind, hit.id)}?${search}` : recordUrl(hit.kind, hit.id)}
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
                <Highlighted text={addressLine(a)} words={hit.highlights} />
              </li>
            </Fragment>
          ))}
          {hit.protocol
            ? (
              <li>
                Protocollo {hit.protocol.replace(/\d{4}-\d{2}-\d{2}/, (d) => formatDate(d) ?? d)}
              </li>
            )
            : null}
          {hit.cadastral.length > 0 ? <li>Catasto: {hit.cadastral.join("; ")}</li> : null}
          {hit.office ? <li>{hit.office}</li> : null}
        </ul>
        <p class="result-meta">
          {hit.status ? <span class="badge bg-primary">{statusLabel(hit.status)}</span> : null}
          <span class="matched-by">{matchedByText(hit)}</span>
        </p>
      </div>
    </article>
  </li>
);
