/**
 * Sessions, CSRF and role guards. The session cookie holds a random token (its hash is in
 * the DB); anonymous kiosk forms get a CSRF token of their own in a separate cookie, so every
 * POST/PUT/PATCH/DELETE outside the bearer-token sync API carries a token an attacker's page
 * cannot read.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { getConnInfo } from "hono/deno";
import { HTTPException } from "hono/http-exception";
import { timingSafeEqual } from "node:crypto";
import { Buffer } from "node:buffer";
import type { Db } from "../db/client.ts";
import { type Session, touchSession } from "../db/sessions.ts";
import type { UserRole } from "../db/users.ts";

declare module "hono" {
  interface ContextVariableMap {
    /** The logged-in clerk or admin, if any. */
    session: Session | undefined;
    /** The token every state-changing form of this page must send back. */
    csrfToken: string;
  }
}

/** Cookie names. */
export const SESSION_COOKIE = "faldone_session";
export const CSRF_COOKIE = "faldone_csrf";
/** Form field and header carrying the CSRF token (htmx sends the field with the form). */
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "X-CSRF-Token";
/** A clerk session ends after this long without a request. */
export const SESSION_IDLE_SECONDS = 20 * 60;

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The client's address (loopback tests without a socket count as "local"). */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "local";
  } catch {
    return "local";
  }
}

/** Cookie options: httpOnly, SameSite=Strict, Secure when served over https. */
export function cookieOptions(c: Context, maxAge?: number) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Strict" as const,
    secure: new URL(c.req.url).protocol === "https:",
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

function randomToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Loads the session (if any) and the CSRF token, then checks the token on unsafe methods. */
export function sessionAndCsrf(db: Db, clock: () => Date): MiddlewareHandler {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token
      ? await touchSession(db, token, clock(), SESSION_IDLE_SECONDS)
      : undefined;
    if (token && !session) setCookie(c, SESSION_COOKIE, "", cookieOptions(c, 0));
    c.set("session", session);
    let csrf = session?.csrfToken ?? getCookie(c, CSRF_COOKIE);
    if (!csrf) {
      csrf = randomToken();
      setCookie(c, CSRF_COOKIE, csrf, cookieOptions(c));
    }
    c.set("csrfToken", csrf);
    // Any page rendered for a signed-in clerk may hold personal data: never cached.
    if (session) c.header("Cache-Control", "no-store");
    // The sync API authenticates with a bearer token; the public API acts on no session (its
    // one POST, a status lookup, carries its own proof), so a cross-site form gains nothing.
    if (UNSAFE.has(c.req.method) && !isTokenlessArea(c.req.path)) {
      const sent = c.req.header(CSRF_HEADER) ?? await formToken(c);
      if (!sent || !same(sent, csrf)) {
        throw new HTTPException(403, {
          message: "Modulo scaduto o non valido: ricarica la pagina e riprova.",
        });
      }
    }
    await next();
  };
}

function isTokenlessArea(path: string): boolean {
  return path.startsWith("/sync/") || path.startsWith("/api/");
}

async function formToken(c: Context): Promise<string | undefined> {
  const type = c.req.header("Content-Type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(type)) return undefined;
  // `all: true` like every handler: hono caches the first parse whatever its options.
  const body = await c.req.parseBody({ all: true });
  const value = body[CSRF_FIELD];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : undefined;
}

/**
 * Lets only logged-in users with one of `roles` through: no session → the login page for a
 * plain GET, 401 otherwise; a wrong role → 403.
 */
export function requireRole(...roles: UserRole[]): MiddlewareHandler {
  return async (c, next) => {
    const session = c.get("session");
    if (!session) {
      if (c.req.method === "GET" && c.req.header("HX-Request") !== "true") {
        const next = encodeURIComponent(new URL(c.req.url).pathname);
        return c.redirect(`/login?next=${next}`, 303);
      }
      throw new HTTPException(401, { message: "Accesso riservato: entra con le tue credenziali." });
    }
    if (!roles.includes(session.user.role)) {
      throw new HTTPException(403, {
        message: "Questa pagina è riservata agli amministratori.",
      });
    }
    await next();
    // After logout, Back must not bring a clerk's page (and its personal data) from the cache.
    c.header("Cache-Control", "no-store");
  };
}
