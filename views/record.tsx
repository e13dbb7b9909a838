/** The public page of a dossier: what was asked, where, when, the outcome; never who. */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import type { DossierLink } from "../db/record_links.ts";
import type { PublicDocumentRef, PublicDossier } from "../domain/public_record.ts";
import type { RecordKind } from "../domain/records.ts";
import { publicMayOpen } from "../domain/document_access.ts";
import { documentUrl } from "./document_url.ts";
import { cadastralLine, capitalize } from "./format.ts";
import { Layout } from "./layout.tsx";
import { addressLine, statusLabel } from "./result_card.tsx";
import { recordUrl } from "./search_url.ts";
import { type CameFrom, RecordNav } from "./record_nav.tsx";
import { useI18n } from "../i18n/context.tsx";
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
> = ({ documents, kind, recordId }) => {
  const { t } = useI18n();
  return documents.length === 0 ? <p>{t.record.noDocuments}</p> : (
    <ul class="documents">
      {documents.map((d, i) => {
        const title = d.title ?? t.record.documentN(i + 1);
        return (
          <Fragment key={String(i)}>
            <li>
              {title}, {t.record.pages(d.pages)}
              {publicMayOpen(false, d.public)
                ? (
                  <>
                    {t.record.publicDoc}
                    <a class="doc-open" href={documentUrl(kind, recordId, i)}>
                      {t.record.open}
                      <span class="visually-hidden">: {title}</span>
                    </a>
                  </>
                )
                : t.record.onRequest}
            </li>
          </Fragment>
        );
      })}
    </ul>
  );
};

/** The request-access button (the access-request screens take it from here). */
export const RequestAccess: FC<{ kind: "dossier" | "act"; id: string }> = ({ kind, id }) => (
  <p class="mt-4 no-print">
    <a class="btn btn-primary" href={`/richieste/nuova?record=${kind}:${encodeURIComponent(id)}`}>
      {useI18n().t.record.requestAccess}
    </a>
    {kind === "dossier"
      ? (
        <a class="btn btn-outline-primary ms-3" href={`/prenota?pratica=${encodeURIComponent(id)}`}>
          {useI18n().t.booking.bookToConsult}
        </a>
      )
      : null}
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
}> = ({ dossier: d, typeTitle, parent, childDossiers, dataUpdatedAt, from, sheet }) => {
  const { t, day } = useI18n();
  const r = t.record;
  return (
    <Layout title={r.dossierTitle(dossierTitle(d))} dataUpdatedAt={dataUpdatedAt}>
      <RecordNav title={r.dossierTitle(dossierTitle(d))} from={from} />
      <RecordSheetHead sheet={sheet} title={r.dossierTitle(dossierTitle(d))} id={d.id} />
      <h1>
        {r.dossierTitle(dossierTitle(d))}
        <span class="d-block h4 text-secondary">{typeTitle}</span>
      </h1>
      {d.subject ? <p class="lead">{d.subject}</p> : null}
      <dl class="facts">
        <Fact label={r.outcome} value={statusLabel(d.status, t)} />
        <Fact label={r.series} value={d.series} />
        <Fact
          label={r.protocol}
          value={d.protocolNumber
            ? (d.protocolDate
              ? r.protocolOf(d.protocolNumber, day(d.protocolDate))
              : d.protocolNumber)
            : undefined}
        />
        <Fact label={r.submittedOn} value={day(d.submittedOn)} />
        <Fact label={r.issuedOn} value={day(d.issuedOn)} />
        <Fact label={r.worksStarted} value={day(d.worksStartedOn)} />
        <Fact label={r.worksEnded} value={day(d.worksEndedOn)} />
      </dl>
      <h2 class="h4">{r.addresses}</h2>
      {d.addresses.length === 0 ? <p>{r.noAddresses}</p> : (
        <ul>
          {d.addresses.map((a, i) => (
            <Fragment key={String(i)}>
              <li>{addressLine(a, t)}</li>
            </Fragment>
          ))}
        </ul>
      )}
      <h2 class="h4">{r.cadastral}</h2>
      {d.cadastral.length === 0 ? <p>{r.noCadastral}</p> : (
        <ul>
          {d.cadastral.map((c, i) => (
            <Fragment key={String(i)}>
              <li>{cadastralLine(c)}</li>
            </Fragment>
          ))}
        </ul>
      )}
      <h2 class="h4">{r.people}</h2>
      <p>
        {d.roles.length === 0
          ? r.noPeople
          : `${d.roles.map(capitalize).join(", ")}${r.namesWithheld}`}
      </p>
      <h2 class="h4">{r.documents}</h2>
      <DocumentList documents={d.documents} kind="dossier" recordId={d.id} />
      {d.aliases.length > 0
        ? (
          <>
            <h2 class="h4">{r.aliases}</h2>
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
            <h2 class="h4">{r.linked}</h2>
            <ul>
              {parent
                ? (
                  <li>
                    {r.mainDossier}{" "}
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
};
