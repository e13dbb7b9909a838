/** The audit log: clerks see their own entries, admins everyone's. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { italianDateTime } from "./request_receipt.tsx";
import type { AuditEntry } from "../db/audit.ts";

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
};

/** Audit page props. */
export interface AuditProps {
  entries: AuditEntry[];
  allUsers: boolean;
  staff: { username: string; role: string; csrfToken: string };
}

/** The audit page. */
export const AuditPage: FC<AuditProps> = (p) => (
  <Layout title="Registro attività">
    <StaffBar {...p.staff} />
    <h1>Registro attività</h1>
    <p>
      {p.allUsers ? "Attività di tutti gli operatori." : "Le tue attività."}{" "}
      <a href="/audit.csv">Scarica in CSV</a>
    </p>
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
            <td>{[e.recordKind, e.recordId, e.detail].filter(Boolean).join(" · ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </Layout>
);
