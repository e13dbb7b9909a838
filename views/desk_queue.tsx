/** The clerk's queue: requests by days left, overdue first and marked, with filters. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { ACCESS_STATES, type AccessState } from "../domain/access_states.ts";
import { REGIME_LABELS } from "../db/registro.ts";
import { useI18n } from "../i18n/context.tsx";
import { labelOf } from "../i18n/i18n.ts";

/** One queue line. */
export interface QueueItem {
  id: string;
  code: string;
  filedOn: string;
  regime: keyof typeof REGIME_LABELS;
  state: AccessState;
  dueOn: string;
  daysLeft: number;
  overdue: boolean;
  /** Last day to ask for completion, while that can still be done (documentale). */
  completionBy?: string;
  completionLate?: boolean;
}

/** Queue page props. */
export interface QueueProps {
  items: QueueItem[];
  filter: { state: string; regime: string };
  staff: { username: string; role: string; csrfToken: string };
}

/** The queue page. */
export const QueuePage: FC<QueueProps> = ({ items, filter, staff }) => {
  const { t, longDay } = useI18n();
  return (
    <Layout title={t.desk.queueTitle}>
      <StaffBar {...staff} />
      <h1>{t.desk.queueHeading}</h1>
      <form method="get" action="/sportello" class="d-flex flex-wrap gap-3 align-items-end mb-4">
        <div>
          <label class="form-label" for="state">{t.desk.state}</label>
          <select class="form-select" id="state" name="state">
            <option value="">{t.desk.open}</option>
            <option value="all" selected={filter.state === "all"}>{t.desk.all}</option>
            {ACCESS_STATES.map((s) => (
              <option key={s} value={s} selected={filter.state === s}>
                {t.request.states[s]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label class="form-label" for="regime">{t.desk.regime}</label>
          <select class="form-select" id="regime" name="regime">
            <option value="">{t.desk.allRegimes}</option>
            {Object.keys(REGIME_LABELS).map((k) => (
              <option key={k} value={k} selected={filter.regime === k}>
                {labelOf(t.request.regimes, k)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-primary">{t.staff.filter}</button>
      </form>
      {items.length === 0 ? <p>{t.desk.noRequests}</p> : (
        <table class="table queue-table">
          <caption class="visually-hidden">{t.desk.queueCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.desk.colCode}</th>
              <th scope="col">{t.desk.colFiled}</th>
              <th scope="col">{t.desk.colType}</th>
              <th scope="col">{t.desk.colState}</th>
              <th scope="col">{t.desk.colDue}</th>
              <th scope="col">{t.desk.colDays}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} class={r.overdue ? "overdue" : undefined}>
                <td>
                  <a href={`/sportello/richieste/${r.id}`}>{r.code}</a>
                </td>
                <td>{longDay(r.filedOn)}</td>
                <td>{t.request.regimes[r.regime]}</td>
                <td>
                  {t.request.states[r.state]}
                  {r.completionBy
                    ? (
                      <small class="d-block">
                        {r.completionLate
                          ? t.desk.completionLate(longDay(r.completionBy))
                          : t.desk.completionBy(longDay(r.completionBy))}
                      </small>
                    )
                    : null}
                </td>
                <td>{longDay(r.dueOn)}</td>
                <td>
                  {r.overdue
                    ? <strong class="overdue-label">{t.desk.overdueBy(-r.daysLeft)}</strong>
                    : String(r.daysLeft)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
};
