/** The public registro degli accessi (no personal data by construction, see db/registro.ts). */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { REGISTRO_COLUMNS, type RegistroRow } from "../db/registro.ts";

/** The registro page. */
export const RegistroPage: FC<{ rows: RegistroRow[] }> = ({ rows }) => (
  <Layout title="Registro degli accessi">
    <h1>Registro degli accessi</h1>
    <p>
      Richieste di accesso documentale, civico semplice e generalizzato (delibera ANAC 1309/2016).
      {" "}
      <a href="/registro-accessi.csv">Scarica in CSV</a>
    </p>
    {rows.length === 0 ? <p>Nessuna richiesta registrata.</p> : (
      <div class="table-responsive">
        <table class="table">
          <caption class="visually-hidden">
            Registro degli accessi, dalla richiesta più recente
          </caption>
          <thead>
            <tr>
              {REGISTRO_COLUMNS.map(([k, h]) => (
                <Fragment key={k}>
                  <th scope="col">{h}</th>
                </Fragment>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              // A Fragment carries the key: on an element it would be printed as an attribute.
              <Fragment key={r.protocol}>
                <tr>
                  {REGISTRO_COLUMNS.map(([k]) => (
                    <Fragment key={k}>
                      <td>{r[k]}</td>
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
