/** Versioned URLs of the kiosk's static files (served by routes/assets.ts). */

/**
 * Bumped whenever a file under static/ changes; the vendor versions ride along so an upgrade
 * of Bootstrap Italia, htmx or PDF.js also changes every URL. Browsers cache these for a year.
 */
export const ASSET_VERSION = "8-bi2.18.3-htmx2.0.11-pdfjs6.5.438";

/** The URL prefix every static file lives under. */
export const ASSET_PREFIX = `/static/v${ASSET_VERSION}`;

/** `/static/v…/<path>` for a file of ours (static/) or a vendor file (bi/…, htmx.min.js, pdfjs/…). */
export function assetUrl(path: string): string {
  return `${ASSET_PREFIX}/${path}`;
}

/** An icon of the Bootstrap Italia sprite, e.g. `iconUrl("it-search")`. */
export function iconUrl(name: string): string {
  return `${assetUrl("bi/svg/sprites.svg")}#${name}`;
}
