/**
 * `/lingua/:locale?torna=…`: the language switch. A plain link (works without JavaScript)
 * that stores the choice in a session cookie and goes back to the page it was pressed on;
 * the idle wipe (`/richieste/azzera`) deletes the cookie, so the next visitor meets Italian.
 */
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { z } from "zod";
import { cookieOptions } from "../middleware/session.ts";
import { localMessage } from "../i18n/local_message.ts";
import { LOCALE_COOKIE, LOCALES } from "../i18n/locale.ts";
import { optionalCode } from "./_fields.ts";
import { validate } from "./_validate.ts";

// Only a local path: an open redirect would let a crafted link send the kiosk elsewhere.
const LOCAL_PATH = /^\/(?![/\\])[^\s\\<>"]*$/;

const switchParam = z.object({
  locale: z.enum(LOCALES, { error: localMessage((t) => t.misc.language.unavailable) }),
});
const switchQuery = z.object({
  torna: optionalCode((t) => t.misc.language.returnLabel, { max: 500 }).refine(
    (v) => v === "" || LOCAL_PATH.test(v),
    localMessage((t) => t.misc.language.notLocal),
  ),
});

/** The language switch's route, mounted at `/lingua`. */
export function languageRoutes(): Hono {
  return new Hono().get(
    "/:locale",
    validate("param", switchParam),
    validate("query", switchQuery),
    (c) => {
      // No max-age: a session cookie, gone when the browser closes or the kiosk is wiped.
      setCookie(c, LOCALE_COOKIE, c.req.valid("param").locale, cookieOptions(c));
      return c.redirect(c.req.valid("query").torna || "/", 303);
    },
  );
}
