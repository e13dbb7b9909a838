/**
 * Consultation under a grant: the kiosk's form (receipt code + codice fiscale), the list of the
 * granted documents with the grants' state and "chi ha consultato e quando", also shown per
 * request in the citizen's "Le mie richieste".
 */
import type { FC } from "hono/jsx";
import { useI18n } from "../i18n/context.tsx";
import { labelOf } from "../i18n/i18n.ts";
import type { ConsultOverview } from "../routes/_consult.ts";
import { Layout } from "./layout.tsx";
import { Field } from "./request_form.tsx";

/** The kiosk's form. */
export const ConsultFormPage: FC<{
  values: Record<string, string>;
  errors: Record<string, string>;
  csrfToken: string;
}> = ({ values, errors, csrfToken }) => {
  const { t } = useI18n();
  const s = t.consult;
  return (
    <Layout title={s.title}>
      <h1>{s.title}</h1>
      <p class="lead">{s.intro}</p>
      <form method="post" action="/consultazione" novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <Field
          name="code"
          label={t.status.code}
          value={values.code}
          error={errors.code}
          required
          hint={t.status.codeHint}
        />
        <Field
          name="taxCode"
          label={t.status.taxCode}
          value={values.taxCode}
          error={errors.taxCode}
          required
        />
        <button type="submit" class="btn btn-primary">{s.open}</button>
      </form>
    </Layout>
  );
};

/** Why nothing can be opened, from the grants' states. */
function emptyReason(o: ConsultOverview, s: ReturnType<typeof useI18n>["t"]["consult"]) {
  if (o.grants.length === 0) return s.noGrant;
  if (o.grants.some((g) => g.state === "revoked") && !o.grants.some((g) => g.state === "expired")) {
    return s.revoked;
  }
  return o.grants.some((g) => g.state === "expired") ? s.expired : s.revoked;
}

/** Grants, documents with their links, and the opens: one request's block. */
export const ConsultPanel: FC<{ overview: ConsultOverview; headingLevel?: 2 | 3 }> = (
  { overview: o, headingLevel = 2 },
) => {
  const { t, day, dateTime } = useI18n();
  const s = t.consult;
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <section class="consult-panel" data-testid="consult-panel">
      <H class="h4">{s.listTitle}</H>
      {o.documents.length === 0 ? <p data-testid="consult-none">{emptyReason(o, s)}</p> : (
        <>
          <p>{s.stampNote}</p>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{s.document}</th>
                <th scope="col">{s.mode}</th>
                <th scope="col">{s.validUntil}</th>
              </tr>
            </thead>
            <tbody>
              {o.documents.map((d) => (
                <tr key={d.href}>
                  <td>
                    <a href={d.href} data-testid="consult-document">{d.title}</a>
                    <br />
                    <small>{d.record} · {s.pages(d.pages)}</small>
                  </td>
                  <td>{labelOf(s.modes, d.mode) ?? d.mode}</td>
                  <td>{day(d.validUntil)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {o.grants.length > 0
        ? (
          <ul class="list-unstyled" data-testid="consult-grants">
            {o.grants.map((g, i) => (
              <li key={String(i)}>
                {labelOf(s.modes, g.mode) ?? g.mode}, {s.validUntil.toLowerCase()}{" "}
                {day(g.validUntil)} — <strong>{labelOf(s.states, g.state) ?? g.state}</strong>
              </li>
            ))}
          </ul>
        )
        : null}
      <H class="h5">{s.history}</H>
      {o.history.length === 0
        ? <p>{s.noHistory}</p>
        : (
          <table class="table table-sm" data-testid="consult-history">
            <thead>
              <tr>
                <th scope="col">{s.when}</th>
                <th scope="col">{s.where}</th>
                <th scope="col">{s.document}</th>
                <th scope="col">{s.how}</th>
              </tr>
            </thead>
            <tbody>
              {o.history.map((h, i) => (
                <tr key={String(i)}>
                  <td>{dateTime(h.at)}</td>
                  <td>{h.place}</td>
                  <td>{h.document}</td>
                  <td>{h.via}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
};

/** The kiosk's (or the citizen area's) list page of one request. */
export const ConsultListPage: FC<{
  overview: ConsultOverview;
  /** The kiosk's "Fine consultazione" form; none online. */
  end?: { csrfToken: string } | undefined;
  back?: { href: string; label: string } | undefined;
}> = ({ overview, end, back }) => {
  const { t } = useI18n();
  const s = t.consult;
  return (
    <Layout title={s.listTitle}>
      {back
        ? (
          <p class="mb-1">
            <a href={back.href}>{back.label}</a>
          </p>
        )
        : null}
      <h1>{s.request(overview.code)}</h1>
      <ConsultPanel overview={overview} />
      {end
        ? (
          <form method="post" action="/consultazione/esci">
            <input type="hidden" name="_csrf" value={end.csrfToken} />
            <button type="submit" class="btn btn-outline-primary">{s.end}</button>
          </form>
        )
        : null}
    </Layout>
  );
};
