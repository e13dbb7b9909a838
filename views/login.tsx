/** The clerks' login page. */
import type { Child, FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { useSite } from "./site.tsx";
import { assetUrl } from "./assets.ts";
import { useI18n } from "../i18n/context.tsx";

/** Login form with an optional error and the page to go back to. */
export const LoginPage: FC<{ csrfToken: string; next: string; error?: string; username?: string }> =
  (
    p,
  ) => {
    const { t } = useI18n();
    return (
      <Layout title={t.staff.loginTitle}>
        <h1>{t.staff.loginTitle}</h1>
        {p.error ? <div class="alert alert-danger" role="alert">{p.error}</div> : null}
        <form method="post" action="/login" class="login-form" novalidate>
          <input type="hidden" name="_csrf" value={p.csrfToken} />
          <input type="hidden" name="next" value={p.next} />
          <div class="mb-3">
            <label class="form-label" for="username">{t.staff.username}</label>
            <input
              class="form-control"
              id="username"
              name="username"
              autocomplete="username"
              value={p.username ?? ""}
            />
          </div>
          <div class="mb-3">
            <label class="form-label" for="password">{t.staff.password}</label>
            <input
              class="form-control"
              id="password"
              name="password"
              type="password"
              autocomplete="current-password"
            />
          </div>
          <button type="submit" class="btn btn-primary">{t.staff.enter}</button>
        </form>
      </Layout>
    );
  };

/** The bar above every clerk page: who is logged in, the sections, logout. */
// A section of the staff bar; the one being read says so (aria-current), in bold.
const Section: FC<{ href: string; children: Child }> = ({ href, children }) => {
  const { here } = useI18n();
  const current = here === href || here.startsWith(`${href}/`) && href !== "/sportello";
  return <a href={href} aria-current={current ? "page" : undefined}>{children}</a>;
};

export const StaffBar: FC<{ username: string; role: string; csrfToken: string }> = (p) => {
  const { t } = useI18n();
  const site = useSite();
  return (
    <>
      <link rel="stylesheet" href={assetUrl("desk.css")} />
      {
        /* Who is signed in above, the sections below: two rows by design, so the long admin
          list never pushes the sign-out button onto a line of its own at 1366 px. */
      }
      <div class="staff-bar mb-4">
        <div class="staff-user">
          <span>
            {p.username} ({p.role === "admin" ? t.staff.roleAdmin : t.staff.roleClerk})
          </span>
          <form method="post" action="/logout">
            <input type="hidden" name="_csrf" value={p.csrfToken} />
            <button type="submit" class="btn btn-outline-secondary btn-sm">{t.staff.logout}</button>
          </form>
        </div>
        <nav class="staff-sections" aria-label={t.staff.barLabel}>
          <Section href="/sportello">{t.staff.barQueue}</Section>
          <Section href="/sportello/cerca">{t.staff.barSearch}</Section>
          <Section href="/registro-accessi">{t.staff.barRegistro}</Section>
          <Section href="/audit">{t.staff.barAudit}</Section>
          {p.role === "admin"
            ? (
              <>
                <Section href="/admin/utenti">{t.staff.barUsers}</Section>
                <Section href="/admin/impostazioni">{t.staff.barSettings}</Section>
                <Section href="/admin/tariffe">{t.staff.barFees}</Section>
                <Section href="/admin/sync">{t.staff.barSync}</Section>
                {site.role === "archive"
                  ? <Section href="/admin/avvisi">{t.staff.barNotices}</Section>
                  : null}
              </>
            )
            : null}
        </nav>
      </div>
    </>
  );
};
