/** The receipt slip: code, QR, filing time, due date, regime; never a name or tax code. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { assetUrl } from "./assets.ts";

/** What the slip prints. */
export interface ReceiptProps {
  code: string;
  qrDataUri: string;
  filedAt: string;
  dueOn: string;
  regimeLabel: string;
  branchName: string;
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
export const ReceiptPage: FC<ReceiptProps> = (p) => (
  <Layout title="Ricevuta della richiesta">
    <link rel="stylesheet" href={assetUrl("receipt_print.css")} />
    <section class="receipt" aria-labelledby="receipt-title">
      <h1 id="receipt-title">Richiesta presentata</h1>
      <p class="receipt-code-label">Codice della richiesta</p>
      <p class="receipt-code" data-testid="receipt-code">{p.code}</p>
      <img
        class="receipt-qr"
        src={p.qrDataUri}
        alt={`Codice QR della richiesta ${p.code}`}
        width="160"
        height="160"
      />
      <dl class="receipt-facts">
        <dt>Presentata il</dt>
        <dd>{italianDateTime(p.filedAt)} ({p.branchName})</dd>
        <dt>Termine per la risposta</dt>
        <dd data-testid="due-date">{italianDate(p.dueOn)}</dd>
        <dt>Tipo di accesso</dt>
        <dd>{p.regimeLabel}</dd>
      </dl>
      <p class="receipt-note">
        Conserva questa ricevuta. Per sapere a che punto è la richiesta usa «Stato della richiesta»
        a una postazione del Comune, con il codice e il tuo codice fiscale.
      </p>
    </section>
    <p class="no-print d-flex gap-3 flex-wrap">
      <a class="btn btn-primary" href="/richieste/stato">Stato di una richiesta</a>
      <a class="btn btn-outline-primary" href="/richieste/azzera">Fine: torna alla ricerca</a>
    </p>
    <p class="no-print">Per stampare la ricevuta usa il tasto di stampa della postazione.</p>
  </Layout>
);
