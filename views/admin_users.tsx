/** Admin: the accounts list, the new-account form, enable/disable and role changes. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { useI18n } from "../i18n/context.tsx";
import type { User } from "../db/users.ts";

/** Users page props. */
export interface UsersProps {
  users: User[];
  error?: string | undefined;
  notice?: string | undefined;
  staff: { username: string; role: string; csrfToken: string };
}

/** The users page. */
export const UsersPage: FC<UsersProps> = (p) => {
  const { t } = useI18n();
  return (
    <Layout title={t.admin.usersTitle}>
      <StaffBar {...p.staff} />
      <h1>{t.admin.usersTitle}</h1>
      {p.error ? <div class="alert alert-danger" role="alert">{p.error}</div> : null}
      {p.notice ? <div class="alert alert-success" role="status">{p.notice}</div> : null}
      <table class="table">
        <caption class="visually-hidden">{t.admin.usersCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.admin.colUser}</th>
            <th scope="col">{t.admin.colRole}</th>
            <th scope="col">{t.admin.colState}</th>
            <th scope="col">{t.admin.colActions}</th>
          </tr>
        </thead>
        <tbody>
          {p.users.map((u) => (
            <tr key={u.id}>
              <td>{u.username}{u.displayName ? ` (${u.displayName})` : ""}</td>
              <td>{u.role === "admin" ? t.admin.roleAdmin : t.admin.roleClerk}</td>
              <td>{u.disabled ? t.admin.disabled : t.admin.active}</td>
              <td>
                <form method="post" action="/admin/utenti/stato" class="d-inline">
                  <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
                  <input type="hidden" name="username" value={u.username} />
                  <input type="hidden" name="disabled" value={u.disabled ? "0" : "1"} />
                  <button type="submit" class="btn btn-outline-secondary btn-sm">
                    {u.disabled ? t.admin.enable : t.admin.disable}
                    <span class="visually-hidden">{` ${u.username}`}</span>
                  </button>
                </form>
                <form method="post" action="/admin/utenti/ruolo" class="d-inline ms-2">
                  <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
                  <input type="hidden" name="username" value={u.username} />
                  <input type="hidden" name="role" value={u.role === "admin" ? "clerk" : "admin"} />
                  <button type="submit" class="btn btn-outline-secondary btn-sm">
                    {u.role === "admin" ? t.admin.makeClerk : t.admin.makeAdmin}
                    <span class="visually-hidden">{` ${u.username}`}</span>
                  </button>
                </form>
                <form method="post" action="/admin/utenti/password" class="d-flex gap-2 mt-2">
                  <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
                  <input type="hidden" name="username" value={u.username} />
                  <label class="visually-hidden" for={`pw-${u.id}`}>
                    {t.admin.newPasswordFor(u.username)}
                  </label>
                  <input
                    class="form-control form-control-sm"
                    id={`pw-${u.id}`}
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    placeholder={t.admin.newPassword}
                  />
                  <button type="submit" class="btn btn-outline-secondary btn-sm">
                    {t.admin.setPassword}
                    <span class="visually-hidden">{t.admin.setPasswordOf(u.username)}</span>
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 class="h4">{t.admin.newUser}</h2>
      <form method="post" action="/admin/utenti" class="mb-4">
        <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
        <div class="mb-3">
          <label class="form-label" for="new-username">{t.admin.username}</label>
          <input class="form-control" id="new-username" name="username" autocomplete="off" />
        </div>
        <div class="mb-3">
          <label class="form-label" for="new-display">{t.admin.displayName}</label>
          <input class="form-control" id="new-display" name="displayName" autocomplete="off" />
        </div>
        <div class="mb-3">
          <label class="form-label" for="new-role">{t.admin.role}</label>
          <select class="form-select" id="new-role" name="role">
            <option value="clerk">{t.admin.roleClerk}</option>
            <option value="admin">{t.admin.roleAdmin}</option>
          </select>
        </div>
        <div class="mb-3">
          <label class="form-label" for="new-password">{t.admin.passwordMin}</label>
          <input
            class="form-control"
            id="new-password"
            name="password"
            type="password"
            autocomplete="new-password"
          />
        </div>
        <button type="submit" class="btn btn-primary">{t.admin.createUser}</button>
      </form>
    </Layout>
  );
};
