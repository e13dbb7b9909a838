/** The clerk's view of a record with its personal data (each opening is audited). */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { addressLine, statusLabel } from "./result_card.tsx";
import { cadastralLine } from "./format.ts";
import type { RecordDoc } from "../domain/records.ts";

type Staff = { username: string; role: string; csrfToken: string };

/** A whole record for the clerk: people, location, every document. */
export const DeskRecordPage: FC<{ doc: RecordDoc; staff: Staff }> = ({ doc, staff }) => (
  <Layout title={doc.record === "dossier" ? `${doc.type} ${doc.number}/${doc.year}` : doc.subject}>
    <StaffBar {...staff} />
    {doc.record === "dossier"
      ? (
        <>
          <h1>{doc.type} {doc.number}/{doc.year}</h1>
          {doc.restricted
            ? <p class="alert alert-warning">Pratica riservata: non visibile al pubblico.</p>
            : null}
          <p>{doc.subject}</p>
          <p>Esito: {statusLabel(doc.status)}</p>
          <h2 class="h4">Indirizzi</h2>
          <ul>{doc.addresses.map((a, i) => <li key={String(i)}>{addressLine(a)}</li>)}</ul>
          <h2 class="h4">Catasto</h2>
          <ul>{doc.cadastral.map((c, i) => <li key={String(i)}>{cadastralLine(c)}</li>)}</ul>
          <h2 class="h4">Persone (dati personali)</h2>
          <table class="table people-table">
            <caption class="visually-hidden">Soggetti della pratica</caption>
            <thead>
              <tr>
                <th scope="col">Ruolo</th>
                <th scope="col">Nominativo</th>
                <th scope="col">Codice fiscale</th>
                <th scope="col">Contatti</th>
              </tr>
            </thead>
            <tbody>
              {doc.people.map((p, i) => (
                <tr key={String(i)}>
                  <td>{p.role}</td>
                  <td>{p.company ?? [p.surname, p.name].filter(Boolean).join(" ")}</td>
                  <td>{p.taxCode ?? ""}{p.taxCodeVerified === false ? " (non verificato)" : ""}</td>
                  <td>{[p.email, p.phone].filter(Boolean).join(" · ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {doc.location
            ? (
              <p>
                Collocazione: faldone {doc.location.box ?? "—"}, scaffale{" "}
                {doc.location.shelf ?? "—"}, {doc.location.room ?? "—"}
              </p>
            )
            : null}
          <h2 class="h4">Documenti</h2>
          <ul>
            {doc.documents.map((d, i) => (
              <li key={String(i)}>
                {d.title ?? d.file} ({d.pages} pp.){d.public ? " — pubblico" : ""}
              </li>
            ))}
          </ul>
        </>
      )
      : (
        <>
          <h1>{doc.subject}</h1>
          <p>{doc.kind} n. {doc.number}/{doc.year} del {doc.date}</p>
          {doc.text ? <p>{doc.text}</p> : null}
        </>
      )}
  </Layout>
);
