/** Login and logout of clerks and admins; failed logins are rate-limited and audited. */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppDeps } from "../app.ts";
import { appendAudit } from "../db/audit.ts";
import { createSession, deleteSession, purgeSessions } from "../db/sessions.ts";
import { authenticate } from "../db/users.ts";
import type { AccessLimiters } from "../middleware/rate_limit.ts";
import {
  clientIp,
  cookieOptions,
  SESSION_COOKIE,
  SESSION_IDLE_SECONDS,
} from "../middleware/session.ts";
import { LoginPage } from "../views/login.tsx";
import { text } from "./_request_input.ts";

// Only local paths: an open redirect would let a crafted link send a clerk elsewhere.
function safeNext(raw: string): string {
  return /^\/(?![/\\])[\w\-./]*$/.test(raw) ? raw : "/sportello";
}

/** `/login` and `/logout`. */
export function authRoutes(deps: AppDeps, limiters: AccessLimiters): Hono {
  const { db, clock, config } = deps;
  const audit = () => ({
    now: clock(),
    branch: config.branchName,
    outbox: config.role === "branch",
  });
  return new Hono()
    .get(
      "/login",
      (c) =>
        c.html(
          <LoginPage csrfToken={c.get("csrfToken")} next={safeNext(c.req.query("next") ?? "")} />,
        ),
    )
    .post("/login", async (c) => {
      const body = await c.req.parseBody({ all: true });
      const username = text(body, "username").toLowerCase().slice(0, 40);
      const password = text(body, "password").slice(0, 200);
      const next = safeNext(text(body, "next"));
      const ip = clientIp(c);
      const byIp = await limiters.loginByIp.peek(ip);
      const byUser = await limiters.loginByUser.peek(username);
      if (!byIp.allowed || !byUser.allowed) {
        const wait = Math.max(
          byIp.allowed ? 0 : byIp.retryAfter,
          byUser.allowed ? 0 : byUser.retryAfter,
        );
        c.header("Retry-After", String(wait));
        await appendAudit(db, { actor: username || null, action: "login_blocked" }, audit());
        const error = `Troppi tentativi falliti: riprova tra ${Math.ceil(wait / 60)} minuti.`;
        return c.html(<LoginPage csrfToken={c.get("csrfToken")} next={next} error={error} />, 429);
      }
      const user = username && password ? await authenticate(db, username, password) : undefined;
      if (!user) {
        await limiters.loginByIp.hit(ip);
        await limiters.loginByUser.hit(username);
        await appendAudit(db, { actor: username || null, action: "login_failed" }, audit());
        return c.html(
          <LoginPage
            csrfToken={c.get("csrfToken")}
            next={next}
            username={username}
            error="Nome utente o password non corretti."
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
    })
    .post("/logout", async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      // Audited with the session's end, in one transaction.
      if (token) await deleteSession(db, token, audit());
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.redirect("/login", 303);
    });
}
