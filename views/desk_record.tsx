/** The clerk's view of a record with its personal data (each opening is audited). */
import type { FC } from "hono/jsx";
import { documentUrl } from "./document_url.ts";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { addressLine, statusLabel } from "./result_card.tsx";
import { cadastralLine } from "./format.ts";
import type { RecordDoc } from "../domain/records.ts";
import type { RecordDocument } from "../db/document_files.ts";
import { useI18n } from "../i18n/context.tsx";
import type { Locale } from "../i18n/locale.ts";

type Staff = { username: string; role: string; csrfToken: string };

/** Props of the documents section (the page, or the htmx partial after an upload). */
export interface DeskDocumentsProps {
  refText: string;
  documents: RecordDocument[];
  canUpload: boolean;
  staff: Staff;
  notice?: string | undefined;
}

function sizeLabel(bytes: number, locale: Locale): string {
  return bytes >= 1_000_000
    ? `${
      (bytes / 1_000_000).toLocaleString(locale === "it" ? "it-IT" : "en-GB", {
        maximumFractionDigits: 1,
      })
    } MB`
    : `${Math.max(1, Math.round(bytes / 1000))} KB`;
}

/** The viewer of a document of the record named `kind:id` (the page's own reference). */
function openUrl(refText: string, position: number): string {
  const colon = refText.indexOf(":");
  const kind = refText.slice(0, colon) === "act" ? "act" : "dossier";
  return documentUrl(kind, refText.slice(colon + 1), position);
}

/** The record's documents, whether their bytes are here, and the counter upload form. */
export const DeskDocuments: FC<DeskDocumentsProps> = (p) => {
  const { t, locale } = useI18n();
  const d = t.deskRequest;
  return (
    <section id="documenti" aria-labelledby="documenti-title">
      <h2 class="h4" id="documenti-title">{d.documents}</h2>
      {p.notice ? <p class="alert alert-success" role="status">{p.notice}</p> : null}
      {p.documents.length === 0 ? <p>{d.noDocuments}</p> : (
        <ul>
          {p.documents.map((doc) => (
            <li key={String(doc.position)}>
              {doc.title ?? doc.file} ({doc.pages} pp., {sizeLabel(doc.bytes, locale)})
              {doc.public ? d.isPublic : ""}
              {" — "}
              {doc.state?.present ? d.present : doc.state?.pinned ? d.pinned : d.absent}{" "}
              <a class="doc-open" href={openUrl(p.refText, doc.position)}>
                {d.open}
                <span class="visually-hidden">: {doc.title ?? doc.file}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {p.canUpload
        ? (
          <form
            method="post"
            action={`/sportello/pratiche/${encodeURIComponent(p.refText)}/documenti`}
            enctype="multipart/form-data"
            hx-post={`/sportello/pratiche/${encodeURIComponent(p.refText)}/documenti`}
            hx-encoding="multipart/form-data"
            hx-target="#documenti"
            hx-swap="outerHTML"
            class="mt-3"
          >
            <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
            <h3 class="h5">{d.addScan}</h3>
            <div class="mb-3">
              <label class="form-label" for="upload-file">{d.scanFile}</label>
              <input
                class="form-control"
                type="file"
                id="upload-file"
                name="file"
                accept="application/pdf,image/tiff,image/jpeg,.pdf,.tif,.tiff,.jpg,.jpeg"
                required
              />
            </div>
            <div class="mb-3">
              <label class="form-label" for="upload-title">{d.scanTitle}</label>
              <input class="form-control" id="upload-title" name="title" maxlength={200} />
            </div>
            <button type="submit" class="btn btn-primary">{d.upload}</button>
          </form>
        )
        : null}
    </section>
  );
};

/** Props of the clerk's record page. */
export interface DeskRecordProps {
  doc: RecordDoc;
  /** `dossier:ID` / `act:ID`, as in the page's URL. */
  refText: string;
  documents: RecordDocument[];
  canUpload: boolean;
  staff: Staff;
}

/** A whole record for the clerk: people, location, every document. */
export const DeskRecordPage: FC<DeskRecordProps> = (
  { doc, refText, documents, canUpload, staff },
) => {
  const { t, locale } = useI18n();
  const d = t.deskRequest;
  return (
    <Layout
      title={doc.record === "dossier" ? `${doc.type} ${doc.number}/${doc.year}` : doc.subject}
    >
      <StaffBar {...staff} />
      {doc.record === "dossier"
        ? (
          <>
            <h1>{doc.type} {doc.number}/{doc.year}</h1>
            {doc.restricted ? <p class="alert alert-warning">{d.restricted}</p> : null}
            <p>{doc.subject}</p>
            <p>{d.recordOutcome(statusLabel(doc.status, t))}</p>
            <h2 class="h4">{d.addresses}</h2>
            <ul>{doc.addresses.map((a, i) => <li key={String(i)}>{addressLine(a, t)}</li>)}</ul>
            <h2 class="h4">{d.cadastral}</h2>
            <ul>
              {doc.cadastral.map((c, i) => (
                // The cadastre's own Italian terms (register, foglio, particella).
                <li key={String(i)} lang={locale === "it" ? undefined : "it"}>
                  {cadastralLine(c)}
                </li>
              ))}
            </ul>
            <h2 class="h4">{d.people}</h2>
            <table class="table people-table">
              <caption class="visually-hidden">{d.peopleCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{d.role}</th>
                  <th scope="col">{d.personName}</th>
                  <th scope="col">{d.taxCode}</th>
                  <th scope="col">{d.contacts}</th>
                </tr>
              </thead>
              <tbody>
                {doc.people.map((p, i) => (
                  <tr key={String(i)}>
                    <td>{p.role}</td>
                    <td>{p.company ?? [p.surname, p.name].filter(Boolean).join(" ")}</td>
                    <td>{p.taxCode ?? ""}{p.taxCodeVerified === false ? d.notVerified : ""}</td>
                    <td>{[p.email, p.phone].filter(Boolean).join(" · ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {doc.location
              ? (
                <p>
                  {d.location(
                    doc.location.box ?? "—",
                    doc.location.shelf ?? "—",
                    doc.location.room ?? "—",
                  )}
                </p>
              )
              : null}
          </>
        )
        : (
          <>
            <h1>{doc.subject}</h1>
            <p>{d.actLine(doc.kind, String(doc.number), String(doc.year), doc.date)}</p>
            {doc.text ? <p>{doc.text}</p> : null}
          </>
        )}
      <DeskDocuments refText={refText} documents={documents} canUpload={canUpload} staff={staff} />
    </Layout>
  );
};
