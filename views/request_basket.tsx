/** The basket: several records gathered for one access request. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import type { RequestedLabel } from "./request_form.tsx";

/** The basket page: list, remove buttons, and the way to the form. */
export const BasketPage: FC<{ records: RequestedLabel[]; csrfToken: string }> = (p) => (
  <Layout title="Pratiche da richiedere">
    <h1>Pratiche da richiedere</h1>
    {p.records.length === 0
      ? <p>Nessuna pratica scelta. Cerca una pratica e usa «Aggiungi alla richiesta».</p>
      : (
        <ul class="list-group mb-4">
          {p.records.map((r) => (
            <li
              class="list-group-item d-flex justify-content-between align-items-center"
              key={r.ref}
            >
              <span>
                <strong>{r.label}</strong>
                {r.subject ? ` — ${r.subject}` : ""}
              </span>
              <form method="post" action="/richieste/cestino">
                <input type="hidden" name="_csrf" value={p.csrfToken} />
                <input type="hidden" name="record" value={r.ref} />
                <input type="hidden" name="action" value="remove" />
                <button type="submit" class="btn btn-outline-danger btn-sm">
                  Togli<span class="visually-hidden">{` ${r.label}`}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    <p class="d-flex gap-3 flex-wrap">
      <a class="btn btn-outline-primary" href="/">Cerca altre pratiche</a>
      {p.records.length > 0
        ? <a class="btn btn-primary" href="/richieste/nuova">Richiedi accesso a queste pratiche</a>
        : null}
    </p>
  </Layout>
);

/** "Aggiungi alla richiesta": a small form any record page can render. */
export const AddToBasket: FC<{ recordRef: string; csrfToken: string }> = (p) => (
  <form method="post" action="/richieste/cestino" class="d-inline">
    <input type="hidden" name="_csrf" value={p.csrfToken} />
    <input type="hidden" name="record" value={p.recordRef} />
    <button type="submit" class="btn btn-outline-primary">Aggiungi alla richiesta</button>
  </form>
);
