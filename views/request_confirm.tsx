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
const FeeSummary: FC<{ fee: FeeQuote }> = ({ fee }) => (
  <section class="fee-summary mb-4" aria-labelledby="fee-title" data-testid="fee-summary">
    <h3 id="fee-title" class="h5">Diritti da pagare</h3>
    {fee.lines.length === 0
      ? <p>Nessun diritto da pagare per questa richiesta.</p>
      : (
        <table class="table table-sm">
          <caption class="visually-hidden">Voci del tariffario applicate</caption>
          <thead>
            <tr>
              <th scope="col">Voce</th>
              <th scope="col" class="text-end">Quantità</th>
              <th scope="col" class="text-end">Importo</th>
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
              <th scope="row" colSpan={2}>Totale</th>
              <td class="text-end" data-testid="fee-total">€ {formatEuro(fee.totalCents)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    {fee.exemption
      ? (
        <p>
          Esenzione richiesta:{" "}
          <strong>{fee.exemption.reason}</strong>. Non paghi nulla ora; lo sportello verifica
          l'esenzione con il titolo.
        </p>
      )
      : fee.dueCents > 0
      ? (
        <p>
          Dopo l'invio riceverai un avviso di pagamento pagoPA di € {formatEuro(fee.dueCents)}{" "}
          (consultabile da «Stato della richiesta»): lo sportello esamina la richiesta dopo il
          pagamento.
        </p>
      )
      : null}
  </section>
);

/** The summary (also the htmx partial replacing the form). */
export const RequestConfirm: FC<ConfirmProps> = (p) => (
  <section id="request-form" aria-labelledby="confirm-title">
    <h2 id="confirm-title">Controlla i dati prima di inviare</h2>
    <dl class="request-summary">
      <dt>Documenti</dt>
      <dd>
        {[
          ...p.records.map((r) =>
            r.label
          ),
          p.values.recordsDescription ?? "",
        ]
          .filter(Boolean).join("; ")}
      </dd>
      <Row label="Richiedente" value={p.values.requesterName} />
      <Row label="Codice fiscale" value={p.maskedTaxCode} />
      <Row label="E-mail" value={p.values.email} />
      <Row label="Avvisi su App IO" value={p.values.notifyAppIo === "1" ? "Sì" : undefined} />
      <Row label="Telefono" value={p.values.phone} />
      <Row label="Tipo di accesso" value={p.regimeLabel} />
      <Row label="A che titolo" value={p.values.requesterTitle} />
      <Row label="Motivazione" value={p.values.motivation} />
      <Row label="Modalità" value={p.modeLabel} />
      <Row label="Procedura d'urgenza" value={p.values.urgent === "1" ? "Sì" : undefined} />
    </dl>
    {p.fee ? <FeeSummary fee={p.fee} /> : null}
    <div class="d-flex flex-wrap gap-3">
      <form method="post" action="/richieste/nuova">
        <Carried values={p.values} records={p.records} csrf={p.csrfToken} />
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" class="btn btn-primary btn-lg">Conferma e invia</button>
      </form>
      {/* The draft (saved with the first submit) refills the form at its own URL. */}
      <a class="btn btn-outline-primary btn-lg" href="/richieste/nuova">Modifica i dati</a>
    </div>
  </section>
);

/** The whole page. */
export const RequestConfirmPage: FC<ConfirmProps> = (p) => (
  <Layout title="Controlla la richiesta">
    <h1>Richiesta di accesso agli atti</h1>
    <RequestConfirm {...p} />
  </Layout>
);
