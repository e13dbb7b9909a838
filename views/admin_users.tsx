/** Admin: the accounts list, the new-account form, enable/disable and role changes. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import type { User } from "../db/users.ts";

/** Users page props. */
export interface UsersProps {
  users: User[];
  error?: string | undefined;
  notice?: string | undefined;
  staff: { username: string; role: string; csrfToken: string };
}

/** The users page. */
export const UsersPage: FC<UsersProps> = (p) => (
  <Layout title="Utenti">
    <StaffBar {...p.staff} />
    <h1>Utenti</h1>
    {p.error ? <div class="alert alert-danger" role="alert">{p.error}</div> : null}
    {p.notice ? <div class="alert alert-success" role="status">{p.notice}</div> : null}
    <table class="table">
      <caption class="visually-hidden">Account degli operatori</caption>
      <thead>
        <tr>
          <th scope="col">Utente</th>
          <th scope="col">Ruolo</th>
          <th scope="col">Stato</th>
          <th scope="col">Azioni</th>
        </tr>
      </thead>
      <tbody>
        {p.users.map((u) => (
          <tr key={u.id}>
            <td>{u.username}{u.displayName ? ` (${u.displayName})` : ""}</td>
            <td>{u.role === "admin" ? "Amministratore" : "Operatore"}</td>
            <td>{u.disabled ? "Disattivato" : "Attivo"}</td>
            <td>
              <form method="post" action="/admin/utenti/stato" class="d-inline">
                <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
                <input type="hidden" name="username" value={u.username} />
                <input type="hidden" name="disabled" value={u.disabled ? "0" : "1"} />
                <button type="submit" class="btn btn-outline-secondary btn-sm">
                  {u.disabled ? "Riattiva" : "Disattiva"}
                  <span class="visually-hidden">{` ${u.username}`}</span>
                </button>
              </form>
              <form method="post" action="/admin/utenti/ruolo" class="d-inline ms-2">
                <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
                <input type="hidden" name="username" value={u.username} />
                <input type="hidden" name="role" value={u.role === "admin" ? "clerk" : "admin"} />
                <button type="submit" class="btn btn-outline-secondary btn-sm">
                  {u.role === "admin" ? "Rendi operatore" : "Rendi amministratore"}
                  <span class="visually-hidden">{` ${u.username}`}</span>
                </button>
              </form>
              <form method="post" action="/admin/utenti/password" class="d-flex gap-2 mt-2">
                <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
                <input type="hidden" name="username" value={u.username} />
                <label class="visually-hidden" for={`pw-${u.id}`}>
                  {`Nuova password per ${u.username}`}
                </label>
                <input
                  class="form-control form-control-sm"
                  id={`pw-${u.id}`}
                  name="password"
                  type="password"
                  autocomplete="new-password"
                  placeholder="Nuova password"
                />
                <button type="submit" class="btn btn-outline-secondary btn-sm">
                  Imposta<span class="visually-hidden">{` la password di ${u.username}`}</span>
                </button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    <h2 class="h4">Nuovo utente</h2>
    <form method="post" action="/admin/utenti" class="mb-4">
      <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
      <div class="mb-3">
        <label class="form-label" for="new-username">Nome utente</label>
        <input class="form-control" id="new-username" name="username" autocomplete="off" />
      </div>
      <div class="mb-3">
        <label class="form-label" for="new-display">Nome e cognome</label>
        <input class="form-control" id="new-display" name="displayName" autocomplete="off" />
      </div>
      <div class="mb-3">
        <label class="form-label" for="new-role">Ruolo</label>
        <select class="form-select" id="new-role" name="role">
          <option value="clerk">Operatore</option>
          <option value="admin">Amministratore</option>
        </select>
      </div>
      <div class="mb-3">
        <label class="form-label" for="new-password">Password (almeno 10 caratteri)</label>
        <input
          class="form-control"
          id="new-password"
          name="password"
          type="password"
          autocomplete="new-password"
        />
      </div>
      <button type="submit" class="btn btn-primary">Crea utente</button>
    </form>
  </Layout>
);
