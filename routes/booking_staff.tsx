/**
 * The staff's side of bookings: the counter's day (`/sportello/agenda`, clerks) and the
 * setup (`/admin/prenotazioni`, admins; edited at the archive, read-only at a synced branch).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import {
  addBookingService,
  listBookingBranches,
  readBookingConfig,
  saveBookingRule,
  setBookingClosure,
  setBookingHours,
  setBookingServiceActive,
} from "../db/booking_config.ts";
import { addWalkIn, dayAgenda, markBooking, unpinPastBookings } from "../db/bookings.ts";
import { localDate } from "../domain/access_deadline.ts";
import { minutesOf } from "../domain/booking_slots.ts";
import { validateTaxCode } from "../domain/codice_fiscale.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { requireRole } from "../middleware/session.ts";
import { AgendaPage } from "../views/booking_agenda.tsx";
import { BookingAdminPage } from "../views/booking_admin.tsx";
import { code, optionalCode, optionalDate, optionalText, text } from "./_fields.ts";
import { validate } from "./_validate.ts";
import type { Messages } from "../i18n/it.ts";
import { appendAudit } from "../db/audit.ts";
import { localMessage } from "../i18n/local_message.ts";

function staffOf(c: Context) {
  const s = c.get("session");
  if (!s) {
    throw new UserFacingError((t) => t.bookingAdmin.reserved, { status: 401 });
  }
  return { username: s.user.username, role: s.user.role, csrfToken: c.get("csrfToken") };
}

// Every message below is a catalogue entry: made once here (Italian, the message of record)
// and shown in the request's language by the error handler (docs/I18N.md, "Errors").
type BookingAdminText = Messages["bookingAdmin"];
type Entry = (b: BookingAdminText) => string;
const msg = (pick: Entry) => localMessage((t) => pick(t.bookingAdmin));
const label = (pick: Entry) => (t: Messages) => pick(t.bookingAdmin);

const BAD_ID = msg((b) => b.badBooking);
const idField = (name: Entry, message: string) =>
  code(label(name), { max: 100, required: message }).regex(/^[A-Za-z0-9-]+$/, message);

const agendaQuery = z.object({ giorno: optionalDate(label((b) => b.labelDay)) });
const markForm = z.object({
  id: idField((b) => b.labelBooking, BAD_ID),
  state: z.enum(["arrived", "no_show"], { message: msg((b) => b.pickState) }),
});
const walkInForm = z.object({
  serviceId: idField((b) => b.labelService, msg((b) => b.pickService)),
  name: text(label((b) => b.labelName), { max: 120, required: msg((b) => b.errName) }),
  taxCode: optionalCode(label((b) => b.labelTaxCode), { max: 40 }),
});

const branchCode = code(label((b) => b.labelBranch), {
  max: 2,
  required: msg((b) => b.branchMissing),
}).regex(/^[2-9A-HJ-NP-Z]{2}$/, msg((b) => b.branchFormat));
const whole = (name: Entry, min: number, max: number) =>
  code(label(name), { max: 5, required: msg((b) => b.wholeMissing(name(b))) }).transform(
    (s, ctx) => {
      const n = Number(s);
      if (!/^\d+$/.test(s) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: msg((b) => b.wholeRange(name(b), min, max)) });
        return z.NEVER;
      }
      return n;
    },
  );

const adminQuery = z.object({ sede: optionalCode(label((b) => b.labelBranch), { max: 2 }) });
const ruleForm = z.object({
  sede: branchCode,
  name: text(label((b) => b.branchName), { max: 120, required: msg((b) => b.errBranchName) }),
  place: optionalText(label((b) => b.place), { max: 300 }),
  capacity: whole((b) => b.capacity, 1, 50),
  onlineShare: whole((b) => b.labelOnlineShare, 0, 50),
  releaseHours: whole((b) => b.labelReleaseHours, 0, 720),
}).refine((f) => f.onlineShare <= f.capacity, {
  message: msg((b) => b.shareOverCapacity),
  path: ["onlineShare"],
});
const serviceForm = z.object({
  sede: branchCode,
  name: text(label((b) => b.labelServiceName), {
    max: 120,
    required: msg((b) => b.errServiceName),
  }),
  slotMinutes: whole((b) => b.labelDuration, 5, 240),
});
const serviceStateForm = z.object({
  sede: branchCode,
  id: idField((b) => b.labelService, msg((b) => b.badService)),
  active: z.enum(["0", "1"], { message: msg((b) => b.badServiceState) }),
});
const INTERVALS_MESSAGE = msg((b) => b.badIntervals);
const hoursForm = z.object({
  sede: branchCode,
  weekday: whole((b) => b.labelWeekday, 1, 7),
  intervals: optionalCode(label((b) => b.labelHours), { max: 200 }).transform((s, ctx) => {
    const out: { opens: string; closes: string }[] = [];
    for (const part of s.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
      const [opens = "", closes = ""] = part.split("-").map((p) => p.trim());
      const a = minutesOf(opens);
      const b = minutesOf(closes);
      if (a === undefined || b === undefined || a >= b) {
        ctx.addIssue({ code: "custom", message: INTERVALS_MESSAGE });
        return z.NEVER;
      }
      out.push({ opens, closes });
    }
    const sorted = [...out].sort((x, y) => x.opens.localeCompare(y.opens));
    for (let i = 1; i < sorted.length; i++) {
      if ((sorted[i]?.opens ?? "") < (sorted[i - 1]?.closes ?? "")) {
        ctx.addIssue({
          code: "custom",
          message: msg((b) => b.overlapping),
        });
        return z.NEVER;
      }
    }
    return sorted;
  }),
});
const closureForm = z.object({
  sede: branchCode,
  date: optionalDate(label((b) => b.labelClosureDay)).refine((d) => d !== undefined, {
    message: msg((b) => b.badClosureDay),
  }),
  note: optionalText(label((b) => b.labelReason), { max: 200 }),
  action: z.enum(["add", "remove"], { message: msg((b) => b.badAction) }),
});

/** `/sportello/agenda`. */
export function agendaRoutes(deps: AppDeps): Hono {
  const { db, clock, config } = deps;
  const branch = config.role === "branch";
  return new Hono()
    .use("*", requireRole("clerk", "admin"))
    .get("/", validate("query", agendaQuery), async (c) => {
      const now = clock();
      // The scans pinned for past days' bookings may leave the disk again.
      if (branch) await unpinPastBookings(db, now);
      const day = c.req.valid("query").giorno ?? localDate(now);
      const setup = await readBookingConfig(db, config.branchCode);
      // The agenda shows who booked: a view of personal data, audited like the desk's.
      await appendAudit(db, {
        actor: c.get("session")?.user.username ?? null,
        action: "booking_agenda_view",
        detail: day,
      }, { now, branch: config.branchName, outbox: branch });
      return c.html(
        <AgendaPage
          day={day}
          items={await dayAgenda(db, config.branchCode, day)}
          services={setup?.services ?? []}
          staff={staffOf(c)}
        />,
      );
    })
    .post("/stato", validate("form", markForm), async (c) => {
      const f = c.req.valid("form");
      await markBooking(db, f.id, f.state, {
        now: clock(),
        branch,
        branchCode: config.branchCode,
      });
      return c.redirect("/sportello/agenda", 303);
    })
    .post("/accesso", validate("form", walkInForm), async (c) => {
      const f = c.req.valid("form");
      const cf = f.taxCode === "" ? undefined : validateTaxCode(f.taxCode);
      if (cf && !cf.ok) throw new UserFacingError(cf.message, { status: 422, field: "taxCode" });
      await addWalkIn(db, {
        branchCode: config.branchCode,
        serviceId: f.serviceId,
        name: f.name,
        taxCode: cf?.ok ? cf.normalized : "",
      }, { now: clock(), makerCode: config.branchCode, branch });
      return c.redirect("/sportello/agenda", 303);
    });
}

