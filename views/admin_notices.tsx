/** Admin (archive): notices to citizens set aside with their reason, and those still to send. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import type { NoticeRow } from "../db/notices.ts";
import { NOTICE_KIND_LABELS, type NoticeKind } from "../domain/notice_texts.ts";

/** Page props. */
export interface NoticesPageProps {
  failed: NoticeRow[];
  pending: NoticeRow[];
  sentCount: number;
  channels: { appIo: boolean; email: boolean };
  notice?: string | undefined;
  staff: { username: string; role: string; csrfToken: string };
}

const CHANNEL: Record<NoticeRow["channel"], string> = { app_io: "App IO", email: "E-mail" };

function kindLabel(kind: string): string {
  return NOTICE_KIND_LABELS[kind as NoticeKind] ?? kind;
}

function when(iso: string | null): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("it-IT", {
    timeZone: "Europe/Rome",
    dateStyle: "short",
    timeStyle: "short",
  }).format(new Date(iso));
}

/** The recipient half hidden: the page is for fixing delivery, not for reading addresses. */
export function maskRecipient(r: string): string {
  const at = r.indexOf("@");
  if (at > 0) return `${r.slice(0, Math.min(2, at))}…${r.slice(at)}`;
  return r.length > 6 ? `${r.slice(0, 6)}…` : r;
}

/** The page. */
export const NoticesPage: FC<NoticesPageProps> = (p) => (
  <Layout title="Avvisi ai cittadini">
    <StaffBar {...p.staff} />
    <h1>Avvisi ai cittadini</h1>
    {p.notice ? <div class="alert alert-success" role="status">{p.notice}</div> : null}
    <p>
      App IO: <strong>{p.channels.appIo ? "attivo" : "spento"}</strong> · E-mail:{" "}
      <strong>{p.channels.email ? "attiva" : "spenta"}</strong> · Avvisi inviati:{" "}
      <strong>{p.sentCount}</strong>
    </p>
    <h2 class="h4">Messi da parte</h2>
    {p.failed.length === 0
      ? <p>Nessun avviso messo da parte.</p>
      : (
        <table class="table" data-testid="notices-failed">
          <thead>
            <tr>
              <th scope="col">Ricevuta</th>
              <th scope="col">Avviso</th>
              <th scope="col">Canale</th>
              <th scope="col">Destinatario</th>
              <th scope="col">Motivo</th>
              <th scope="col">Tentativi</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {p.failed.map((n) => (
              <tr key={n.id}>
                <td>{n.receiptCode ?? "—"}</td>
                <td>{kindLabel(n.kind)}</td>
                <td>{CHANNEL[n.channel]}</td>
                <td>{maskRecipient(n.recipient)}</td>
                <td>{n.lastError ?? "—"}</td>
                <td>{n.attempts}</td>
                <td>
                  <form method="post" action="/admin/avvisi/riprova">
                    <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" class="btn btn-sm btn-outline-primary">Riprova</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    <h2 class="h4">Da inviare</h2>
    {p.pending.length === 0
      ? <p>Nessun avviso in attesa.</p>
      : (
        <table class="table" data-testid="notices-pending">
          <thead>
            <tr>
              <th scope="col">Ricevuta</th>
              <th scope="col">Avviso</th>
              <th scope="col">Canale</th>
              <th scope="col">Prossimo tentativo</th>
              <th scope="col">Tentativi</th>
              <th scope="col">Ultimo errore</th>
            </tr>
          </thead>
          <tbody>
            {p.pending.map((n) => (
              <tr key={n.id}>
                <td>{n.receiptCode ?? "—"}</td>
                <td>{kindLabel(n.kind)}</td>
                <td>{CHANNEL[n.channel]}</td>
                <td>{when(n.nextAttemptAt)}</td>
                <td>{n.attempts}</td>
                <td>{n.lastError ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
  </Layout>
);
