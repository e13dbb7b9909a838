/** The clerk search: the kiosk's box, with people (names, tax codes) matched too. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { addressLine } from "./result_card.tsx";
import type { SearchResult } from "../search/types.ts";

type Staff = { username: string; role: string; csrfToken: string };

/** The clerk search page: same box as the kiosk, people searchable too. */
export const DeskSearchPage: FC<{ q: string; result: SearchResult | undefined; staff: Staff }> = (
  p,
) => (
  <Layout title="Ricerca operatori">
    <StaffBar {...p.staff} />
    <h1>Ricerca operatori</h1>
    <form method="post" action="/sportello/cerca" role="search" class="d-flex gap-2 mb-4">
      <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
      <label class="visually-hidden" for="desk-q">
        Cerca anche per nominativo o codice fiscale
      </label>
      <input
        class="form-control"
        id="desk-q"
        name="q"
        type="search"
        value={p.q}
        placeholder="Indirizzo, protocollo, cognome, codice fiscale…"
      />
      <button type="submit" class="btn btn-primary">Cerca</button>
    </form>
    {p.result
      ? (
        <>
          <p>{p.result.total === 1 ? "1 risultato" : `${p.result.total} risultati`}</p>
          <ul class="list-unstyled">
            {p.result.hits.map((h) => (
              <li key={`${h.kind}:${h.id}`} class="mb-3">
                <a href={`/sportello/pratiche/${encodeURIComponent(`${h.kind}:${h.id}`)}`}>
                  {h.title}
                </a>
                {" — "}
                {h.subject}
                {h.addresses[0] ? ` · ${addressLine(h.addresses[0])}` : ""}
              </li>
            ))}
          </ul>
        </>
      )
      : null}
  </Layout>
);
