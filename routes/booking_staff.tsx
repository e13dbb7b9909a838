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
import { appendAudit } from "../db/audit.ts";

function staffOf(c: Context) {
  const s = c.get("session");
  if (!s) {
    throw new UserFacingError("Accesso riservato: entra con le tue credenziali.", { status: 401 });
  }
  return { username: s.user.username, role: s.user.role, csrfToken: c.get("csrfToken") };
}

const BAD_ID = "Prenotazione non valida: ricarica l'agenda.";
const idField = (label: string, message: string) =>
  code(label, { max: 100, required: message }).regex(/^[A-Za-z0-9-]+$/, message);

const agendaQuery = z.object({ giorno: optionalDate("Giorno") });
const markForm = z.object({
  id: idField("Prenotazione", BAD_ID),
  state: z.enum(["arrived", "no_show"], { message: "Scegli arrivato o non presentato." }),
});
const walkInForm = z.object({
  serviceId: idField("Servizio", "Scegli il servizio."),
  name: text("Nome e cognome", { max: 120, required: "Scrivi il nome e il cognome." }),
  taxCode: optionalCode("Codice fiscale", { max: 40 }),
});

const branchCode = code("Sede", { max: 2, required: "Sede mancante: ricarica la pagina." })
  .regex(/^[2-9A-HJ-NP-Z]{2}$/, "Sede: 2 caratteri come K2.");
const whole = (label: string, min: number, max: number) =>
  code(label, { max: 5, required: `${label}: scrivi un numero.` }).transform((s, ctx) => {
    const n = Number(s);
    if (!/^\d+$/.test(s) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `${label}: un numero intero da ${min} a ${max}.` });
      return z.NEVER;
    }
    return n;
  });

const adminQuery = z.object({ sede: optionalCode("Sede", { max: 2 }) });
const ruleForm = z.object({
  sede: branchCode,
  name: text("Nome della sede", { max: 120, required: "Scrivi il nome della sede." }),
  place: optionalText("Dove si trova lo sportello", { max: 300 }),
  capacity: whole("Sportelli aperti", 1, 50),
  onlineShare: whole("Quota online", 0, 50),
  releaseHours: whole("Ore di rilascio", 0, 720),
}).refine((f) => f.onlineShare <= f.capacity, {
  message: "La quota online non può superare gli sportelli aperti.",
  path: ["onlineShare"],
});
const serviceForm = z.object({
  sede: branchCode,
  name: text("Nome del servizio", { max: 120, required: "Scrivi il nome del servizio." }),
  slotMinutes: whole("Durata", 5, 240),
});
const serviceStateForm = z.object({
  sede: branchCode,
  id: idField("Servizio", "Servizio non valido: ricarica la pagina."),
  active: z.enum(["0", "1"], { message: "Stato del servizio non valido." }),
});
const INTERVALS_MESSAGE =
  "Orari non validi: scrivi intervalli come 09:00-12:30, 15:00-17:00 (vuoto: chiuso).";
const hoursForm = z.object({
  sede: branchCode,
  weekday: whole("Giorno della settimana", 1, 7),
  intervals: optionalCode("Orari", { max: 200 }).transform((s, ctx) => {
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
          message: "Orari non validi: due intervalli si sovrappongono.",
        });
        return z.NEVER;
      }
    }
    return sorted;
  }),
});
const closureForm = z.object({
  sede: branchCode,
  date: optionalDate("Giorno di chiusura").refine((d) => d !== undefined, {
    message: "Giorno di chiusura: scrivi la data come AAAA-MM-GG.",
  }),
  note: optionalText("Motivo", { max: 200 }),
  action: z.enum(["add", "remove"], { message: "Azione non valida: ricarica la pagina." }),
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
      throw new UserFacingError(
        "Le prenotazioni si impostano all'archivio centrale: qui arrivano con la sincronizzazione.",
        { status: 409 },
      );
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
