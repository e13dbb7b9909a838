/** The clerks' login page. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { useSite } from "./site.tsx";
import { assetUrl } from "./assets.ts";

/** Login form with an optional error and the page to go back to. */
export const LoginPage: FC<{ csrfToken: string; next: string; error?: string; username?: string }> =
  (
    p,
  ) => (
    <Layout title="Accesso operatori">
      <h1>Accesso operatori</h1>
      {p.error ? <div class="alert alert-danger" role="alert">{p.error}</div> : null}
      <form method="post" action="/login" class="login-form" novalidate>
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        <input type="hidden" name="next" value={p.next} />
        <div class="mb-3">
          <label class="form-label" for="username">Nome utente</label>
          <input
            class="form-control"
            id="username"
            name="username"
            autocomplete="username"
            value={p.username ?? ""}
          />
        </div>
        <div class="mb-3">
          <label class="form-label" for="password">Password</label>
          <input
            class="form-control"
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
          />
        </div>
        <button type="submit" class="btn btn-primary">Entra</button>
      </form>
    </Layout>
  );

/** The bar above every clerk page: who is logged in, the sections, logout. */
export const StaffBar: FC<{ username: string; role: string; csrfToken: string }> = (p) => (
  <>
    <link rel="stylesheet" href={assetUrl("desk.css")} />
    <nav
      class="staff-bar d-flex flex-wrap gap-3 align-items-center mb-4"
      aria-label="Sezioni operatori"
    >
      <a href="/sportello">Coda richieste</a>
      <a href="/sportello/cerca">Ricerca operatori</a>
      <a href="/registro-accessi">Registro degli accessi</a>
      <a href="/audit">Registro attività</a>
      {p.role === "admin"
        ? (
          <>
            <a href="/admin/utenti">Utenti</a>
            <a href="/admin/impostazioni">Impostazioni</a>
            <a href="/admin/tariffe">Tariffario</a>
            <a href="/admin/sync">Sincronizzazione</a>
            {useSite().role === "archive" ? <a href="/admin/avvisi">Avvisi ai cittadini</a> : null}
          </>
        )
        : null}
      <span class="ms-auto">
        {p.username} ({p.role === "admin" ? "amministratore" : "operatore"})
      </span>
      <form method="post" action="/logout">
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        <button type="submit" class="btn btn-outline-secondary btn-sm">Esci</button>
      </form>
    </nav>
  </>
);
