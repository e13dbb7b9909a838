/** The registro degli accessi: a public page and CSV, with no personal data. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import { registroCsv, registroRows } from "../db/registro.ts";
import { receiptCodesOf } from "../db/access_requests.ts";
import { RegistroPage } from "../views/registro.tsx";
import { optionalDate } from "./_fields.ts";
import { validate } from "./_validate.ts";

// The registro is published by period (at least every six months): `dal` and `al` pick it.
const periodQuery = z.object({ dal: optionalDate("Dal"), al: optionalDate("Al") })
  .transform(({ dal, al }) => ({ ...(dal ? { from: dal } : {}), ...(al ? { to: al } : {}) }));

/** `/registro-accessi` and `/registro-accessi.csv`, mounted at the root. */
export function registroRoutes({ db }: AppDeps): Hono {
  return new Hono()
    .get("/registro-accessi", validate("query", periodQuery), async (c) => {
      const p = c.req.valid("query");
      const rows = await registroRows(db, p);
      const session = c.get("session");
      if (!session) return c.html(<RegistroPage rows={rows} period={p} />);
      const staff = {
        username: session.user.username,
        role: session.user.role,
        csrfToken: c.get("csrfToken"),
      };
      const codes = await receiptCodesOf(db, rows.map((r) => r.requestId));
      return c.html(<RegistroPage rows={rows} period={p} staff={staff} codes={codes} />);
    })
    .get("/registro-accessi.csv", validate("query", periodQuery), async (c) => {
      const p = c.req.valid("query");
      c.header("Content-Disposition", 'attachment; filename="registro-accessi.csv"');
      return c.body(registroCsv(await registroRows(db, p)), 200, {
        "Content-Type": "text/csv; charset=utf-8",
      });
    });
}
