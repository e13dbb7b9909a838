/** Admin area: accounts and the desk's settings; every change is audited. */
import { type Context, Hono } from "hono";
import type { AppDeps } from "../app_deps.ts";
import {
  GRANT_DAYS_RANGE,
  readDeadlineSettings,
  readGrantDays,
  readIdleSeconds,
  readUploadMaxMb,
  saveDeskSettings,
  UPLOAD_MAX_MB_RANGE,
} from "../db/access_settings.ts";
import type { AuditedBy } from "../db/audit.ts";
import {
  createUser,
  listUsers,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  UserError,
} from "../db/users.ts";
import { requireRole } from "../middleware/session.ts";
import { SettingsPage } from "../views/admin_settings.tsx";
import { UsersPage } from "../views/admin_users.tsx";
import { z } from "zod";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { flag, isIsoDate, optionalCode, optionalText } from "./_fields.ts";
import { validate } from "./_validate.ts";

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function staffOf(c: Context) {
  const s = c.get("session");
  if (!s) throw new UserFacingError("Accesso riservato.", { status: 401 });
  return { username: s.user.username, role: s.user.role, csrfToken: c.get("csrfToken") };
}

function words(raw: string): string[] {
  return raw.split(/[\s,;]+/).filter((w) => w !== "");
}

// An account name has a format of its own (db/users.ts USERNAME): control characters refused.
const username = optionalCode("Nome utente", { max: 40 });
const role = z.enum(["clerk", "admin"], {
  error: "Ruolo non valido: scegli operatore o amministratore.",
})
  .default("clerk");
const password = optionalText("Password", { max: 200 });
const addUserForm = z.object({
  username,
  role,
  password,
  displayName: optionalText("Nome visualizzato", { max: 80 }),
});
const disableForm = z.object({ username, disabled: flag("Disattiva") });
const roleForm = z.object({ username, role });
const passwordForm = z.object({ username, password });

const dates = (label: string, test: (d: string) => boolean, message: string) =>
  optionalCode(label, { max: 2000, multiline: true })
    .transform(words)
    .refine((all) => all.every(test), message);

const settingsForm = z.object({
  fixed: dates(
    "Festività",
    (d) => MONTH_DAY.test(d),
    "Festività: scrivi ogni data come MM-GG, ad esempio 12-25.",
  ),
  extra: dates("Chiusure", isIsoDate, "Chiusure: scrivi ogni data come AAAA-MM-GG."),
  patron: optionalCode("Santo patrono", { max: 5 })
    .refine((d) => d === "" || MONTH_DAY.test(d), "Santo patrono: scrivi la data come MM-GG."),
  idleSeconds: optionalCode("Inattività", { max: 5 })
    .transform(Number)
    .refine(
      (n) => Number.isInteger(n) && n >= 30 && n <= 3600,
      "Inattività: un numero di secondi tra 30 e 3600.",
    ),
  easterMonday: flag("Lunedì dell'Angelo"),
  documentaleSuspension: flag("Sospensione"),
  // A form from before this field existed keeps the saved limit.
  uploadMaxMb: optionalCode("Dimensione massima", { max: 5 })
    .transform((v) => v === "" ? undefined : Number(v))
    .refine(
      (n) =>
        n === undefined ||
        (Number.isInteger(n) && n >= UPLOAD_MAX_MB_RANGE.min && n <= UPLOAD_MAX_MB_RANGE.max),
      `Dimensione massima: un numero di MB tra ${UPLOAD_MAX_MB_RANGE.min} e ${UPLOAD_MAX_MB_RANGE.max}.`,
    ),
  // Likewise: a form from before grants keeps the saved length.
  grantDays: optionalCode("Durata delle concessioni", { max: 5 })
    .transform((v) => v === "" ? undefined : Number(v))
    .refine(
      (n) =>
        n === undefined ||
        (Number.isInteger(n) && n >= GRANT_DAYS_RANGE.min && n <= GRANT_DAYS_RANGE.max),
      `Durata delle concessioni: un numero di giorni tra ${GRANT_DAYS_RANGE.min} e ${GRANT_DAYS_RANGE.max}.`,
    ),
});

