/** The registro degli accessi: a public page and CSV, with no personal data. */
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDeps } from "../app.ts";
import { registroCsv, registroRows } from "../db/registro.ts";
import { receiptCodesOf } from "../db/access_requests.ts";
import { RegistroPage } from "../views/registro.tsx";

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

// The registro is published by period (at least every six months): `dal` and `al` pick it.
function period(c: Context): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  for (const [param, key] of [["dal", "from"], ["al", "to"]] as const) {
    const v = c.req.query(param)?.trim();
    if (!v) continue;
    if (!ISO_DATE.test(v)) {
      throw new HTTPException(400, {
        message: `Data «${v.slice(0, 20)}» non valida: usa AAAA-MM-GG.`,
      });
    }
    out[key] = v;
  }
  return out;
}

/** `/registro-accessi` and `/registro-accessi.csv`, mounted at the root. */
export function registroRoutes({ db }: AppDeps): Hono {
  return new Hono()
    .get("/registro-accessi", async (c) => {
      const p = period(c);
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
    .get("/registro-accessi.csv", async (c) => {
      const p = period(c);
      c.header("Content-Disposition", 'attachment; filename="registro-accessi.csv"');
      return c.body(registroCsv(await registroRows(db, p)), 200, {
        "Content-Type": "text/csv; charset=utf-8",
      });
    });
}
