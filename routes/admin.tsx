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
import { type LocalText, UserFacingError } from "../domain/user_facing_error.ts";
import { i18nOf } from "../i18n/context.tsx";
import { localMessage } from "../i18n/local_message.ts";
import { flag, isIsoDate, optionalCode, optionalText } from "./_fields.ts";
import { validate } from "./_validate.ts";

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function staffOf(c: Context) {
  const s = c.get("session");
  if (!s) throw new UserFacingError((t) => t.staff.reserved, { status: 401 });
  return { username: s.user.username, role: s.user.role, csrfToken: c.get("csrfToken") };
}

function words(raw: string): string[] {
  return raw.split(/[\s,;]+/).filter((w) => w !== "");
}

// An account name has a format of its own (db/users.ts USERNAME): control characters refused.
const username = optionalCode((t) => t.admin.username, { max: 40 });
const role = z.enum(["clerk", "admin"], {
  error: localMessage((t) => t.admin.badRole),
})
  .default("clerk");
const password = optionalText((t) => t.staff.password, { max: 200 });
const addUserForm = z.object({
  username,
  role,
  password,
  displayName: optionalText((t) => t.admin.displayNameField, { max: 80 }),
});
const disableForm = z.object({ username, disabled: flag((t) => t.admin.disable) });
const roleForm = z.object({ username, role });
const passwordForm = z.object({ username, password });

const dates = (label: LocalText, test: (d: string) => boolean, message: string) =>
  optionalCode(label, { max: 2000, multiline: true })
    .transform(words)
    .refine((all) => all.every(test), message);

const settingsForm = z.object({
  fixed: dates(
    (t) => t.admin.fixedHolidays,
    (d) => MONTH_DAY.test(d),
    localMessage((t) => t.admin.badFixed),
  ),
  extra: dates(
    (t) => t.admin.closures,
    isIsoDate,
    localMessage((t) => t.admin.badClosures),
  ),
  patron: optionalCode((t) => t.admin.patron, { max: 5 })
    .refine((d) => d === "" || MONTH_DAY.test(d), localMessage((t) => t.admin.badPatron)),
  idleSeconds: optionalCode((t) => t.admin.idleSeconds, { max: 5 })
    .transform(Number)
    .refine(
      (n) => Number.isInteger(n) && n >= 30 && n <= 3600,
      localMessage((t) => t.admin.badIdle),
    ),
  easterMonday: flag((t) => t.admin.easterMonday),
  documentaleSuspension: flag((t) => t.admin.suspension),
  // A form from before this field existed keeps the saved limit.
  uploadMaxMb: optionalCode((t) => t.admin.uploadMaxMb, { max: 5 })
    .transform((v) => v === "" ? undefined : Number(v))
    .refine(
      (n) =>
        n === undefined ||
        (Number.isInteger(n) && n >= UPLOAD_MAX_MB_RANGE.min && n <= UPLOAD_MAX_MB_RANGE.max),
      localMessage((t) => t.admin.badUpload(UPLOAD_MAX_MB_RANGE.min, UPLOAD_MAX_MB_RANGE.max)),
    ),
  // Likewise: a form from before grants keeps the saved length.
  grantDays: optionalCode((t) => t.admin.grantDays, { max: 5 })
    .transform((v) => v === "" ? undefined : Number(v))
    .refine(
      (n) =>
        n === undefined ||
        (Number.isInteger(n) && n >= GRANT_DAYS_RANGE.min && n <= GRANT_DAYS_RANGE.max),
      localMessage((t) => t.admin.badGrantDays(GRANT_DAYS_RANGE.min, GRANT_DAYS_RANGE.max)),
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
    validate("form", schema, {
      onInvalid: (c, err) => usersPage(c, 422, err.messageIn(i18nOf(c).t)),
    });

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
        return usersPage(c, 200, undefined, i18nOf(c).t.admin.userCreated(user.username));
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.messageIn(i18nOf(c).t));
        throw err;
      }
    })
    .post("/utenti/stato", usersForm(disableForm), async (c) => {
      const { username, disabled } = c.req.valid("form");
      if (disabled && username === staffOf(c).username) {
        return usersPage(c, 422, i18nOf(c).t.admin.notSelfDisable);
      }
      try {
        await setUserDisabled(db, username, disabled, by(c));
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.messageIn(i18nOf(c).t));
        throw err;
      }
      return c.redirect("/admin/utenti", 303);
    })
    .post("/utenti/ruolo", usersForm(roleForm), async (c) => {
      const { username, role } = c.req.valid("form");
      // The last admin demoting themselves would lock everyone out of this page.
      if (username === staffOf(c).username) {
        return usersPage(c, 422, i18nOf(c).t.admin.notSelfRole);
      }
      try {
        await setUserRole(db, username, role, by(c));
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.messageIn(i18nOf(c).t));
        throw err;
      }
      return c.redirect("/admin/utenti", 303);
    })
    .post("/utenti/password", usersForm(passwordForm), async (c) => {
      const { username, password } = c.req.valid("form");
      try {
        await setUserPassword(db, username, password, by(c));
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.messageIn(i18nOf(c).t));
        throw err;
      }
      return usersPage(c, 200, undefined, i18nOf(c).t.admin.passwordUpdated(username));
    })
    .get("/impostazioni", (c) => settingsPage(c, 200))
    .post(
      "/impostazioni",
      validate("form", settingsForm, {
        onInvalid: (c, err) => settingsPage(c, 422, err.messageIn(i18nOf(c).t)),
      }),
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
        return settingsPage(c, 200, undefined, i18nOf(c).t.admin.settingsSaved);
      },
    );
}
