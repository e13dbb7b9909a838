/**
 * "Controlla i dati": the request as it will be filed, with the codice fiscale masked, before
 * the citizen confirms. The values travel in hidden fields (a POST body, never a URL).
 */
import type { FC } from "hono/jsx";
import { Fragment } from "hono/jsx";
import { Layout } from "./layout.tsx";
import type { RequestedLabel } from "./request_form.tsx";

/** What the summary shows and carries. */
export interface ConfirmProps {
  records: RequestedLabel[];
  values: Record<string, string>;
  maskedTaxCode: string;
  regimeLabel: string;
  modeLabel: string;
  csrfToken: string;
}

const CARRIED = [
  "requesterName",
  "taxCode",
  "email",
  "phone",
  "regime",
  "motivation",
  "requesterTitle",
  "mode",
  "recordsDescription",
  "privacyAck",
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
      <Row label="Telefono" value={p.values.phone} />
      <Row label="Tipo di accesso" value={p.regimeLabel} />
      <Row label="A che titolo" value={p.values.requesterTitle} />
      <Row label="Motivazione" value={p.values.motivation} />
      <Row label="Modalità" value={p.modeLabel} />
    </dl>
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
