/**
 * `/prenota`: booking a time at the counter. At a branch (kiosk, or a clerk for a caller)
 * seats come from the branch's share; at the archive (online) from the online share, with an
 * e-mail to send the confirmation to. Cancel and move by code + codice fiscale.
 */
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import { listBookingBranches, readBookingConfig } from "../db/booking_config.ts";
import {
  type Booking,
  type BookingContext,
  cancelBooking,
  createBooking,
  daysWithSlots,
  dossierExists,
  findBooking,
  findBookingByCode,
  NO_SUCH_BOOKING,
  rescheduleBooking,
  slotOffers,
} from "../db/bookings.ts";
import { emitBookingEvent } from "../db/booking_events.ts";
import { readDeadlineSettings } from "../db/access_settings.ts";
import { localDate } from "../domain/access_deadline.ts";
import { maskTaxCode, validateTaxCode } from "../domain/codice_fiscale.ts";
import { parseReceiptCode } from "../domain/receipt_code.ts";
import { bookingIcs } from "../domain/ics.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import type { AccessLimiters } from "../middleware/rate_limit.ts";
import { clientIp, cookieOptions } from "../middleware/session.ts";
import {
  BookingFormPage,
  BookingManagePage,
  BookingPickPage,
  BookingSlipPage,
} from "../views/booking.tsx";
import { optionalCode, optionalDate, optionalText } from "./_fields.ts";
import { validate } from "./_validate.ts";
import { i18nOf } from "../i18n/context.tsx";
import type { Messages } from "../i18n/it.ts";
import { localMessage } from "../i18n/local_message.ts";
import { CITIZEN_COOKIE, CITIZEN_SESSION_LIMITS } from "./citizen.tsx";
import { type CitizenSession, touchCitizenSession } from "../db/citizen_sessions.ts";

/** The slip's cookie: the booking just made or found, for its page and .ics. */
export const BOOKING_COOKIE = "faldone_booking";
// Long enough to print the slip and save the .ics, short enough for the next person.
const SLIP_SECONDS = 15 * 60;
/** Days ahead a booking may be made. */
export const BOOKING_DAYS_AHEAD = 21;

const ID = /^[A-Za-z0-9:_./-]+$/;
type BookingLabel = (t: Messages) => string;
const id = (label: BookingLabel) =>
  optionalCode(label, { max: 100 }).refine(
    (v) => v === "" || ID.test(v),
    localMessage((t) => t.booking.badId(label(t))),
  );
const instant = (label: BookingLabel) =>
  optionalCode(label, { max: 40 }).refine(
    (v) =>
      v === "" ||
      (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) && !isNaN(Date.parse(v))),
    localMessage((t) => t.booking.badTime(label(t))),
  );
const pickOne = (label: BookingLabel) => localMessage((t) => t.booking.pickOne(label(t)));

const BRANCH: BookingLabel = (t) => t.booking.labelBranch;
const SERVICE: BookingLabel = (t) => t.booking.labelService;
const DAY: BookingLabel = (t) => t.booking.labelDay;
const RECORD: BookingLabel = (t) => t.booking.labelRecord;
const TIME: BookingLabel = (t) => t.booking.labelTime;
const TAX_CODE: BookingLabel = (t) => t.booking.taxCode;

