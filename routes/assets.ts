/**
 * Static files under versioned URLs: our own (static/), Bootstrap Italia's CSS, fonts and
 * icon sprite, htmx, and PDF.js (its module, worker, image-decoder fallbacks, standard fonts
 * and CMaps), all straight from the pinned npm packages (never a CDN).
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { serveStatic } from "hono/deno";
import { fileURLToPath } from "node:url";
import { ASSET_VERSION } from "../views/assets.ts";

const OWN_ROOT = fileURLToPath(new URL("../static", import.meta.url));
const BI_ROOT = fileURLToPath(import.meta.resolve("bootstrap-italia/dist/version.js")).replace(
  /\/version\.js$/,
  "",
);
const HTMX_FILE = fileURLToPath(import.meta.resolve("htmx.org/dist/htmx.min.js"));
const PDFJS_ROOT = fileURLToPath(import.meta.resolve("pdfjs-dist/package.json")).replace(
  /\/package\.json$/,
  "",
);

// The version is in the URL, so a file never changes under it: cache it for a year.
function cacheForAYear(_path: string, c: Context): void {
  c.header("Cache-Control", "public, max-age=31536000, immutable");
}

/** `/static/v<ASSET_VERSION>/…`; any other version, a missing file or a `..` path is a 404. */
export function assetRoutes(): Hono {
  const prefix = `/v${ASSET_VERSION}`;
  const strip = (part: string) => (path: string) =>
    path.replace(/^.*?\/v[^/]+\//, "/").slice(part.length);
  return new Hono()
    .get(
      `${prefix}/htmx.min.js`,
      serveStatic({ root: "/", path: HTMX_FILE, onFound: cacheForAYear }),
    )
    // Only the folders the viewer loads: not PDF.js's sources, maps or sample viewer.
    .get(
      `${prefix}/pdfjs/:folder{build|wasm|standard_fonts|cmaps}/*`,
      serveStatic({
        root: PDFJS_ROOT,
        rewriteRequestPath: strip("/pdfjs"),
        onFound: cacheForAYear,
      }),
    )
    .get(
      `${prefix}/bi/*`,
      serveStatic({ root: BI_ROOT, rewriteRequestPath: strip("/bi"), onFound: cacheForAYear }),
    )
    .get(
      `${prefix}/*`,
      serveStatic({ root: OWN_ROOT, rewriteRequestPath: strip(""), onFound: cacheForAYear }),
    );
}
