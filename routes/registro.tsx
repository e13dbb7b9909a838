/** The registro degli accessi: a public page and CSV, with no personal data. */
import { Hono } from "hono";
import type { AppDeps } from "../app.ts";
import { registroCsv, registroRows } from "../db/registro.ts";
import { RegistroPage } from "../views/registro.tsx";

/** `/registro-accessi` and `/registro-accessi.csv`, mounted at the root. */
export function registroRoutes({ db }: AppDeps): Hono {
  return new Hono()
    .get("/registro-accessi", async (c) => c.html(<RegistroPage rows={await registroRows(db)} />))
    .get("/registro-accessi.csv", async (c) => {
      c.header("Content-Disposition", 'attachment; filename="registro-accessi.csv"');
      return c.body(registroCsv(await registroRows(db)), 200, {
        "Content-Type": "text/csv; charset=utf-8",
      });
    });
}