const pickQuery = z.object({
  sede: id(BRANCH),
  servizio: id(SERVICE),
  giorno: optionalDate(DAY),
  pratica: id(RECORD),
});
const slotQuery = z.object({
  sede: id(BRANCH),
  servizio: id(SERVICE).refine((v) => v !== "", pickOne(SERVICE)),
  inizio: instant(TIME).refine((v) => v !== "", pickOne(TIME)),
  pratica: id(RECORD),
});
const personForm = slotQuery.extend({
  taxCode: optionalCode(TAX_CODE, { max: 40 }),
  name: optionalText((t) => t.booking.name, { max: 120 }),
  email: optionalCode((t) => t.booking.email, { max: 200 }),
  requestCode: optionalCode((t) => t.booking.labelRequestCode, { max: 40 }),
  notifyAppIo: z.enum(["", "1"], {
    error: localMessage((t) => t.booking.appIoInvalid),
  }).default(""),
});
const lookupForm = z.object({
  code: optionalCode((t) => t.booking.code, { max: 40 }),
  taxCode: optionalCode(TAX_CODE, { max: 40 }),
  giorno: optionalDate(DAY),
});
const moveForm = lookupForm.extend({
  inizio: instant(TIME).refine((v) => v !== "", pickOne(TIME)),
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The booking routes, mounted at /prenota. */
export function bookingRoutes(deps: AppDeps, limiters: AccessLimiters): Hono {
  const { db, clock, config } = deps;
  const online = config.role === "archive";
  const ctx = async (): Promise<BookingContext> => ({
    now: clock(),
    side: online ? "archive" : "branch",
    makerCode: config.branchCode,
    holidays: (await readDeadlineSettings(db)).holidays,
    branch: !online,
  });

  // A branch books its own counter; online, the citizen picks the branch.
  const branchOf = async (sede: string) => {
    const code = online ? sede : config.branchCode;
    if (code === "") return undefined;
    const found = await readBookingConfig(db, code);
    // A branch not set up yet says so on the first page (a dossier's page links here).
    if (!found && !online) return undefined;
    if (!found) {
      throw new UserFacingError((t) => t.booking.noSuchBranch, { status: 404 });
    }
    return found;
  };

  const slip = async (c: Context, booking: Booking, moved: boolean) => {
    const branch = await readBookingConfig(db, booking.branchCode);
    const place = [branch?.name, branch?.place].filter(Boolean).join(", ");
    return c.html(<BookingSlipPage booking={booking} place={place} moved={moved} />);
  };

  const limited = async (c: Context) => {
    const byIp = await limiters.lookupByIp.hit(clientIp(c));
    if (!byIp.allowed) {
      c.header("Retry-After", String(byIp.retryAfter));
      const minutes = Math.ceil(byIp.retryAfter / 60);
      throw new UserFacingError((t) => t.attempts.tooMany(minutes), { status: 429 });
    }
  };

  // Code + codice fiscale: one answer for a wrong code and a wrong tax code alike.
  const owned = async (code: string, taxCode: string) => {
    const parsed = parseReceiptCode(code);
    const cf = validateTaxCode(taxCode);
    if (!parsed.ok || !cf.ok) throw new UserFacingError(NO_SUCH_BOOKING, { status: 404 });
    const row = await findBookingByCode(db, parsed.code, cf.normalized);
    if (!row) throw new UserFacingError(NO_SUCH_BOOKING, { status: 404 });
    return { row, code: parsed.code, taxCode: cf.normalized };
  };

  const keepSlip = (c: Context, booking: Booking) =>
    setCookie(c, BOOKING_COOKIE, booking.id, {
      ...cookieOptions(c, SLIP_SECONDS),
      path: "/prenota",
    });

  // Online, a citizen signed in with SPID or CIE books under the codice fiscale of the sign-in.
  const citizenOf = async (c: Context): Promise<CitizenSession | undefined> => {
    if (!online || !config.oidc) return undefined;
    const token = getCookie(c, CITIZEN_COOKIE);
    return token
      ? await touchCitizenSession(db, token, clock(), CITIZEN_SESSION_LIMITS)
      : undefined;
  };

  return new Hono()
    .get("/", validate("query", pickQuery), async (c) => {
      const q = c.req.valid("query");
      const settings = await ctx();
      const branch = await branchOf(q.sede);
      const services = branch?.services.filter((s) => s.active) ?? [];
      const service = q.servizio ? services.find((s) => s.id === q.servizio) : undefined;
      if (q.servizio && !service) {
        throw new UserFacingError((t) => t.booking.serviceUnavailable, { status: 404 });
      }
      const today = localDate(settings.now);
      const days = branch && service
        ? await daysWithSlots(
          db,
          branch.code,
          service.id,
          today,
          BOOKING_DAYS_AHEAD,
          settings.side,
          settings.holidays,
          settings.now,
        )
        : [];
      const slots = branch && service && q.giorno
        ? await slotOffers(
          db,
          branch.code,
          service.id,
          q.giorno,
          settings.side,
          settings.holidays,
          settings.now,
        )
        : [];
      return c.html(
        <BookingPickPage
          branches={online ? await listBookingBranches(db) : []}
          branch={branch}
          services={services}
          service={service}
          days={days}
          day={q.giorno}
          slots={slots}
          dossierId={q.pratica || undefined}
          online={online}
        />,
      );
    })
    .get("/dati", validate("query", slotQuery), async (c) => {
      const q = c.req.valid("query");
      const citizen = await citizenOf(c);
      const branch = await branchOf(q.sede);
      const service = branch?.services.find((s) => s.id === q.servizio && s.active);
      if (!branch || !service) {
        throw new UserFacingError((t) => t.booking.serviceRestart, { status: 404 });
      }
      return c.html(
        <BookingFormPage
          branchCode={branch.code}
          serviceId={service.id}
          serviceName={service.name}
          startsAt={q.inizio}
          dossierId={q.pratica}
          values={{}}
          errors={{}}
          csrfToken={c.get("csrfToken")}
          emailRequired={online && !citizen}
          signedInAs={citizen ? maskTaxCode(citizen.taxCode) : undefined}
        />,
      );
    })
    .post("/dati", validate("form", personForm), async (c) => {
      const f = c.req.valid("form");
      const citizen = await citizenOf(c);
      const branch = await branchOf(f.sede);
      const service = branch?.services.find((s) => s.id === f.servizio && s.active);
      if (!branch || !service) {
        throw new UserFacingError((t) => t.booking.serviceRestart, { status: 404 });
      }
      const errors: Record<string, string> = {};
      // Signed in, the codice fiscale is the broker's, whatever the form says.
      const cf = validateTaxCode(citizen ? citizen.taxCode : f.taxCode);
      if (!cf.ok) errors.taxCode = cf.message;
      if (f.name.length < 2) errors.name = localMessage((t) => t.booking.errName);
      if (f.email !== "" && !EMAIL.test(f.email)) {
        errors.email = localMessage((t) => t.booking.errEmail);
      }
      if (online && !citizen && f.email === "") {
        errors.email = localMessage((t) => t.booking.errEmailMissing);
      }
      const request = f.requestCode === "" ? undefined : parseReceiptCode(f.requestCode);
      if (request && !request.ok) errors.requestCode = request.message;
      if (f.pratica !== "" && !await dossierExists(db, f.pratica)) {
        errors.slot = localMessage((t) => t.booking.errDossier);
      }
      const page = (status: 409 | 422 | 404) =>
        c.html(
          <BookingFormPage
            branchCode={branch.code}
            serviceId={service.id}
            serviceName={service.name}
            startsAt={f.inizio}
            dossierId={f.pratica}
            values={{ ...f }}
            errors={errors}
            csrfToken={c.get("csrfToken")}
            emailRequired={online && !citizen}
            signedInAs={citizen ? maskTaxCode(citizen.taxCode) : undefined}
          />,
          status,
        );
      if (Object.keys(errors).length > 0 || !cf.ok) return page(422);
      let booking: Booking;
      try {
        booking = await createBooking(db, {
          branchCode: branch.code,
          serviceId: service.id,
          startsAt: f.inizio,
          taxCode: cf.normalized,
          name: f.name,
          email: f.email || null,
          notifyAppIo: f.notifyAppIo === "1",
          locale: c.get("i18n").locale,
          requestCode: request?.ok ? request.code : null,
          dossierId: f.pratica || null,
        }, await ctx());
      } catch (err) {
        if (err instanceof UserFacingError && err.field === "slot") {
          errors.slot = err.messageIn(i18nOf(c).t);
          return page(err.status === 409 ? 409 : 422);
        }
        throw err;
      }
      await emitBookingEvent(deps.onBookingEvent, { kind: "confirmed", booking });
      keepSlip(c, booking);
      return c.redirect("/prenota/ricevuta", 303);
    })
    .get("/ricevuta", async (c) => {
      const id = getCookie(c, BOOKING_COOKIE);
      const booking = id ? await findBooking(db, id) : undefined;
      if (!booking || booking.state === "cancelled") {
        throw new UserFacingError((t) => t.booking.slipGone, { status: 404 });
      }
      return await slip(c, booking, booking.replaces !== null);
    })
    .get("/ricevuta.ics", async (c) => {
      const id = getCookie(c, BOOKING_COOKIE);
      const booking = id ? await findBooking(db, id) : undefined;
      if (!booking || booking.state === "cancelled") {
        throw new UserFacingError((t) => t.booking.slipGone, { status: 404 });
      }
      const branch = await readBookingConfig(db, booking.branchCode);
      const { t } = i18nOf(c);
      c.header("Content-Type", "text/calendar; charset=utf-8");
      c.header(
        "Content-Disposition",
        `attachment; filename="${t.booking.icsFile}-${booking.code}.ics"`,
      );
      c.header("Cache-Control", "no-store");
      return c.body(bookingIcs({
        uid: `${booking.id}@faldone`,
        startsAt: booking.startsAt,
        endsAt: booking.endsAt,
        stamp: clock(),
        summary: t.booking.icsSummary(booking.serviceName, booking.code),
        location: [branch?.name, branch?.place].filter(Boolean).join(", "),
        description: t.booking.icsDescription(booking.code),
      }));
    })
    .get(
      "/gestisci",
      (c) => c.html(<BookingManagePage values={{}} errors={{}} csrfToken={c.get("csrfToken")} />),
    )
    .post("/gestisci", validate("form", lookupForm), async (c) => {
      const f = c.req.valid("form");
      await limited(c);
      let found;
      try {
        found = await owned(f.code, f.taxCode);
      } catch (err) {
        if (!(err instanceof UserFacingError) || err.status !== 404) throw err;
        return c.html(
          <BookingManagePage
            values={{ code: f.code }}
            errors={{ code: err.messageIn(i18nOf(c).t) }}
            csrfToken={c.get("csrfToken")}
          />,
          404,
        );
      }
      const { row } = found;
      const settings = await ctx();
      const live = row.state === "booked";
      const days = live
        ? await daysWithSlots(
          db,
          row.branchCode,
          row.serviceId,
          localDate(settings.now),
          BOOKING_DAYS_AHEAD,
          settings.side,
          settings.holidays,
          settings.now,
        )
        : [];
      const slots = live && f.giorno
        ? await slotOffers(
          db,
          row.branchCode,
          row.serviceId,
          f.giorno,
          settings.side,
          settings.holidays,
          settings.now,
        )
        : undefined;
      if (!live) {
        throw new UserFacingError(
          (t) => row.state === "cancelled" ? t.booking.alreadyCancelled : t.booking.alreadyServed,
          { status: 409 },
        );
      }
      return c.html(
        <BookingManagePage
          values={{ code: found.code, taxCode: found.taxCode }}
          errors={{}}
          csrfToken={c.get("csrfToken")}
          booking={row}
          days={days}
          day={f.giorno}
          slots={slots}
        />,
      );
    })
    .post("/annulla", validate("form", lookupForm), async (c) => {
      const f = c.req.valid("form");
      await limited(c);
      const { code, taxCode } = await owned(f.code, f.taxCode);
      const booking = await cancelBooking(db, code, taxCode, { now: clock(), branch: !online });
      await emitBookingEvent(deps.onBookingEvent, { kind: "cancelled", booking });
      deleteCookie(c, BOOKING_COOKIE, { path: "/prenota" });
      return c.html(
        <BookingManagePage values={{}} errors={{}} csrfToken={c.get("csrfToken")} cancelled />,
      );
    })
    .post("/sposta", validate("form", moveForm), async (c) => {
      const f = c.req.valid("form");
      await limited(c);
      const { code, taxCode } = await owned(f.code, f.taxCode);
      const moved = await rescheduleBooking(db, code, taxCode, f.inizio, await ctx());
      await emitBookingEvent(deps.onBookingEvent, { kind: "rescheduled", ...moved });
      keepSlip(c, moved.booking);
      return c.redirect("/prenota/ricevuta", 303);
    });
}
