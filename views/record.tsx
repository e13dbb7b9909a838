/** The public page of a dossier: what was asked, where, when, the outcome; never who. */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import type { DossierLink } from "../db/record_links.ts";
import type { PublicDocumentRef, PublicDossier } from "../domain/public_record.ts";
import type { RecordKind } from "../domain/records.ts";
import { publicMayOpen } from "../domain/document_access.ts";
import { documentUrl } from "./document_url.ts";
import { cadastralLine, capitalize, formatDate } from "./format.ts";
import { Layout } from "./layout.tsx";
import { addressLine, statusLabel } from "./result_card.tsx";
import { recordUrl } from "./search_url.ts";
import { type CameFrom, RecordNav } from "./record_nav.tsx";
import {
  PrintButton,
  type RecordSheet,
  RecordSheetFoot,
  RecordSheetHead,
} from "./record_sheet.tsx";

/** "CE 452/1987". */
export function dossierTitle(d: { type: string; number: string; year: number }): string {
  return `${d.type} ${d.number}/${d.year}`;
}

const Fact: FC<{ label: string; value: string | undefined }> = ({ label, value }) =>
  value
    ? (
      <div class="fact">
        <dt>{label}</dt>
        <dd>{value}</dd>
      </div>
    )
    : null;

/**
 * The documents of a (public, so not restricted) record: titles and pages; "Apri" only where
 * the viewer serves the public, the others stay at the counter.
 */
export const DocumentList: FC<
  { documents: PublicDocumentRef[]; kind: RecordKind; recordId: string }
> = ({ documents, kind, recordId }) =>
  documents.length === 0 ? <p>Nessun documento digitalizzato.</p> : (
    <ul class="documents">
      {documents.map((d, i) => {
        const title = d.title ?? `Documento ${i + 1}`;
        return (
          <Fragment key={String(i)}>
            <li>
              {title}, {d.pages === 1 ? "1 pagina" : `${d.pages} pagine`}
              {publicMayOpen(false, d.public)
                ? (
                  <>
                    {" — pubblico "}
                    <a class="doc-open" href={documentUrl(kind, recordId, i)}>
                      Apri<span class="visually-hidden">: {title}</span>
                    </a>
                  </>
                )
                : " — consultabile su richiesta di accesso"}
            </li>
          </Fragment>
        );
      })}
    </ul>
  );

/** The request-access button (the access-request screens take it from here). */
export const RequestAccess: FC<{ kind: "dossier" | "act"; id: string }> = ({ kind, id }) => (
  <p class="mt-4 no-print">
    <a class="btn btn-primary" href={`/richieste/nuova?record=${kind}:${encodeURIComponent(id)}`}>
      Richiedi accesso
    </a>
  </p>
);

/** The whole dossier page. */
export const DossierPage: FC<{
  dossier: PublicDossier;
  typeTitle: string;
  parent: DossierLink | undefined;
  childDossiers: DossierLink[];
  dataUpdatedAt?: string | undefined;
  from?: CameFrom | undefined;
  sheet: RecordSheet;
}> = ({ dossier: d, typeTitle, parent, childDossiers, dataUpdatedAt, from, sheet }) => (
  <Layout title={`Pratica ${dossierTitle(d)}`} dataUpdatedAt={dataUpdatedAt}>
    <RecordNav title={`Pratica ${dossierTitle(d)}`} from={from} />
    <RecordSheetHead sheet={sheet} title={`Pratica ${dossierTitle(d)}`} id={d.id} />
    <h1>
      Pratica {dossierTitle(d)}
      <span class="d-block h4 text-secondary">{typeTitle}</span>
    </h1>
    {d.subject ? <p class="lead">{d.subject}</p> : null}
    <dl class="facts">
      <Fact label="Esito" value={statusLabel(d.status)} />
      <Fact label="Serie" value={d.series} />
      <Fact
        label="Protocollo"
        value={d.protocolNumber
          ? `${d.protocolNumber}${d.protocolDate ? ` del ${formatDate(d.protocolDate)}` : ""}`
          : undefined}
      />
      <Fact label="Presentata il" value={formatDate(d.submittedOn)} />
      <Fact label="Rilasciata o efficace dal" value={formatDate(d.issuedOn)} />
      <Fact label="Inizio lavori" value={formatDate(d.worksStartedOn)} />
      <Fact label="Fine lavori" value={formatDate(d.worksEndedOn)} />
    </dl>
    <h2 class="h4">Indirizzi</h2>
    {d.addresses.length === 0 ? <p>Nessun indirizzo registrato.</p> : (
      <ul>
        {d.addresses.map((a, i) => (
          <Fragment key={String(i)}>
            <li>{addressLine(a)}</li>
          </Fragment>
        ))}
      </ul>
    )}
    <h2 class="h4">Riferimenti catastali</h2>
    {d.cadastral.length === 0 ? <p>Nessun riferimento catastale registrato.</p> : (
      <ul>
        {d.cadastral.map((c, i) => (
          <Fragment key={String(i)}>
            <li>{cadastralLine(c)}</li>
          </Fragment>
        ))}
      </ul>
    )}
    <h2 class="h4">Soggetti</h2>
    <p>
      {d.roles.length === 0
        ? "Nessun soggetto registrato."
        : `${d.roles.map(capitalize).join(", ")} — nominativi riservati`}
    </p>
    <h2 class="h4">Documenti</h2>
    <DocumentList documents={d.documents} kind="dossier" recordId={d.id} />
    {d.aliases.length > 0
      ? (
        <>
          <h2 class="h4">Riferimenti negli schedari</h2>
          <ul>
            {d.aliases.map((a, i) => (
              <Fragment key={String(i)}>
                <li>{a.index}: {a.key}</li>
              </Fragment>
            ))}
          </ul>
        </>
      )
      : null}
    {parent || childDossiers.length > 0
      ? (
        <>
          <h2 class="h4">Pratiche collegate</h2>
          <ul>
            {parent
              ? (
                <li>
                  Pratica principale:{" "}
                  <a href={recordUrl("dossier", parent.id)}>{dossierTitle(parent)}</a>
                </li>
              )
              : null}
            {childDossiers.map((c) => (
              <Fragment key={c.id}>
                <li>
                  <a href={recordUrl("dossier", c.id)}>{dossierTitle(c)}</a>
                </li>
              </Fragment>
            ))}
          </ul>
        </>
      )
      : null}
    <PrintButton />
    <RequestAccess kind="dossier" id={d.id} />
    <RecordSheetFoot sheet={sheet} />
  </Layout>
);
