/**
 * The citizen's area on the archive's public site (/area-personale): sign-in through the
 * town's identity broker (identity/oidc_sign_in.ts), "Le mie richieste", a request filed
 * online with its attachments, sign-out. Citizen sessions are apart from staff sessions: own
 * cookie, own table, no account.
 */
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import { createAccessRequest } from "../db/access_requests.ts";
import { readDeadlineSettings } from "../db/access_settings.ts";
import {
  type CitizenSession,
  createCitizenSession,
  createPendingLogin,
  deleteCitizenSession,
  PENDING_LOGIN_SECONDS,
  purgeCitizenSessions,
  takePendingLogin,
  touchCitizenSession,
} from "../db/citizen_sessions.ts";
import { addAttachmentsIn } from "../db/request_attachments.ts";
import { quoteFee } from "../db/payment_notices.ts";
import { localDate } from "../domain/access_deadline.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { maskTaxCode } from "../domain/codice_fiscale.ts";
import { createOidcSignIn, SIGN_IN_MESSAGES, SignInError } from "../identity/oidc_sign_in.ts";
import { createRateLimiter } from "../middleware/rate_limit.ts";
import { clientIp, CSRF_COOKIE, SESSION_IDLE_SECONDS } from "../middleware/session.ts";
import { MyRequestsPage, SignInPage } from "../views/citizen_area.tsx";
import { CitizenRequestPage } from "../views/citizen_request_form.tsx";
import { ErrorPage } from "../views/error.tsx";
import { labelRecords } from "./_record_labels.ts";
import { myRequests } from "./_my_requests.ts";
import { recordRef } from "./_request_input.ts";
import { optionalCode } from "./_fields.ts";
import { validate } from "./_validate.ts";
import { consultOnlineRoutes } from "./consult.tsx";
import { i18nOf } from "../i18n/context.tsx";
import { translate } from "../i18n/local_message.ts";
import { citizenFormSchema, MAX_ATTACHMENT_BYTES, readCitizenFiling } from "./_citizen_input.ts";

declare module "hono" {
  interface ContextVariableMap {
    /** The citizen signed in online, if any (archive only). */
    citizen: CitizenSession | undefined;
  }
}

/** Where the area lives, and its paths. */
export const CITIZEN_BASE = "/area-personale";
/** The redirect URI registered with the broker is this path under FALDONE_PUBLIC_URL. */
export const CALLBACK_PATH = `${CITIZEN_BASE}/ritorno`;
/** The online form: the one path with a body limit above the usual 64 KiB. */
export const CITIZEN_FORM_PATH = `${CITIZEN_BASE}/nuova`;
/** Cookie names: the session, and the pending sign-in's id. */
export const CITIZEN_COOKIE = "faldone_cittadino";
export const PENDING_COOKIE = "faldone_accesso";
/** Where an online request says it was filed (the desk shows it beside the filing time). */
export const ONLINE_BRANCH = "online";
/** A citizen session ends after 20 minutes idle or 8 hours in all. */
export const CITIZEN_SESSION_LIMITS = { idleSeconds: SESSION_IDLE_SECONDS, maxSeconds: 8 * 3600 };
// Starting a sign-in writes a row: enough for people who mistype, not for a flood.
const SIGN_IN_LIMIT = { bucket: "citizen_signin_ip", limit: 30, windowSeconds: 10 * 60 };

/**
 * Lax, not Strict like the staff cookies: the browser comes back from the broker's site, and
 * a Strict cookie would not travel on that navigation (nor on the redirect after it). Every
 * state-changing request still needs the CSRF token.
 */
function citizenCookie(c: Context, maxAge?: number) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: new URL(c.req.url).protocol === "https:",
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

function signedIn(c: Context): CitizenSession {
  const citizen = c.get("citizen");
  if (!citizen) {
    throw new UserFacingError((t) => t.citizenArea.signInFirst, { status: 401 });
  }
  return citizen;
}

function barOf(c: Context, citizen: CitizenSession) {
  return {
    displayName: citizen.displayName,
    maskedTaxCode: maskTaxCode(citizen.taxCode),
    csrfToken: c.get("csrfToken"),
  };
}

// The receipt code of a request just filed, shown highlighted in the list.
const areaQuery = z.object({ presentata: optionalCode("Codice della ricevuta", { max: 40 }) });
// The record a "Richiedi accesso online" link opens the form with.
const recordQuery = z.object({ record: recordRef.optional() });

