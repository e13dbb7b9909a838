/** Login and logout of clerks and admins; failed logins are rate-limited and audited. */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppDeps } from "../app_deps.ts";
import { appendAudit } from "../db/audit.ts";
import { createSession, deleteSession, purgeSessions } from "../db/sessions.ts";
import { authenticate, USERNAME } from "../db/users.ts";
import type { AccessLimiters } from "../middleware/rate_limit.ts";
import {
  clientIp,
  cookieOptions,
  SESSION_COOKIE,
  SESSION_IDLE_SECONDS,
} from "../middleware/session.ts";
import { LoginPage } from "../views/login.tsx";
import { i18nOf } from "../i18n/context.tsx";
import { z } from "zod";
import { optionalCode, optionalText } from "./_fields.ts";
import { validate } from "./_validate.ts";

// Only local paths: an open redirect would let a crafted link send a clerk elsewhere.
function safeNext(raw: string): string {
  return /^\/(?![/\\])[\w\-./]*$/.test(raw) ? raw : "/sportello";
}

const nextQuery = z.object({ next: optionalText("Pagina", { max: 200 }) });
const loginForm = z.object({
  // An account name has a format of its own: a control character is refused, not cleaned.
  username: optionalCode((t) => t.staff.username, { max: 40 }).transform((v) => v.toLowerCase()),
  password: optionalText("Password", { max: 200 }),
  next: optionalText("Pagina", { max: 200 }),
});

/** `/login` and `/logout`. */
export function authRoutes(deps: AppDeps, limiters: AccessLimiters): Hono {
  const { db, clock, config } = deps;
  const audit = () => ({
    now: clock(),
    branch: config.branchName,
    outbox: config.role === "branch",
  });
  return new Hono()
    .get("/login", validate("query", nextQuery), (c) =>
      c.html(
        <LoginPage csrfToken={c.get("csrfToken")} next={safeNext(c.req.valid("query").next)} />,
      ))
    .post(
      "/login",
      validate("form", loginForm, {
        onInvalid: (c, err) =>
          c.html(
            <LoginPage
              csrfToken={c.get("csrfToken")}
              next="/sportello"
              error={err.messageIn(i18nOf(c).t)}
            />,
            422,
          ),
      }),
      async (c) => {
        const form = c.req.valid("form");
        const username = form.username;
        // A name no account can have is a failed login like any other, but whatever was typed
        // does not go into the audit log.
        const actor = USERNAME.test(username) ? username : null;
        const password = form.password;
        const next = safeNext(form.next);
        const ip = clientIp(c);
        const byIp = await limiters.loginByIp.peek(ip);
        const byUser = await limiters.loginByUser.peek(username);
        if (!byIp.allowed || !byUser.allowed) {
          const wait = Math.max(
            byIp.allowed ? 0 : byIp.retryAfter,
            byUser.allowed ? 0 : byUser.retryAfter,
          );
          c.header("Retry-After", String(wait));
          await appendAudit(db, { actor, action: "login_blocked" }, audit());
          const error = i18nOf(c).t.staff.tooManyLogins(Math.ceil(wait / 60));
          return c.html(
            <LoginPage csrfToken={c.get("csrfToken")} next={next} error={error} />,
            429,
          );
        }
        const user = actor && password ? await authenticate(db, actor, password) : undefined;
        if (!user) {
          await limiters.loginByIp.hit(ip);
          await limiters.loginByUser.hit(username);
          await appendAudit(db, { actor, action: "login_failed" }, audit());
          return c.html(
            <LoginPage
              csrfToken={c.get("csrfToken")}
              next={next}
              username={username}
              error={i18nOf(c).t.staff.wrongLogin}
            />,
            401,
          );
        }
        await limiters.loginByUser.reset(username);
        // Sessions end lazily when touched; a login is a good moment to sweep abandoned ones.
        await purgeSessions(db, new Date(clock().getTime() - SESSION_IDLE_SECONDS * 1000));
        // The session and its login_ok audit entry are written together.
        const { token } = await createSession(db, user, audit());
        setCookie(c, SESSION_COOKIE, token, cookieOptions(c));
        return c.redirect(next, 303);
      },
    )
    .post("/logout", async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      // Audited with the session's end, in one transaction.
      if (token) await deleteSession(db, token, audit());
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.redirect("/login", 303);
    });
}
