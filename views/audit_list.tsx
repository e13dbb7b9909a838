/** The audit log: clerks see their own entries, admins everyone's. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import type { AuditEntry, AuditFilter } from "../db/audit.ts";
import { isAccessState } from "../domain/access_states.ts";
import { useI18n } from "../i18n/context.tsx";
import { labelOf } from "../i18n/i18n.ts";
import type { Messages } from "../i18n/it.ts";
import type { Locale } from "../i18n/locale.ts";

/** The name of an audit action in catalogue `t`'s language; an unknown code shows as is. */
export function auditActionLabel(t: Messages, action: string): string {
  return labelOf(t.audit.actions, action) ?? action;
}

/** "Richiesta K2AB-CDEF", linked to the desk; a record opens the clerk's record page. */
const Subject: FC<{ entry: AuditEntry; codes: Map<string, string> }> = ({ entry, codes }) => {
  const { t, locale } = useI18n();
  const { recordKind: kind, recordId: id } = entry;
  const detail = entry.detail ? <>{" · "}{detailText(t, locale, entry.detail)}</> : "";
  if (!kind || !id) return <>{entry.detail ? detailText(t, locale, entry.detail) : ""}</>;
  const label = labelOf(t.audit.kinds, kind) ?? kind;
  if (kind === "access_request") {
    const code = codes.get(id);
    return code
      ? (
        <>
          {label} <a href={`/sportello/richieste/${encodeURIComponent(id)}`}>{code}</a>
          {detail}
        </>
      )
      : <>{label} {t.audit.gone}{detail}</>;
  }
  return (
    <>
      {label} <a href={`/sportello/pratiche/${encodeURIComponent(`${kind}:${id}`)}`}>{id}</a>
      {detail}
    </>
  );
};

// Desk actions record the request's new state as their detail; other details are text
// written in Italian when the action happened (a grant's summary, a title kind), marked so.
function detailText(t: Messages, locale: Locale, detail: string) {
  if (isAccessState(detail)) return t.request.states[detail];
  return locale === "it" ? detail : <span lang="it">{detail}</span>;
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
export const AuditPage: FC<AuditProps> = (p) => {
  const { t, dateTime } = useI18n();
  return (
    <Layout title={t.audit.title}>
      <StaffBar {...p.staff} />
      <h1>{t.audit.title}</h1>
      <p>
        {p.allUsers ? t.audit.everyone : t.audit.own}{" "}
        <a href={`/audit.csv${query(p.filter, p.allUsers)}`}>{t.audit.csv}</a>
      </p>
      <form method="get" action="/audit" class="d-flex flex-wrap gap-3 align-items-end mb-4">
        {p.allUsers
          ? (
            <div>
              <label class="form-label" for="operatore">{t.audit.clerk}</label>
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
          <label class="form-label" for="dal">{t.audit.from}</label>
          <input class="form-control" type="date" id="dal" name="dal" value={p.filter.from ?? ""} />
        </div>
        <div>
          <label class="form-label" for="al">{t.audit.to}</label>
          <input class="form-control" type="date" id="al" name="al" value={p.filter.to ?? ""} />
        </div>
        <button type="submit" class="btn btn-primary">{t.staff.filter}</button>
      </form>
      <table class="table">
        <caption class="visually-hidden">{t.audit.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.audit.colWhen}</th>
            <th scope="col">{t.audit.colBranch}</th>
            <th scope="col">{t.audit.colClerk}</th>
            <th scope="col">{t.audit.colAction}</th>
            <th scope="col">{t.audit.colSubject}</th>
          </tr>
        </thead>
        <tbody>
          {p.entries.map((e) => (
            <tr key={e.id}>
              <td>{dateTime(e.at)}</td>
              <td>{e.branch}</td>
              <td>{e.actor ?? "—"}</td>
              <td>{auditActionLabel(t, e.action)}</td>
              <td>
                <Subject entry={e} codes={p.codes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
};
