/** The clerks' login page. */
import type { FC } from "hono/jsx";
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
export const StaffBar: FC<{ username: string; role: string; csrfToken: string }> = (p) => {
  const { t } = useI18n();
  const site = useSite();
  return (
    <>
      <link rel="stylesheet" href={assetUrl("desk.css")} />
      <nav
        class="staff-bar d-flex flex-wrap gap-3 align-items-center mb-4"
        aria-label={t.staff.barLabel}
      >
        <a href="/sportello">{t.staff.barQueue}</a>
        <a href="/sportello/cerca">{t.staff.barSearch}</a>
        <a href="/registro-accessi">{t.staff.barRegistro}</a>
        <a href="/audit">{t.staff.barAudit}</a>
        {p.role === "admin"
          ? (
            <>
              <a href="/admin/utenti">{t.staff.barUsers}</a>
              <a href="/admin/impostazioni">{t.staff.barSettings}</a>
              <a href="/admin/tariffe">{t.staff.barFees}</a>
              <a href="/admin/sync">{t.staff.barSync}</a>
              {site.role === "archive" ? <a href="/admin/avvisi">{t.staff.barNotices}</a> : null}
            </>
          )
          : null}
        <span class="ms-auto">
          {p.username} ({p.role === "admin" ? t.staff.roleAdmin : t.staff.roleClerk})
        </span>
        <form method="post" action="/logout">
          <input type="hidden" name="_csrf" value={p.csrfToken} />
          <button type="submit" class="btn btn-outline-secondary btn-sm">{t.staff.logout}</button>
        </form>
      </nav>
    </>
  );
};