/** `/admin/prenotazioni`. */
export function bookingAdminRoutes(deps: AppDeps): Hono {
  const { db, clock, config } = deps;
  const editable = config.role === "archive" || !config.archiveUrl;
  const mustEdit = () => {
    if (!editable) {
      throw new UserFacingError((t) => t.bookingAdmin.archiveOnlyError, { status: 409 });
    }
  };
  const back = (code: string) => `/admin/prenotazioni?sede=${code}`;
  return new Hono()
    .use("*", requireRole("admin"))
    .get("/", validate("query", adminQuery), async (c) => {
      const asked = c.req.valid("query").sede.toUpperCase();
      const code = /^[2-9A-HJ-NP-Z]{2}$/.test(asked) ? asked : config.branchCode;
      return c.html(
        <BookingAdminPage
          branches={await listBookingBranches(db)}
          code={code}
          config={await readBookingConfig(db, code)}
          editable={editable}
          staff={staffOf(c)}
        />,
      );
    })
    .post("/regola", validate("form", ruleForm), async (c) => {
      mustEdit();
      const { sede, ...rule } = c.req.valid("form");
      await saveBookingRule(db, sede, rule, clock());
      return c.redirect(back(sede), 303);
    })
    .post("/servizi", validate("form", serviceForm), async (c) => {
      mustEdit();
      const { sede, ...service } = c.req.valid("form");
      await addBookingService(db, sede, service, clock());
      return c.redirect(back(sede), 303);
    })
    .post("/servizi/stato", validate("form", serviceStateForm), async (c) => {
      mustEdit();
      const f = c.req.valid("form");
      await setBookingServiceActive(db, f.sede, f.id, f.active === "1", clock());
      return c.redirect(back(f.sede), 303);
    })
    .post("/orari", validate("form", hoursForm), async (c) => {
      mustEdit();
      const f = c.req.valid("form");
      await setBookingHours(db, f.sede, f.weekday, f.intervals, clock());
      return c.redirect(back(f.sede), 303);
    })
    .post("/chiusure", validate("form", closureForm), async (c) => {
      mustEdit();
      const f = c.req.valid("form");
      await setBookingClosure(
        db,
        f.sede,
        { date: f.date ?? "", note: f.note },
        f.action === "add",
        clock(),
      );
      return c.redirect(back(f.sede), 303);
    });
}
