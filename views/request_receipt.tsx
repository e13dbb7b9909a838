/**
 * The receipt slip: what was asked, by whom (initials, masked codice fiscale), where and when
 * to go, the code and a QR to the status page; never a full name or tax code.
 */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { assetUrl } from "./assets.ts";
import type { RequestedLabel } from "./request_form.tsx";
import { useSite } from "./site.tsx";

/** What the slip prints. */
export interface ReceiptProps {
  code: string;
  qrDataUri: string;
  /** Where the QR leads: the status page with the code filled in. */
  statusUrl: string;
  filedAt: string;
  dueOn: string;
  regimeLabel: string;
  modeLabel: string;
  branchName: string;
  /** Initials and masked codice fiscale: the citizen recognises the slip, a finder learns little. */
  requester: string;
  records: RequestedLabel[];
  recordsDescription?: string | undefined;
}

/** `2025-03-03` → `3 marzo 2025` (a calendar date: formatted in UTC so no zone shifts it). */
export function italianDate(iso: string): string {
  return new Intl.DateTimeFormat("it-IT", { timeZone: "UTC", dateStyle: "long" })
    .format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}

/** An instant as Italian date and time in the Comune's zone. */
export function italianDateTime(iso: string): string {
  return new Intl.DateTimeFormat("it-IT", {
    timeZone: "Europe/Rome",
    dateStyle: "long",
    timeStyle: "short",
  }).format(new Date(iso));
}

/** The receipt page; the print stylesheet turns it into a slip. */
export const ReceiptPage: FC<ReceiptProps> = (p) => {
  const site = useSite();
  // The citizen's own description may name people: the slip only says there is one.
  const asked = [
    ...p.records.map((r) => r.label),
    p.recordsDescription ? "altri documenti descritti nella richiesta" : "",
  ].filter(Boolean);
  return (
    <Layout title="Ricevuta della richiesta">
      <link rel="stylesheet" href={assetUrl("receipt_print.css")} />
      <section class="receipt" aria-labelledby="receipt-title">
        <p class="receipt-comune">{site.comuneName} · Ufficio Edilizia privata</p>
        <h1 id="receipt-title">Richiesta di accesso agli atti presentata</h1>
        <p class="receipt-code-label">Codice della richiesta</p>
        <p class="receipt-code" data-testid="receipt-code">{p.code}</p>
        <img
          class="receipt-qr"
          src={p.qrDataUri}
          alt={`Codice QR della richiesta ${p.code}: apre la pagina dello stato della richiesta`}
          width="160"
          height="160"
        />
        <dl class="receipt-facts">
          <dt>Documenti richiesti</dt>
          <dd data-testid="receipt-records">{asked.join("; ")}</dd>
          <dt>Richiedente</dt>
          <dd data-testid="receipt-requester">{p.requester}</dd>
          <dt>Tipo di accesso</dt>
          <dd>{p.regimeLabel} · {p.modeLabel}</dd>
          <dt>Presentata il</dt>
          <dd>{italianDateTime(p.filedAt)} ({p.branchName})</dd>
          <dt>Termine per la risposta</dt>
          <dd data-testid="due-date">{italianDate(p.dueOn)}</dd>
          <dt>Dove andare</dt>
          <dd data-testid="receipt-where">
            {site.comuneName}, {site.deskPlace}:{" "}
            {site.deskHours}. Porta questa ricevuta e un documento d'identità; la data della
            consultazione ti sarà comunicata con la risposta.
          </dd>
        </dl>
        <p class="receipt-note">
          Conserva questa ricevuta. Per sapere a che punto è la richiesta inquadra il codice QR, o
          usa «Stato di una richiesta» a una postazione del Comune, con il codice e il tuo codice
          fiscale: <span class="receipt-url">{p.statusUrl}</span>
        </p>
      </section>
      <p class="no-print d-flex gap-3 flex-wrap">
        <button type="button" class="btn btn-primary" data-print>Stampa la ricevuta</button>
        <a class="btn btn-outline-primary" href="/richieste/stato">Stato di una richiesta</a>
        <a class="btn btn-outline-primary" href="/richieste/azzera">Fine: torna alla ricerca</a>
      </p>
    </Layout>
  );
};
