/**
 * `/admin/tariffe`: the fee table and its exemptions (admins; every change audited in its
 * transaction), and on the archive how pagoPA notices are doing. At a branch synced with an
 * archive the table is read-only: it comes down the feed.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import type { AuditedBy } from "../db/audit.ts";
import {
  addFeeExemption,
  addFeeRule,
  FEE_EXEMPTION_ENTITY,
  FEE_RULE_ENTITY,
  FeeTableError,
  readFeeTable,
  removeFeeEntry,
} from "../db/fees.ts";
import { noticeOverview } from "../db/payment_notices.ts";
import { FEE_ITEMS } from "../domain/fees.ts";
import { parseEuro } from "../domain/pagopa_notice.ts";
import { requireRole } from "../middleware/session.ts";
import { FeesPage } from "../views/admin_fees.tsx";
import { validate } from "./_validate.ts";
import { code, optionalCode, text } from "./_fields.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { gpdOf } from "../pagopa/notice_job.ts";
import { i18nOf } from "../i18n/context.tsx";
import type { Messages } from "../i18n/it.ts";
import { localMessage, translate } from "../i18n/local_message.ts";

// The messages are catalogue entries, Italian as made and shown in the request's language
// (docs/I18N.md, "Errors").
type Entry = (f: Messages["feesAdmin"]) => string;
const msg = (pick: Entry) => localMessage((t) => pick(t.feesAdmin));
const label = (pick: Entry) => (t: Messages) => pick(t.feesAdmin);

const year = (name: Entry) =>
  optionalCode(label(name), { max: 10 }).transform((s, ctx) => {
    if (s === "") return null;
    const n = Number(s);
    if (!/^\d{4}$/.test(s) || n < 1850 || n > 2100) {
      ctx.addIssue({ code: "custom", message: msg((f) => f.badYear(name(f))) });
      return z.NEVER;
    }
    return n;
  });

const AMOUNT_MESSAGE = msg((f) => f.badAmount);

const ruleForm = z.object({
  item: z.enum(FEE_ITEMS, { message: msg((f) => f.pickItem) }),
  yearFrom: year((f) => f.labelYearFrom),
  yearTo: year((f) => f.labelYearTo),
  amount: code(label((f) => f.labelAmount), { max: 20, required: AMOUNT_MESSAGE }).transform(
    (s, ctx) => {
      const cents = parseEuro(s);
      if (cents === undefined || cents < 1 || cents > 10_000_00) {
        ctx.addIssue({ code: "custom", message: AMOUNT_MESSAGE });
        return z.NEVER;
      }
      return cents;
    },
  ),
}).refine((f) => f.yearFrom === null || f.yearTo === null || f.yearFrom <= f.yearTo, {
  message: msg((f) => f.yearOrder),
  path: ["yearTo"],
}).refine(
  (f) => f.item === "research" || f.item === "viewing" || (f.yearFrom ?? f.yearTo) === null,
  { message: msg((f) => f.yearsOnly), path: ["yearFrom"] },
);

const exemptionForm = z.object({
  reason: text(label((f) => f.exemptionReason), {
    max: 200,
    required: msg((f) => f.errExemption),
  }).min(3, msg((f) => f.errExemption)),
});
const BAD_ID = msg((f) => f.badId);
const idForm = z.object({
  id: code(label((f) => f.labelId), { max: 100, required: BAD_ID }).regex(
    /^[A-Za-z0-9-]+$/,
    BAD_ID,
  ),
});
const GONE = (t: Messages) => t.feesAdmin.gone;

/** The fee admin routes, mounted at /admin/tariffe. */
export function adminFeeRoutes(deps: AppDeps): Hono {
  const { db, clock, config } = deps;
  const editable = config.role === "archive" || !config.archiveUrl;
  const staffOf = (c: Context) => {
    const s = c.get("session");
    if (!s) {
      throw new UserFacingError((t) => t.feesAdmin.reserved, { status: 401 });
    }
    return { username: s.user.username, role: s.user.role, csrfToken: c.get("csrfToken") };
  };
  const by = (c: Context): AuditedBy => ({
    actor: staffOf(c).username,
    now: clock(),
    branch: config.branchName,
    outbox: config.role === "branch",
  });
  const page = async (c: Context, status: 200 | 422, error?: string, notice?: string) => {
    const table = await readFeeTable(db);
    const pagopa = config.role === "archive"
      ? {
        enteFiscalCode: config.pagopa.enteFiscalCode,
        segregationCode: config.pagopa.segregationCode,
        gpdConfigured: gpdOf(config.pagopa) !== undefined,
        ...(await noticeOverview(db)),
      }
      : undefined;
    return c.html(
      <FeesPage
        rules={table.rules}
        exemptions={table.exemptions}
        editable={editable}
        pagopa={pagopa}
        staff={staffOf(c)}
        error={error}
        notice={notice}
      />,
      status,
    );
  };
  const mustEdit = () => {
    if (!editable) {
      throw new UserFacingError((t) => t.feesAdmin.archiveOnlyError, { status: 409 });
    }
  };

  return new Hono()
    .use("*", requireRole("admin"))
    .get("/", (c) => page(c, 200))
    .post("/", validate("form", ruleForm), async (c) => {
      mustEdit();
      const f = c.req.valid("form");
      try {
        await addFeeRule(db, {
          item: f.item,
          yearFrom: f.yearFrom,
          yearTo: f.yearTo,
          amountCents: f.amount,
        }, by(c));
      } catch (err) {
        if (err instanceof FeeTableError) {
          return page(c, 422, translate(err.message, i18nOf(c).t));
        }
        throw err;
      }
      return c.redirect("/admin/tariffe", 303);
    })
    .post("/elimina", validate("form", idForm), async (c) => {
      mustEdit();
      if (!await removeFeeEntry(db, FEE_RULE_ENTITY, c.req.valid("form").id, by(c))) {
        throw new UserFacingError(GONE, { status: 404 });
      }
      return c.redirect("/admin/tariffe", 303);
    })
    .post("/esenzioni", validate("form", exemptionForm), async (c) => {
      mustEdit();
      await addFeeExemption(db, c.req.valid("form").reason, by(c));
      return c.redirect("/admin/tariffe", 303);
    })
    .post("/esenzioni/elimina", validate("form", idForm), async (c) => {
      mustEdit();
      if (!await removeFeeEntry(db, FEE_EXEMPTION_ENTITY, c.req.valid("form").id, by(c))) {
        throw new UserFacingError(GONE, { status: 404 });
      }
      return c.redirect("/admin/tariffe", 303);
    });
}
