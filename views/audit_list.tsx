/** The audit log: clerks see their own entries, admins everyone's. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { italianDateTime } from "./request_receipt.tsx";
import type { AuditEntry, AuditFilter } from "../db/audit.ts";
import { ACCESS_STATE_LABELS, isAccessState } from "../domain/access_states.ts";

/** Italian names of audit actions. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  login_ok: "Accesso",
  login_failed: "Accesso fallito",
  login_blocked: "Accesso bloccato (troppi tentativi)",
  logout: "Uscita",
  view_request: "Consultazione dati del richiedente",
  view_people: "Consultazione dati personali di una pratica",
  decide: "Decisione",
  user_add: "Nuovo utente",
  user_disable: "Utente disattivato",
  user_enable: "Utente riattivato",
  user_role: "Ruolo cambiato",
  user_password: "Password reimpostata",
  settings_change: "Impostazioni modificate",
  sync_trigger: "Sincronizzazione avviata",
  booking_agenda_view: "Agenda delle prenotazioni consultata",
  request_start_review: "Istruttoria avviata",
  request_request_completion: "Integrazione chiesta al richiedente",
  request_completed: "Integrazione ricevuta",
  request_withdraw: "Richiesta segnata come ritirata",
  request_notify_counterparties: "Notifica ai controinteressati",
  request_counterparties_resolved: "Controinteressati: opposizione o termine decorso",
  request_consultation_done: "Consultazione avvenuta",
  request_record_appeal: "Riesame o ricorso registrato",
  record_title: "Titolo del richiedente verificato",
  grant_create: "Concessione di consultazione",
  grant_revoke: "Concessione revocata",
};

/** Italian names of what an entry is about. */
const KIND_LABELS: Record<string, string> = {
  access_request: "Richiesta",
  dossier: "Pratica",
  act: "Atto",
};

/** "Richiesta K2AB-CDEF", linked to the desk; a record opens the clerk's record page. */
const Subject: FC<{ entry: AuditEntry; codes: Map<string, string> }> = ({ entry, codes }) => {
  const { recordKind: kind, recordId: id } = entry;
  const detail = entry.detail ? ` · ${stateOrText(entry.detail)}` : "";
  if (!kind || !id) return <>{entry.detail ?? ""}</>;
  const label = KIND_LABELS[kind] ?? kind;
  if (kind === "access_request") {
    const code = codes.get(id);
    return code
      ? (
        <>
          {label} <a href={`/sportello/richieste/${encodeURIComponent(id)}`}>{code}</a>
          {detail}
        </>
      )
      : <>{label} (non più presente){detail}</>;
  }
  return (
    <>
      {label} <a href={`/sportello/pratiche/${encodeURIComponent(`${kind}:${id}`)}`}>{id}</a>
      {detail}
    </>
  );
};

// Desk actions record the request's new state as their detail.
function stateOrText(detail: string): string {
  return isAccessState(detail) ? ACCESS_STATE_LABELS[detail] : detail;
}

/** Audit page props. */
export interface AuditProps {
  entries: AuditEntry[];
  /** Receipt codes of the requests the entries are about, by request id. */
  codes: Map<string, string>;
  filter: AuditFilter;
  allUsers: boolean;
  staff: { username: string; role: string; csrfToken: string };
}

function query(f: AuditFilter, allUsers: boolean): string {
  const q = new URLSearchParams();
  if (allUsers && f.actor) q.set("operatore", f.actor);
  if (f.from) q.set("dal", f.from);
  if (f.to) q.set("al", f.to);
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** The audit page. */
export const AuditPage: FC<AuditProps> = (p) => (
  <Layout title="Registro attività">
    <StaffBar {...p.staff} />
    <h1>Registro attività</h1>
    <p>
      {p.allUsers ? "Attività di tutti gli operatori." : "Le tue attività."}{" "}
      <a href={`/audit.csv${query(p.filter, p.allUsers)}`}>Scarica in CSV</a>
    </p>
    <form method="get" action="/audit" class="d-flex flex-wrap gap-3 align-items-end mb-4">
      {p.allUsers
        ? (
          <div>
            <label class="form-label" for="operatore">Operatore</label>
            <input
              class="form-control"
              id="operatore"
              name="operatore"
              value={p.filter.actor ?? ""}
            />
          </div>
        )
        : null}
      <div>
        <label class="form-label" for="dal">Dal</label>
        <input class="form-control" type="date" id="dal" name="dal" value={p.filter.from ?? ""} />
      </div>
      <div>
        <label class="form-label" for="al">Al</label>
        <input class="form-control" type="date" id="al" name="al" value={p.filter.to ?? ""} />
      </div>
      <button type="submit" class="btn btn-primary">Filtra</button>
    </form>
    <table class="table">
      <caption class="visually-hidden">Voci del registro, dalla più recente</caption>
      <thead>
        <tr>
          <th scope="col">Quando</th>
          <th scope="col">Sede</th>
          <th scope="col">Operatore</th>
          <th scope="col">Azione</th>
          <th scope="col">Oggetto</th>
        </tr>
      </thead>
      <tbody>
        {p.entries.map((e) => (
          <tr key={e.id}>
            <td>{italianDateTime(e.at)}</td>
            <td>{e.branch}</td>
            <td>{e.actor ?? "—"}</td>
            <td>{AUDIT_ACTION_LABELS[e.action] ?? e.action}</td>
            <td>
              <Subject entry={e} codes={p.codes} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </Layout>
);
