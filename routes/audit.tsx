/** The audit log (clerks: own entries; admins: all) and its CSV export. */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Context } from "hono";
import type { AppDeps } from "../app.ts";
import { type AuditFilter, listAudit } from "../db/audit.ts";
import { toCsv } from "../db/registro.ts";
import { receiptCodesOf } from "../db/access_requests.ts";
import { requireRole } from "../middleware/session.ts";
import { AuditPage } from "../views/audit_list.tsx";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Clerks always see only their own entries; an admin may narrow to one account and a period.
function filterOf(c: Context, user: { username: string; role: string }): AuditFilter {
  const date = (name: string) => {
    const v = c.req.query(name)?.trim() ?? "";
    if (v && !ISO_DATE.test(v)) {
      throw new HTTPException(400, {
        message: `Data «${v.slice(0, 20)}» non valida: usa AAAA-MM-GG.`,
      });
    }
    return v || undefined;
  };
  const actor = user.role === "admin"
    ? c.req.query("operatore")?.trim() || undefined
    : user.username;
  return { actor, from: date("dal"), to: date("al") };
}

function who(c: Context) {
  const s = c.get("session");
  if (!s) throw new HTTPException(401, { message: "Accesso riservato." });
  return s.user;
}

/** `/audit` and `/audit.csv`, mounted at the root. */
export function auditRoutes({ db }: AppDeps): Hono {
  return new Hono()
    .use("/audit", requireRole("clerk", "admin"))
    .use("/audit.csv", requireRole("clerk", "admin"))
    .get("/audit", async (c) => {
      const user = who(c);
      const all = user.role === "admin";
      const filter = filterOf(c, user);
      const entries = await listAudit(db, filter);
      const requestIds = entries.filter((e) => e.recordKind === "access_request" && e.recordId)
        .map((e) => e.recordId ?? "");
      return c.html(
        <AuditPage
          entries={entries}
          codes={await receiptCodesOf(db, requestIds)}
          filter={filter}
          allUsers={all}
          staff={{ username: user.username, role: user.role, csrfToken: c.get("csrfToken") }}
        />,
      );
    })
    .get("/audit.csv", async (c) => {
      const user = who(c);
      const entries = await listAudit(db, filterOf(c, user), 100_000);
      const csv = toCsv(
        ["quando", "sede", "operatore", "azione", "tipo", "id", "dettaglio"],
        entries.map((
          e,
        ) => [
          e.at,
          e.branch,
          e.actor ?? "",
          e.action,
          e.recordKind ?? "",
          e.recordId ?? "",
          e.detail ?? "",
        ]),
      );
      c.header("Content-Disposition", 'attachment; filename="registro-attivita.csv"');
      return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8" });
    });
}
