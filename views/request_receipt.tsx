/**
 * The receipt slip: what was asked, by whom (initials, masked codice fiscale), where and when
 * to go, the code and a QR to the status page; never a full name or tax code.
 */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { assetUrl } from "./assets.ts";
import type { RequestedLabel } from "./request_form.tsx";
import { useSite } from "./site.tsx";
import { useI18n } from "../i18n/context.tsx";

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

// The office's own words are configured in Italian: marked so inside another language.
const SiteWords: FC<{ text: string }> = ({ text }) =>
  useI18n().locale === "it" ? <>{text}</> : <span lang="it">{text}</span>;

/** The receipt page; the print stylesheet turns it into a slip. */
export const ReceiptPage: FC<ReceiptProps> = (p) => {
  const site = useSite();
  const { t, longDay, dateTime } = useI18n();
  const r = t.receipt;
  // The citizen's own description may name people: the slip only says there is one.
  const asked = [
    ...p.records.map((r) => r.label),
    p.recordsDescription ? r.otherDocuments : "",
  ].filter(Boolean);
  return (
    <Layout title={r.title}>
      <link rel="stylesheet" href={assetUrl("receipt_print.css")} />
      <section class="receipt" aria-labelledby="receipt-title">
        <p class="receipt-comune">{site.comuneName} · {t.layout.office}</p>
        <h1 id="receipt-title">{r.heading}</h1>
        <p class="receipt-code-label">{r.codeLabel}</p>
        <p class="receipt-code" data-testid="receipt-code">{p.code}</p>
        <img
          class="receipt-qr"
          src={p.qrDataUri}
          alt={r.qrAlt(p.code)}
          width="160"
          height="160"
        />
        <dl class="receipt-facts">
          <dt>{r.documents}</dt>
          <dd data-testid="receipt-records">{asked.join("; ")}</dd>
          <dt>{r.requester}</dt>
          <dd data-testid="receipt-requester">{p.requester}</dd>
          <dt>{r.regime}</dt>
          <dd>{p.regimeLabel} · {p.modeLabel}</dd>
          <dt>{r.filedOn}</dt>
          <dd>{dateTime(p.filedAt)} ({p.branchName})</dd>
          <dt>{r.due}</dt>
          <dd data-testid="due-date">{longDay(p.dueOn)}</dd>
          <dt>{r.where}</dt>
          <dd data-testid="receipt-where">
            {site.comuneName}, <SiteWords text={site.deskPlace} />:{" "}
            <SiteWords text={site.deskHours} />
            {r.bring}
          </dd>
        </dl>
        <p class="receipt-note">
          {r.keep} <span class="receipt-url">{p.statusUrl}</span>
        </p>
      </section>
      <p class="no-print d-flex gap-3 flex-wrap">
        <button type="button" class="btn btn-primary" data-print>{r.print}</button>
        <a class="btn btn-outline-primary" href="/richieste/stato">{r.status}</a>
        <a class="btn btn-outline-primary" href="/richieste/azzera">{r.done}</a>
      </p>
    </Layout>
  );
};
