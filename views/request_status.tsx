/** "Stato della richiesta": code + codice fiscale → state and due date, nothing else. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { Field } from "./request_form.tsx";
import { italianDate } from "./request_receipt.tsx";
import { type FeeStatus, FeeStatusBlock } from "./payment_notice.tsx";

/** The answer to a lookup. */
export interface StatusAnswer {
  stateLabel: string;
  dueOn: string;
  overdue: boolean;
  /** The fee and its pagoPA notice (absent: nothing to say). */
  fee?: FeeStatus | undefined;
  awaitingPayment?: boolean | undefined;
}

/** The lookup form with its errors, and the answer when there is one. */
export interface StatusProps {
  values: Record<string, string>;
  errors: Record<string, string>;
  answer?: StatusAnswer | undefined;
  csrfToken: string;
}

/** The form and answer (also the htmx partial). */
export const StatusPanel: FC<StatusProps> = ({ values, errors, answer, csrfToken }) => (
  <div id="status-panel">
    <form
      method="post"
      action="/richieste/stato"
      hx-post="/richieste/stato"
      hx-target="#status-panel"
      hx-swap="outerHTML"
      novalidate
    >
      <input type="hidden" name="_csrf" value={csrfToken} />
      <Field
        name="code"
        label="Codice della richiesta"
        value={values.code}
        error={errors.code}
        required
        hint="8 caratteri, come K2AB-CD7E, stampato sulla ricevuta."
      />
      <Field
        name="taxCode"
        label="Codice fiscale di chi ha presentato la richiesta"
        value={values.taxCode}
        error={errors.taxCode}
        required
      />
      <button type="submit" class="btn btn-primary">Verifica</button>
    </form>
    {answer
      ? (
        <div class="alert alert-info mt-4" role="status" data-testid="status-answer">
          <p class="mb-1">
            Stato: <strong>{answer.stateLabel}</strong>
          </p>
          <p class="mb-0">
            Termine per la risposta: <strong>{italianDate(answer.dueOn)}</strong>
            {answer.overdue ? " (termine superato: rivolgiti allo sportello)" : ""}
          </p>
        </div>
      )
      : null}
    {answer?.fee
      ? <FeeStatusBlock fee={answer.fee} awaitingPayment={answer.awaitingPayment ?? false} />
      : null}
  </div>
);

/** The whole page. */
export const StatusPage: FC<StatusProps> = (props) => (
  <Layout title="Stato della richiesta">
    <h1>Stato della richiesta</h1>
    <StatusPanel {...props} />
  </Layout>
);