/** The routes, mounted at /area-personale on the archive when a broker is configured. */
export function citizenRoutes(deps: AppDeps): Hono {
  const { db, clock, config } = deps;
  if (!config.oidc || !config.publicUrl) throw new Error("citizen sign-in is not configured");
  const signIn = createOidcSignIn(config.oidc, `${config.publicUrl}${CALLBACK_PATH}`);
  const signInLimit = createRateLimiter(db, SIGN_IN_LIMIT, clock);

  const refuse = (c: Context, err: SignInError) => {
    // The reason names error kinds only: no code, token or personal data in the log.
    console.warn(`Accesso online non riuscito: ${err.reason}`);
    c.header("Cache-Control", "no-store");
    const message = translate(err.message, i18nOf(c).t);
    return c.html(<ErrorPage status={err.status} message={message} />, err.status);
  };

  return new Hono()
    .use("*", async (c, next) => {
      const token = getCookie(c, CITIZEN_COOKIE);
      const citizen = token
        ? await touchCitizenSession(db, token, clock(), CITIZEN_SESSION_LIMITS)
        : undefined;
      if (token && !citizen) deleteCookie(c, CITIZEN_COOKIE, { path: "/" });
      c.set("citizen", citizen);
      c.header("Cache-Control", "no-store");
      await next();
    })
    .get("/", validate("query", areaQuery), async (c) => {
      const citizen = c.get("citizen");
      if (!citizen) return c.html(<SignInPage csrfToken={c.get("csrfToken")} />);
      const now = clock();
      const items = await myRequests(db, citizen.taxCode, localDate(now), now);
      // Only a code of this citizen's own requests is echoed back.
      const fresh = c.req.valid("query").presentata;
      const freshCode = items.some((i) => i.code === fresh) ? fresh : undefined;
      return c.html(<MyRequestsPage bar={barOf(c, citizen)} items={items} freshCode={freshCode} />);
    })
    .post("/accedi", async (c) => {
      const limit = await signInLimit.hit(clientIp(c));
      if (!limit.allowed) {
        c.header("Retry-After", String(limit.retryAfter));
        const minutes = Math.ceil(limit.retryAfter / 60);
        throw new UserFacingError((t) => t.attempts.tooManySignIn(minutes), { status: 429 });
      }
      let start;
      try {
        start = await signIn.begin();
      } catch (err) {
        if (err instanceof SignInError) return refuse(c, err);
        throw err;
      }
      const id = await createPendingLogin(db, start.pending, clock());
      setCookie(c, PENDING_COOKIE, id, citizenCookie(c, PENDING_LOGIN_SECONDS));
      return c.redirect(start.url.href, 303);
    })
    // The broker's answer (code, state, iss or error) is read and checked by openid-client
    // against the pending sign-in, whole; any refusal is a SignInError page.
    .get("/ritorno", async (c) => {
      const id = getCookie(c, PENDING_COOKIE);
      deleteCookie(c, PENDING_COOKIE, { path: "/" });
      // Taken (deleted) before anything else: one pending sign-in, one callback.
      const pending = id ? await takePendingLogin(db, id, clock()) : undefined;
      let who;
      try {
        if (!pending) {
          throw new SignInError(SIGN_IN_MESSAGES.failed, 400, "nessun accesso in corso");
        }
        who = await signIn.finish(new URL(c.req.url).searchParams, pending);
      } catch (err) {
        if (err instanceof SignInError) return refuse(c, err);
        throw err;
      }
      // A new session id at every sign-in; whatever session cookie came before is ended.
      const old = getCookie(c, CITIZEN_COOKIE);
      if (old) await deleteCitizenSession(db, old);
      const now = clock();
      // Sessions left to time out are swept here, the one moment a row is added.
      await purgeCitizenSessions(
        db,
        new Date(now.getTime() - CITIZEN_SESSION_LIMITS.idleSeconds * 1000),
        new Date(now.getTime() - CITIZEN_SESSION_LIMITS.maxSeconds * 1000),
      );
      const token = await createCitizenSession(db, who, now);
      setCookie(c, CITIZEN_COOKIE, token, citizenCookie(c));
      // The anonymous CSRF token is renewed too: one planted before sign-in stops working.
      deleteCookie(c, CSRF_COOKIE, { path: "/" });
      return c.redirect(CITIZEN_BASE, 303);
    })
    .post("/esci", async (c) => {
      const token = getCookie(c, CITIZEN_COOKIE);
      if (token) await deleteCitizenSession(db, token);
      deleteCookie(c, CITIZEN_COOKIE, { path: "/" });
      return c.redirect(CITIZEN_BASE, 303);
    })
    .get("/nuova", validate("query", recordQuery), async (c) => {
      const citizen = c.get("citizen");
      if (!citizen) return c.redirect(CITIZEN_BASE, 303);
      const ref = c.req.valid("query").record;
      const records = ref ? (await labelRecords(db, [ref])).filter((l) => l.found) : [];
      return c.html(
        <CitizenRequestPage
          bar={barOf(c, citizen)}
          records={records}
          requesterName={citizen.displayName ?? ""}
          maxMiB={MAX_ATTACHMENT_BYTES / 1024 / 1024}
        />,
      );
    })
    .post("/nuova", validate("form", citizenFormSchema), async (c) => {
      const citizen = signedIn(c);
      const filing = await readCitizenFiling(c.req.valid("form"), citizen.taxCode);
      const labels = await labelRecords(db, filing.input.records);
      if (labels.some((l) => !l.found)) {
        throw new UserFacingError((t) => t.citizenArea.recordGone, {
          field: "records",
          status: 422,
        });
      }
      // Priced as at a kiosk (no urgency or exemption asked online): a fee that is due makes
      // the request wait for payment, and the archive's notice job issues its pagoPA notice.
      const fee = await quoteFee(db, { ...filing.input, urgent: false, exemptionId: "" });
      const now = clock();
      // The request and its files in one transaction: never a request missing its delegation.
      const row = await createAccessRequest(db, {
        ...filing.input,
        fee,
        locale: c.get("i18n").locale,
      }, {
        now,
        branch: ONLINE_BRANCH,
        branchCode: config.branchCode,
        outbox: false,
        settings: await readDeadlineSettings(db),
        within: (tx, row) => addAttachmentsIn(tx, row.id, filing.attachments, now),
      });
      const to = `${CITIZEN_BASE}?presentata=${encodeURIComponent(row.receiptCode)}`;
      if (c.req.header("HX-Request") === "true") {
        c.header("HX-Redirect", to);
        return c.body(null, 204);
      }
      return c.redirect(to, 303);
    })
    // Granted documents, under this area's session check (the middleware above).
    .route("/", consultOnlineRoutes(deps, ONLINE_BRANCH));
}
