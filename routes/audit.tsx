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
import { auditActionLabel, AuditPage } from "../views/audit_list.tsx";
import { i18nOf } from "../i18n/context.tsx";
import { optionalCode, optionalDate } from "./_fields.ts";
import { validate } from "./_validate.ts";

const auditQuery = z.object({
  // An account name: a control character is refused, not cleaned (db/users.ts USERNAME).
  operatore: optionalCode((t) => t.audit.clerk, { max: 40 }),
  dal: optionalDate((t) => t.audit.from),
  al: optionalDate((t) => t.audit.to),
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
  if (!s) throw new UserFacingError((t) => t.staff.reserved, { status: 401 });
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
      const { t } = i18nOf(c);
      // The action by name, for a person reading the sheet; its code last, for a program.
      const csv = toCsv(
        t.audit.csvHeader,
        entries.map((
          e,
        ) => [
          e.at,
          e.branch,
          e.actor ?? "",
          auditActionLabel(t, e.action),
          e.recordKind ?? "",
          e.recordId ?? "",
          e.detail ?? "",
          e.action,
        ]),
      );
      c.header("Content-Disposition", `attachment; filename="${t.audit.csvFile}"`);
      return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8" });
    });
}
