/** The page frame every kiosk screen renders in: Bootstrap Italia header, footer, htmx. */
import { raw } from "hono/html";
import type { FC, PropsWithChildren } from "hono/jsx";
import { assetUrl, iconUrl } from "./assets.ts";
import { useSite } from "./site.tsx";
import { useI18n } from "../i18n/context.tsx";
import { LanguageSwitch } from "./language_switch.tsx";

/**
 * htmx 2 drops 4xx/5xx by default; we swap them so the error path's partials reach
 * #messages. History restore asks for a full page; indicator styles would be an inline style
 * that a strict CSP blocks.
 */
const HTMX_CONFIG = JSON.stringify({
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "[4]..", swap: true, error: false },
    { code: "...", swap: true, error: true },
  ],
  historyRestoreAsHxRequest: false,
  includeIndicatorStyles: false,
  defaultFocusScroll: false,
});

/** What every page may tell the frame. */
export interface LayoutProps {
  /** The page's own title; the site name is appended. */
  title: string;
  /** "Dati aggiornati al …", filled by the sync module when it knows. */
  dataUpdatedAt?: string | undefined;
  /** Where the language switch comes back to; this page by default. */
  switchBack?: string | undefined;
}

/** The whole HTML document around a screen's content. */
export const Layout: FC<PropsWithChildren<LayoutProps>> = (
  { title, dataUpdatedAt, switchBack, children },
) => {
  const site = useSite();
  const { locale, t } = useI18n();
  return (
    <>
      {raw("<!doctype html>")}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <title>{`${title} · Faldone · ${site.comuneName}`}</title>
          <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
          <link rel="stylesheet" href={assetUrl("bi/css/bootstrap-italia.min.css")} />
          <link rel="stylesheet" href={assetUrl("fonts.css")} />
          <link rel="stylesheet" href={assetUrl("app.css")} />
          <script src={assetUrl("htmx.min.js")} defer></script>
          <link rel="stylesheet" href={assetUrl("idle.css")} />
          <script src={assetUrl("csrf.js")} defer></script>
          <script src={assetUrl("idle.js")} defer></script>
          <script src={assetUrl("page.js")} defer></script>
        </head>
        {/* idle.js speaks Italian by itself; other languages hand it their words. */}
        <body
          data-idle-title={locale === "it" ? undefined : t.idle.title}
          data-idle-before={locale === "it" ? undefined : t.idle.textBefore}
          data-idle-after={locale === "it" ? undefined : t.idle.textAfter}
          data-idle-continue={locale === "it" ? undefined : t.idle.continue}
        >
          <a class="visually-hidden-focusable skip-link" href="#main">
            {t.layout.skipToMain}
          </a>
          <header class="it-header-wrapper">
            <div class="it-header-slim-wrapper">
              <div class="container">
                <div class="it-header-slim-wrapper-content">
                  <span class="navbar-brand">{site.comuneName} · {t.layout.office}</span>
                  {site.role === "archive"
                    ? (
                      <a class="header-personal-area" href="/area-personale">
                        {t.consult.personalArea}
                      </a>
                    )
                    : null}
                  {dataUpdatedAt
                    ? <span class="data-freshness">{t.layout.dataUpdatedAt(dataUpdatedAt)}</span>
                    : null}
                </div>
              </div>
            </div>
            <div class="it-header-center-wrapper">
              <div class="container">
                <div class="it-header-center-content-wrapper">
                  <div class="it-brand-wrapper">
                    <a href="/">
                      <svg class="icon" aria-hidden="true">
                        <use href={iconUrl("it-files")}></use>
                      </svg>
                      <div class="it-brand-text">
                        <div class="it-brand-title">Faldone</div>
                        <div class="it-brand-tagline">{t.layout.tagline}</div>
                      </div>
                    </a>
                  </div>
                  <LanguageSwitch back={switchBack} />
                </div>
              </div>
            </div>
          </header>
          <div class="container">
            <div id="messages" role="status" aria-live="polite"></div>
          </div>
          <main id="main" class="container py-4" tabindex={-1}>
            {children}
          </main>
          <footer class="it-footer">
            <div class="it-footer-small-prints clearfix">
              <div class="container">
                <p class="footer-note">
                  {t.layout.footerNote}
                  {dataUpdatedAt ? t.layout.footerUpdated(dataUpdatedAt) : ""}
                </p>
                <ul class="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
                  <li class="list-inline-item">
                    <a href="/">{t.layout.footerSearch}</a>
                  </li>
                  <li class="list-inline-item">
                    <a href="/richieste/stato">{t.layout.footerStatus}</a>
                  </li>
                  <li class="list-inline-item">
                    <a href="/consultazione">{t.consult.link}</a>
                  </li>
                </ul>
              </div>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
};
