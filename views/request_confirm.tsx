/**
 * "Controlla i dati": the request as it will be filed, with the codice fiscale masked, before
 * the citizen confirms. The values travel in hidden fields (a POST body, never a URL).
 */
import type { FC } from "hono/jsx";
import { Fragment } from "hono/jsx";
import { Layout } from "./layout.tsx";
import type { RequestedLabel } from "./request_form.tsx";
import type { FeeQuote } from "../domain/fees.ts";
import { formatEuro } from "../domain/pagopa_notice.ts";
import { useI18n } from "../i18n/context.tsx";
import { labelOf } from "../i18n/i18n.ts";

/** What the summary shows and carries. */
export interface ConfirmProps {
  records: RequestedLabel[];
  values: Record<string, string>;
  maskedTaxCode: string;
  regimeLabel: string;
  modeLabel: string;
  csrfToken: string;
  /** The fee this request will owe, from the fee table (shown before filing). */
  fee?: FeeQuote | undefined;
  /** Random per rendering: a second press of «Conferma e invia» files nothing more. */
  filingKey: string;
}

const CARRIED = [
  "requesterName",
  "taxCode",
  "email",
  "notifyAppIo",
  "phone",
  "regime",
  "motivation",
  "requesterTitle",
  "mode",
  "recordsDescription",
  "privacyAck",
  "urgent",
  "feeExemptionId",
] as const;

/** Hidden copies of every value and record, for "Conferma" and "Modifica" alike. */
const Carried: FC<{ values: Record<string, string>; records: RequestedLabel[]; csrf: string }> = (
  p,
) => (
  <>
    <input type="hidden" name="_csrf" value={p.csrf} />
    {CARRIED.map((name) => (
      <Fragment key={name}>
        <input type="hidden" name={name} value={p.values[name] ?? ""} />
      </Fragment>
    ))}
    {p.records.map((r) => (
      <Fragment key={r.ref}>
        <input type="hidden" name="record" value={r.ref} />
      </Fragment>
    ))}
  </>
);

const Row: FC<{ label: string; value: string | undefined }> = ({ label, value }) =>
  value
    ? (
      <>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </>
    )
    : null;

/** The bill before filing: each line, the total, and what follows for payment. */
const FeeSummary: FC<{ fee: FeeQuote }> = ({ fee }) => {
  const { t } = useI18n();
  const f = t.confirm;
  return (
    <section class="fee-summary mb-4" aria-labelledby="fee-title" data-testid="fee-summary">
      <h3 id="fee-title" class="h5">{f.feesTitle}</h3>
      {fee.lines.length === 0 ? <p>{f.noFees}</p> : (
        <table class="table table-sm">
          <caption class="visually-hidden">{f.feeCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{f.feeItem}</th>
              <th scope="col" class="text-end">{f.feeQuantity}</th>
              <th scope="col" class="text-end">{f.feeAmount}</th>
            </tr>
          </thead>
          <tbody>
            {fee.lines.map((l) => (
              <tr key={`${l.item}-${l.unitCents}`}>
                <td>{l.label} (€ {formatEuro(l.unitCents)})</td>
                <td class="text-end">{l.quantity}</td>
                <td class="text-end">€ {formatEuro(l.totalCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>{f.feeTotal}</th>
              <td class="text-end" data-testid="fee-total">€ {formatEuro(fee.totalCents)}</td>
            </tr>
          </tfoot>
        </table>
      )}
      {fee.exemption
        ? (
          <p>
            {f.exemptionAsked} <strong>{fee.exemption.reason}</strong>
            {f.exemptionNote}
          </p>
        )
        : fee.dueCents > 0
        ? (
          <p>
            {f.paymentNote(formatEuro(fee.dueCents))}
          </p>
        )
        : null}
    </section>
  );
};

/** The summary (also the htmx partial replacing the form). */
export const RequestConfirm: FC<ConfirmProps> = (p) => {
  const { t } = useI18n();
  const f = t.confirm;
  return (
    <section id="request-form" aria-labelledby="confirm-title">
      <h2 id="confirm-title">{f.heading}</h2>
      <dl class="request-summary">
        <dt>{f.documents}</dt>
        <dd>
          {[
            ...p.records.map((r) => r.label),
            p.values.recordsDescription ?? "",
          ]
            .filter(Boolean).join("; ")}
        </dd>
        <Row label={f.requester} value={p.values.requesterName} />
        <Row label={f.taxCode} value={p.maskedTaxCode} />
        <Row label={f.email} value={p.values.email} />
        <Row label={f.appIo} value={p.values.notifyAppIo === "1" ? f.yes : undefined} />
        <Row label={f.phone} value={p.values.phone} />
        <Row label={f.regime} value={p.regimeLabel} />
        <Row
          label={f.title}
          value={p.values.requesterTitle &&
            (labelOf(t.request.requesterTitles, p.values.requesterTitle) ??
              p.values.requesterTitle)}
        />
        <Row label={f.motivation} value={p.values.motivation} />
        <Row label={f.mode} value={p.modeLabel} />
        <Row label={f.urgent} value={p.values.urgent === "1" ? f.yes : undefined} />
      </dl>
      {p.fee ? <FeeSummary fee={p.fee} /> : null}
      <div class="d-flex flex-wrap gap-3">
        <form method="post" action="/richieste/nuova" data-submit-once>
          <Carried values={p.values} records={p.records} csrf={p.csrfToken} />
          <input type="hidden" name="confirm" value="1" />
          <input type="hidden" name="filing" value={p.filingKey} />
          <button type="submit" class="btn btn-primary btn-lg">{f.send}</button>
        </form>
        {/* The draft (saved with the first submit) refills the form at its own URL. */}
        <a class="btn btn-outline-primary btn-lg" href="/richieste/nuova">{f.edit}</a>
      </div>
    </section>
  );
};

/** The whole page. */
export const RequestConfirmPage: FC<ConfirmProps> = (p) => {
  const { t } = useI18n();
  return (
    <Layout title={t.confirm.pageTitle}>
      <h1>{t.request.heading}</h1>
      <RequestConfirm {...p} />
    </Layout>
  );
};
