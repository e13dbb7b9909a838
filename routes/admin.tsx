/** Admin area: accounts and the desk's settings; every change is audited. */
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDeps } from "../app.ts";
import {
  readDeadlineSettings,
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
import { text } from "./_request_input.ts";

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function staffOf(c: Context) {
  const s = c.get("session");
  if (!s) throw new HTTPException(401, { message: "Accesso riservato." });
  return { username: s.user.username, role: s.user.role, csrfToken: c.get("csrfToken") };
}

function words(raw: string): string[] {
  return raw.split(/[\s,;]+/).filter((w) => w !== "");
}

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
        staff={staffOf(c)}
        error={error}
        notice={notice}
      />,
      status,
    );

  return new Hono()
    .use("*", requireRole("admin"))
    .get("/utenti", (c) => usersPage(c, 200))
    .post("/utenti", async (c) => {
      const body = await c.req.parseBody({ all: true });
      const role = text(body, "role") === "admin" ? "admin" : "clerk";
      try {
        const displayName = text(body, "displayName").slice(0, 80);
        const user = await createUser(db, {
          username: text(body, "username"),
          role,
          password: text(body, "password"),
          ...(displayName ? { displayName } : {}),
        }, by(c));
        return usersPage(c, 200, undefined, `Utente «${user.username}» creato.`);
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.message);
        throw err;
      }
    })
    .post("/utenti/stato", async (c) => {
      const body = await c.req.parseBody({ all: true });
      const username = text(body, "username");
      const disabled = text(body, "disabled") === "1";
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
    .post("/utenti/ruolo", async (c) => {
      const body = await c.req.parseBody({ all: true });
      const username = text(body, "username");
      const role = text(body, "role") === "admin" ? "admin" : "clerk";
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
    .post("/utenti/password", async (c) => {
      const body = await c.req.parseBody({ all: true });
      const username = text(body, "username");
      try {
        await setUserPassword(db, username, text(body, "password"), by(c));
      } catch (err) {
        if (err instanceof UserError) return usersPage(c, 422, err.message);
        throw err;
      }
      return usersPage(c, 200, undefined, `Password di «${username}» aggiornata.`);
    })
    .get("/impostazioni", (c) => settingsPage(c, 200))
    .post("/impostazioni", async (c) => {
      const body = await c.req.parseBody({ all: true });
      const fixed = words(text(body, "fixed"));
      const extra = words(text(body, "extra"));
      const patron = text(body, "patron");
      const idle = Number(text(body, "idleSeconds"));
      // A form from before this field existed keeps the saved limit.
      const uploadText = text(body, "uploadMaxMb");
      const uploadMaxMb = uploadText === "" ? undefined : Number(uploadText);
      if (!fixed.every((d) => MONTH_DAY.test(d)) || (patron && !MONTH_DAY.test(patron))) {
        return settingsPage(c, 422, "Festività: scrivi ogni data come MM-GG, ad esempio 12-25.");
      }
      if (!extra.every((d) => ISO_DATE.test(d))) {
        return settingsPage(c, 422, "Chiusure: scrivi ogni data come AAAA-MM-GG.");
      }
      if (!Number.isInteger(idle) || idle < 30 || idle > 3600) {
        return settingsPage(c, 422, "Inattività: un numero di secondi tra 30 e 3600.");
      }
      const { min, max } = UPLOAD_MAX_MB_RANGE;
      if (
        uploadMaxMb !== undefined &&
        (!Number.isInteger(uploadMaxMb) || uploadMaxMb < min || uploadMaxMb > max)
      ) {
        return settingsPage(c, 422, `Dimensione massima: un numero di MB tra ${min} e ${max}.`);
      }
      await saveDeskSettings(db, {
        deadline: {
          holidays: {
            fixed,
            easterMonday: text(body, "easterMonday") === "1",
            ...(patron ? { patron } : {}),
            extra,
          },
          documentaleSuspension: text(body, "documentaleSuspension") === "1",
        },
        idleSeconds: idle,
        ...(uploadMaxMb !== undefined ? { uploadMaxMb } : {}),
      }, by(c));
      return settingsPage(c, 200, undefined, "Impostazioni salvate.");
    });
}
