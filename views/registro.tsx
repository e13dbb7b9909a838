/** The public registro degli accessi (no personal data by construction, see db/registro.ts). */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { REGISTRO_COLUMNS, type RegistroRow } from "../db/registro.ts";
import { useI18n } from "../i18n/context.tsx";

function csvQuery(period: { from?: string; to?: string }): string {
  const q = new URLSearchParams();
  if (period.from) q.set("dal", period.from);
  if (period.to) q.set("al", period.to);
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** The registro page. */
export const RegistroPage: FC<{
  rows: RegistroRow[];
  period: { from?: string; to?: string };
  /** For a signed-in clerk: the bar, and each row's receipt code (by request id). */
  staff?: { username: string; role: string; csrfToken: string } | undefined;
  codes?: Map<string, string> | undefined;
}> = ({ rows, period, staff, codes }) => {
  const { t, locale } = useI18n();
  const g = t.registro;
  return (
    <Layout title={g.title}>
      {staff ? <StaffBar {...staff} /> : null}
      <h1>{g.title}</h1>
      <p>
        {g.intro} <a href={`/registro-accessi.csv${csvQuery(period)}`}>{g.csv}</a>
      </p>
      <form
        method="get"
        action="/registro-accessi"
        class="d-flex flex-wrap gap-3 align-items-end mb-4"
      >
        <div>
          <label class="form-label" for="dal">{g.from}</label>
          <input class="form-control" type="date" id="dal" name="dal" value={period.from ?? ""} />
        </div>
        <div>
          <label class="form-label" for="al">{g.to}</label>
          <input class="form-control" type="date" id="al" name="al" value={period.to ?? ""} />
        </div>
        <button type="submit" class="btn btn-primary">{g.show}</button>
      </form>
      {rows.length === 0 ? <p>{g.empty}</p> : (
        <div class="table-responsive">
          <table class="table">
            <caption class="visually-hidden">
              {g.caption}
            </caption>
            <thead>
              <tr>
                {REGISTRO_COLUMNS.map(([k]) => (
                  <Fragment key={k}>
                    <th scope="col">{g.columns[k]}</th>
                  </Fragment>
                ))}
              </tr>
            </thead>
            {/* The register is an Italian legal document: its rows stay as published. */}
            <tbody lang={locale === "it" ? undefined : "it"}>
              {rows.map((r) => (
                // A Fragment carries the key: on an element it would be printed as an attribute.
                <Fragment key={r.protocol}>
                  <tr>
                    {REGISTRO_COLUMNS.map(([k]) => (
                      <Fragment key={k}>
                        <td>
                          {k === "protocol" && codes?.has(r.requestId)
                            ? (
                              // Clerks go from the registro number to the request it stands for.
                              <a href={`/sportello/richieste/${encodeURIComponent(r.requestId)}`}>
                                {r.protocol} · {g.request} {codes.get(r.requestId)}
                              </a>
                            )
                            : r[k]}
                        </td>
                      </Fragment>
                    ))}
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
};
