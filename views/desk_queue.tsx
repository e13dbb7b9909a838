/** The clerk's queue: requests by days left, overdue first and marked, with filters. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { italianDate } from "./request_receipt.tsx";
import { ACCESS_STATE_LABELS, ACCESS_STATES } from "../domain/access_states.ts";
import { REGIME_LABELS } from "../db/registro.ts";

/** One queue line. */
export interface QueueItem {
  id: string;
  code: string;
  filedOn: string;
  regime: keyof typeof REGIME_LABELS;
  stateLabel: string;
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
export const QueuePage: FC<QueueProps> = ({ items, filter, staff }) => (
  <Layout title="Coda delle richieste">
    <StaffBar {...staff} />
    <h1>Richieste di accesso</h1>
    <form method="get" action="/sportello" class="d-flex flex-wrap gap-3 align-items-end mb-4">
      <div>
        <label class="form-label" for="state">Stato</label>
        <select class="form-select" id="state" name="state">
          <option value="">Aperte</option>
          <option value="all" selected={filter.state === "all"}>Tutte</option>
          {ACCESS_STATES.map((s) => (
            <option key={s} value={s} selected={filter.state === s}>
              {ACCESS_STATE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label class="form-label" for="regime">Tipo di accesso</label>
        <select class="form-select" id="regime" name="regime">
          <option value="">Tutti</option>
          {Object.entries(REGIME_LABELS).map(([k, v]) => (
            <option key={k} value={k} selected={filter.regime === k}>{v}</option>
          ))}
        </select>
      </div>
      <button type="submit" class="btn btn-primary">Filtra</button>
    </form>
    {items.length === 0
      ? <p>Nessuna richiesta con questi filtri.</p>
      : (
        <table class="table queue-table">
          <caption class="visually-hidden">Richieste ordinate per giorni alla scadenza</caption>
          <thead>
            <tr>
              <th scope="col">Codice</th>
              <th scope="col">Presentata</th>
              <th scope="col">Tipo</th>
              <th scope="col">Stato</th>
              <th scope="col">Scadenza</th>
              <th scope="col">Giorni</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} class={r.overdue ? "overdue" : undefined}>
                <td>
                  <a href={`/sportello/richieste/${r.id}`}>{r.code}</a>
                </td>
                <td>{italianDate(r.filedOn)}</td>
                <td>{REGIME_LABELS[r.regime]}</td>
                <td>
                  {r.stateLabel}
                  {r.completionBy
                    ? (
                      <small class="d-block">
                        {r.completionLate
                          ? `termine per l'integrazione scaduto il ${italianDate(r.completionBy)}`
                          : `integrazione entro il ${italianDate(r.completionBy)}`}
                      </small>
                    )
                    : null}
                </td>
                <td>{italianDate(r.dueOn)}</td>
                <td>
                  {r.overdue
                    ? <strong class="overdue-label">Scaduta da {-r.daysLeft} gg</strong>
                    : String(r.daysLeft)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
  </Layout>
);
