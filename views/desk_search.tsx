/** The clerk search: the kiosk's box, with people (names, tax codes) matched too. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { addressLine } from "./result_card.tsx";
import { useI18n } from "../i18n/context.tsx";
import type { SearchResult } from "../search/types.ts";

type Staff = { username: string; role: string; csrfToken: string };

/** The clerk search page: same box as the kiosk, people searchable too. */
export const DeskSearchPage: FC<{ q: string; result: SearchResult | undefined; staff: Staff }> = (
  p,
) => {
  const { t } = useI18n();
  return (
    <Layout title={t.desk.searchTitle}>
      <StaffBar {...p.staff} />
      <h1>{t.desk.searchTitle}</h1>
      <form method="post" action="/sportello/cerca" role="search" class="d-flex gap-2 mb-4">
        <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
        <label class="visually-hidden" for="desk-q">{t.desk.searchLabel}</label>
        <input
          class="form-control"
          id="desk-q"
          name="q"
          type="search"
          value={p.q}
          placeholder={t.desk.searchPlaceholder}
        />
        <button type="submit" class="btn btn-primary">{t.desk.searchButton}</button>
      </form>
      {p.result
        ? (
          <>
            <p>{t.desk.results(p.result.total)}</p>
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
};