/** `/admin/utenti` and `/admin/impostazioni` (admins only). */
export function adminRoutes(deps: AppDeps): Hono {
  const { db, clock, config } = deps;
  // Who acts: every account or settings change writes its audit entry in its transaction.
  const by = (c: Context): AuditedBy => ({
    actor: staffOf(c).username,
    now: clock(),
    branch: config.branchName,
    outbox: config.role === "branch",
  });
  const usersPage = async (c: Context, status: 200 | 422, error?: string, notice?: string) =>
    c.html(
      <UsersPage users={await listUsers(db)} staff={staffOf(c)} error={error} notice={notice} />,
      status,
    );
  const settingsPage = async (c: Context, status: 200 | 422, error?: string, notice?: string) =>
    c.html(
      <SettingsPage
        settings={await readDeadlineSettings(db)}
        idleSeconds={await readIdleSeconds(db, config.idleSeconds)}
        uploadMaxMb={await readUploadMaxMb(db)}
        grantDays={await readGrantDays(db)}
        staff={staffOf(c)}
        error={error}
        notice={notice}
      />,
      status,
    );

  const usersForm = <T extends z.ZodType>(schema: T) =>
    validate("form", schema, { onInvalid: (c, err) => usersPage(c, 422, err.message) });

  return new Hono()
    .use("*", requireRole("admin"))
    .get("/utenti", (c) => usersPage(c, 200))
    .post("/utenti", usersForm(addUserForm), async (c) => {
      const { username, role, password, displayName } = c.req.valid("form");
      try {
        const user = await createUser(db, {
          username,
          role,
          password,
          ...(displayName ? { displayName } : {}),
        }, by(c));
        return usersPage(c, 200, undefined, `Utente «${user.username}» creato.`);
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.message);
        throw err;
      }
    })
    .post("/utenti/stato", usersForm(disableForm), async (c) => {
      const { username, disabled } = c.req.valid("form");
      if (disabled && username === staffOf(c).username) {
        return usersPage(c, 422, "Non puoi disattivare il tuo stesso account.");
      }
      try {
        await setUserDisabled(db, username, disabled, by(c));
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.message);
        throw err;
      }
      return c.redirect("/admin/utenti", 303);
    })
    .post("/utenti/ruolo", usersForm(roleForm), async (c) => {
      const { username, role } = c.req.valid("form");
      // The last admin demoting themselves would lock everyone out of this page.
      if (username === staffOf(c).username) {
        return usersPage(c, 422, "Non puoi cambiare il tuo stesso ruolo.");
      }
      try {
        await setUserRole(db, username, role, by(c));
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.message);
        throw err;
      }
      return c.redirect("/admin/utenti", 303);
    })
    .post("/utenti/password", usersForm(passwordForm), async (c) => {
      const { username, password } = c.req.valid("form");
      try {
        await setUserPassword(db, username, password, by(c));
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.message);
        throw err;
      }
      return usersPage(c, 200, undefined, `Password di «${username}» aggiornata.`);
    })
    .get("/impostazioni", (c) => settingsPage(c, 200))
    .post(
      "/impostazioni",
      validate("form", settingsForm, { onInvalid: (c, err) => settingsPage(c, 422, err.message) }),
      async (c) => {
        const {
          fixed,
          extra,
          patron,
          idleSeconds: idle,
          easterMonday,
          documentaleSuspension,
          uploadMaxMb,
          grantDays,
        } = c.req.valid("form");
        // The settings and their audit entry are written in one transaction.
        await saveDeskSettings(db, {
          deadline: {
            holidays: {
              fixed,
              easterMonday,
              ...(patron ? { patron } : {}),
              extra,
            },
            documentaleSuspension,
          },
          idleSeconds: idle,
          ...(uploadMaxMb !== undefined ? { uploadMaxMb } : {}),
          ...(grantDays !== undefined ? { grantDays } : {}),
        }, by(c));
        return settingsPage(c, 200, undefined, "Impostazioni salvate.");
      },
    );
}
