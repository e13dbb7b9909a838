/** Admin (archive): notices to citizens set aside with their reason, and those still to send. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import type { NoticeRow } from "../db/notices.ts";
import { useI18n } from "../i18n/context.tsx";
import { labelOf } from "../i18n/i18n.ts";
import { INTL_TAG, type Locale } from "../i18n/locale.ts";

/** Page props. */
export interface NoticesPageProps {
  failed: NoticeRow[];
  pending: NoticeRow[];
  sentCount: number;
  channels: { appIo: boolean; email: boolean };
  notice?: string | undefined;
  staff: { username: string; role: string; csrfToken: string };
}

function when(iso: string | null, locale: Locale): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(INTL_TAG[locale], {
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

/** A delivery error as stored: Italian (the sender job writes it), marked so in English. */
const Stored: FC<{ text: string | null; locale: Locale }> = ({ text, locale }) =>
  text === null ? <>—</> : locale === "it" ? <>{text}</> : <span lang="it">{text}</span>;

/** The page. */
export const NoticesPage: FC<NoticesPageProps> = (p) => {
  const { t, locale } = useI18n();
  const a = t.noticesAdmin;
  const kind = (k: string) => labelOf(a.kinds, k) ?? k;
  return (
    <Layout title={a.title}>
      <StaffBar {...p.staff} />
      <h1>{a.title}</h1>
      {p.notice ? <div class="alert alert-success" role="status">{p.notice}</div> : null}
      <p>
        {a.appIo} <strong>{p.channels.appIo ? a.appIoOn : a.appIoOff}</strong> · {a.email}{" "}
        <strong>{p.channels.email ? a.emailOn : a.emailOff}</strong> · {a.sent}{" "}
        <strong>{p.sentCount}</strong>
      </p>
      <h2 class="h4">{a.setAside}</h2>
      {p.failed.length === 0
        ? <p>{a.noneSetAside}</p>
        : (
          <table class="table" data-testid="notices-failed">
            <thead>
              <tr>
                <th scope="col">{a.colReceipt}</th>
                <th scope="col">{a.colKind}</th>
                <th scope="col">{a.colChannel}</th>
                <th scope="col">{a.colRecipient}</th>
                <th scope="col">{a.colReason}</th>
                <th scope="col">{a.colAttempts}</th>
                <th scope="col">
                  <span class="visually-hidden">{a.colActions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.failed.map((n) => (
                <tr key={n.id}>
                  <td>{n.receiptCode ?? "—"}</td>
                  <td>{kind(n.kind)}</td>
                  <td>{a.channels[n.channel]}</td>
                  <td>{maskRecipient(n.recipient)}</td>
                  <td>
                    <Stored text={n.lastError} locale={locale} />
                  </td>
                  <td>{n.attempts}</td>
                  <td>
                    <form method="post" action="/admin/avvisi/riprova">
                      <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" class="btn btn-sm btn-outline-primary">
                        {a.retry}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <h2 class="h4">{a.toSend}</h2>
      {p.pending.length === 0
        ? <p>{a.noneToSend}</p>
        : (
          <table class="table" data-testid="notices-pending">
            <thead>
              <tr>
                <th scope="col">{a.colReceipt}</th>
                <th scope="col">{a.colKind}</th>
                <th scope="col">{a.colChannel}</th>
                <th scope="col">{a.colNext}</th>
                <th scope="col">{a.colAttempts}</th>
                <th scope="col">{a.colLastError}</th>
              </tr>
            </thead>
            <tbody>
              {p.pending.map((n) => (
                <tr key={n.id}>
                  <td>{n.receiptCode ?? "—"}</td>
                  <td>{kind(n.kind)}</td>
                  <td>{a.channels[n.channel]}</td>
                  <td>{when(n.nextAttemptAt, locale)}</td>
                  <td>{n.attempts}</td>
                  <td>
                    <Stored text={n.lastError} locale={locale} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </Layout>
  );
};
