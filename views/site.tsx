/**
 * The Comune's own words (name, desk, opening hours) for every page, without threading them
 * through each screen's props: the app puts them in a JSX context around whatever a route
 * renders with `c.html` (see `provideSite`), and the layout and the receipt read them.
 */
import type { MiddlewareHandler } from "hono";
import { createContext, useContext } from "hono/jsx";

/** What the pages say about the office that runs the kiosk. */
export interface Site {
  comuneName: string;
  deskPlace: string;
  deskHours: string;
  /** The archive shows sections a branch has not (the notices to citizens). */
  role?: "branch" | "archive" | undefined;
}

const SiteContext = createContext<Site>({
  comuneName: "Comune",
  deskPlace: "Ufficio Edilizia privata",
  deskHours: "negli orari di apertura al pubblico",
});

/** The site of the page being rendered. */
export function useSite(): Site {
  return useContext(SiteContext);
}

/** Middleware: every `c.html(…)` of this request renders inside the site's context. */
export function provideSite(site: Site): MiddlewareHandler {
  return async (c, next) => {
    const html = c.html;
    c.html = ((body: Parameters<typeof html>[0], ...rest: [never, never]) =>
      html(
        typeof body === "string"
          ? body
          : <SiteContext.Provider value={site}>{body}</SiteContext.Provider>,
        ...rest,
      )) as typeof c.html;
    await next();
  };
}
