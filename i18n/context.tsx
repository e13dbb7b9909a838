/**
 * How the locale reaches the views: the same pattern as the Comune's words (views/site.tsx).
 * A middleware reads the visitor's choice, stores the language tools as `c.get("i18n")` for
 * handlers and error messages, and renders every `c.html(…)` of the request inside a JSX
 * context, so any component calls `useI18n()` without a new prop threaded through each
 * screen. Outside a request (a view rendered alone in a test) the context is Italian.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { type Child, createContext, useContext } from "hono/jsx";
import { type I18n, i18nFor } from "./i18n.ts";
import { DEFAULT_LOCALE, LOCALE_COOKIE, parseLocale } from "./locale.ts";

declare module "hono" {
  interface ContextVariableMap {
    /** The request's language tools (Italian unless the visitor switched). */
    i18n: I18n;
  }
}

const I18nContext = createContext<I18n>(i18nFor(DEFAULT_LOCALE));

/** The language tools of the page being rendered. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}

/**
 * The request's language tools. Before the middleware ran (a body refused by the size limit,
 * which comes first) the visitor's cookie still says the language; Italian without one (the
 * sync API).
 */
export function i18nOf(c: Context): I18n {
  return c.get("i18n") ??
    i18nFor(
      parseLocale(getCookie(c, LOCALE_COOKIE)) ?? DEFAULT_LOCALE,
      new URL(c.req.url).pathname,
    );
}

/**
 * `body` rendered in `i18n`'s language: for a response made where the middleware's wrapping
 * of `c.html` may not have happened (an error raised before it ran). Nesting is harmless.
 */
export function inLanguage(i18n: I18n, body: Child) {
  return <I18nContext.Provider value={i18n}>{body}</I18nContext.Provider>;
}

/** Middleware: the visitor's locale for handlers (`c.get("i18n")`) and views (`useI18n`). */
export function provideLocale(): MiddlewareHandler {
  return async (c, next) => {
    const locale = parseLocale(getCookie(c, LOCALE_COOKIE)) ?? DEFAULT_LOCALE;
    // The path alone: a query can hold what a visitor typed (an e-mail searched by mistake),
    // which a page must not echo; static/page.js adds the query in the browser.
    const i18n = i18nFor(locale, new URL(c.req.url).pathname);
    c.set("i18n", i18n);
    const html = c.html;
    c.html = ((body: Parameters<typeof html>[0], ...rest: [never, never]) =>
      html(
        typeof body === "string"
          ? body
          : <I18nContext.Provider value={i18n}>{body}</I18nContext.Provider>,
        ...rest,
      )) as typeof c.html;
    await next();
  };
}
