/**
 * The access-request area's two hooks into createApp: the security middleware, which must
 * run before every other route, and the routes themselves.
 */
import type { Hono } from "hono";
import type { AppDeps } from "../app_deps.ts";
import { localMessage } from "../i18n/local_message.ts";
import { createAccessLimiters } from "../middleware/rate_limit.ts";
import { limitBody, MAX_FORM_BYTES, securityHeaders } from "../middleware/security.ts";
import { MAX_CITIZEN_FILE_BYTES } from "./_citizen_input.ts";
import { CITIZEN_FORM_PATH } from "./citizen.tsx";
import { requireRole, sessionAndCsrf } from "../middleware/session.ts";
import { readIdleSeconds, readUploadMaxMb } from "../db/access_settings.ts";
import { isUploadPath } from "./desk.tsx";
import { adminRoutes } from "./admin.tsx";
import { adminFeeRoutes } from "./admin_fees.tsx";
import { auditRoutes } from "./audit.tsx";
import { authRoutes } from "./auth.tsx";
import { deskRoutes } from "./desk.tsx";
import { registroRoutes } from "./registro.tsx";
import { requestRoutes } from "./requests.tsx";
import { CONSULT_BASE, consultKioskRoutes } from "./consult.tsx";
import { bookingRoutes } from "./booking.tsx";
import { agendaRoutes, bookingAdminRoutes } from "./booking_staff.tsx";

/** Seconds the idle warning counts down before wiping the kiosk (at least 20, issue 5). */
export const IDLE_COUNTDOWN_SECONDS = 30;

/** Secure headers, body limit, session + CSRF on every request; call first in createApp. */
export function useSecurity(app: Hono, deps: AppDeps): void {
  app.use("*", securityHeaders());
  app.use(
    "*",
    limitBody(MAX_FORM_BYTES, [
      {
        matches: isUploadPath,
        maxBytes: async () => (await readUploadMaxMb(deps.db)) * 1_000_000,
        message: (fileBytes) => {
          const mb = Math.round(fileBytes / 1_000_000);
          return localMessage((t) => t.misc.bodyLimit.scan(mb));
        },
      },
      {
        matches: (path) => path === CITIZEN_FORM_PATH,
        maxBytes: () => MAX_CITIZEN_FILE_BYTES,
        message: (fileBytes) => {
          const mb = Math.round(fileBytes / 1024 / 1024);
          return localMessage((t) => t.misc.bodyLimit.citizenFiles(mb));
        },
      },
    ]),
  );
  // Static files and health checks need no session: skip the DB lookup for them.
  app.use("*", async (c, next) => {
    if (c.req.path.startsWith("/static/") || c.req.path === "/healthz") return await next();
    return await sessionAndCsrf(deps.db, deps.clock)(c, next);
  });
  // The sync helper's admin page: admins only.
  app.use("/admin/sync", requireRole("admin"));
  app.use("/admin/sync/*", requireRole("admin"));
}

/** Mounts the citizen, booking, login, desk, admin, audit and registro routes. */
export function mountAccess(app: Hono, deps: AppDeps): void {
  const limiters = createAccessLimiters(deps.db, deps.clock);
  // static/idle.js reads its times here, so an admin's change applies at the next page.
  app.get("/kiosk.json", async (c) => {
    c.header("Cache-Control", "no-cache");
    const idleSeconds = await readIdleSeconds(deps.db, deps.config.idleSeconds);
    return c.json({ idleSeconds, countdownSeconds: IDLE_COUNTDOWN_SECONDS });
  });
  app.route("/richieste", requestRoutes(deps, limiters));
  app.route(CONSULT_BASE, consultKioskRoutes(deps, limiters));
  app.route("/prenota", bookingRoutes(deps, limiters));
  app.route("/sportello/agenda", agendaRoutes(deps));
  app.route("/admin/prenotazioni", bookingAdminRoutes(deps));
  app.route("/", authRoutes(deps, limiters));
  app.route("/sportello", deskRoutes(deps));
  app.route("/admin/tariffe", adminFeeRoutes(deps));
  app.route("/admin", adminRoutes(deps));
  app.route("/", auditRoutes(deps));
  app.route("/", registroRoutes(deps));
}
