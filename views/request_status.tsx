/** "Stato della richiesta": code + codice fiscale → state and due date, nothing else. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { Field } from "./request_form.tsx";
import { useI18n } from "../i18n/context.tsx";
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
export const StatusPanel: FC<StatusProps> = ({ values, errors, answer, csrfToken }) => {
  const { t, longDay } = useI18n();
  const s = t.status;
  return (
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
          label={s.code}
          value={values.code}
          error={errors.code}
          required
          hint={s.codeHint}
        />
        <Field
          name="taxCode"
          label={s.taxCode}
          value={values.taxCode}
          error={errors.taxCode}
          required
        />
        <button type="submit" class="btn btn-primary">{s.check}</button>
      </form>
      {answer
        ? (
          <div class="alert alert-info mt-4" role="status" data-testid="status-answer">
            <p class="mb-1">
              {s.state} <strong>{answer.stateLabel}</strong>
            </p>
            <p class="mb-0">
              {s.due} <strong>{longDay(answer.dueOn)}</strong>
              {answer.overdue ? s.overdue : ""}
            </p>
          </div>
        )
        : null}
      {answer?.fee
        ? <FeeStatusBlock fee={answer.fee} awaitingPayment={answer.awaitingPayment ?? false} />
        : null}
    </div>
  );
};

/** The whole page. */
export const StatusPage: FC<StatusProps> = (props) => {
  const { t } = useI18n();
  return (
    <Layout title={t.status.title}>
      <h1>{t.status.title}</h1>
      <StatusPanel {...props} />
      <p class="mt-4">
        <a class="btn btn-outline-primary" href="/consultazione" data-testid="consult-link">
          {t.consult.link}
        </a>
      </p>
    </Layout>
  );
};
