/** The basket: several records gathered for one access request. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import type { RequestedLabel } from "./request_form.tsx";
import { useI18n } from "../i18n/context.tsx";

/** The basket page: list, remove buttons, and the way to the form. */
export const BasketPage: FC<{ records: RequestedLabel[]; csrfToken: string }> = (p) => {
  const { t } = useI18n();
  return (
    <Layout title={t.basket.title}>
      <h1>{t.basket.title}</h1>
      {p.records.length === 0 ? <p>{t.basket.empty}</p> : (
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
                  {t.basket.remove}
                  <span class="visually-hidden">{` ${r.label}`}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <p class="d-flex gap-3 flex-wrap">
        <a class="btn btn-outline-primary" href="/">{t.basket.searchMore}</a>
        {p.records.length > 0
          ? <a class="btn btn-primary" href="/richieste/nuova">{t.basket.requestThese}</a>
          : null}
      </p>
    </Layout>
  );
};

/** "Aggiungi alla richiesta": a small form any record page can render. */
export const AddToBasket: FC<{ recordRef: string; csrfToken: string }> = (p) => (
  <form method="post" action="/richieste/cestino" class="d-inline">
    <input type="hidden" name="_csrf" value={p.csrfToken} />
    <input type="hidden" name="record" value={p.recordRef} />
    <button type="submit" class="btn btn-outline-primary">{useI18n().t.basket.add}</button>
  </form>
);
