/** The audit log (clerks: own entries; admins: all) and its CSV export. */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { UserFacingError } from "../domain/user_facing_error.ts";
import type { AppDeps } from "../app_deps.ts";
import { type AuditFilter, listAudit } from "../db/audit.ts";
import { toCsv } from "../db/registro.ts";
import { receiptCodesOf } from "../db/access_requests.ts";
import { requireRole } from "../middleware/session.ts";
import { AuditPage } from "../views/audit_list.tsx";
import { optionalCode, optionalDate } from "./_fields.ts";
import { validate } from "./_validate.ts";

const auditQuery = z.object({
  // An account name: a control character is refused, not cleaned (db/users.ts USERNAME).
  operatore: optionalCode("Operatore", { max: 40 }),
  dal: optionalDate("Dal"),
  al: optionalDate("Al"),
});

// Clerks always see only their own entries; an admin may narrow to one account and a period.
function filterOf(
  query: z.output<typeof auditQuery>,
  user: { username: string; role: string },
): AuditFilter {
  const actor = user.role === "admin" ? query.operatore || undefined : user.username;
  return { actor, from: query.dal, to: query.al };
}

function who(c: Context) {
  const s = c.get("session");
  if (!s) throw new UserFacingError("Accesso riservato.", { status: 401 });
  return s.user;
}

/** `/audit` and `/audit.csv`, mounted at the root. */
export function auditRoutes({ db }: AppDeps): Hono {
  return new Hono()
    .use("/audit", requireRole("clerk", "admin"))
    .use("/audit.csv", requireRole("clerk", "admin"))
    .get("/audit", validate("query", auditQuery), async (c) => {
      const user = who(c);
      const all = user.role === "admin";
      const filter = filterOf(c.req.valid("query"), user);
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
    .get("/audit.csv", validate("query", auditQuery), async (c) => {
      const user = who(c);
      const entries = await listAudit(db, filterOf(c.req.valid("query"), user), 100_000);
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
