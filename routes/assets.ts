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

// Longer than any file we ship, and well under the OS limits (255 bytes a name, 4096 a path).
const MAX_SEGMENT_BYTES = 255;
const MAX_PATH_BYTES = 1024;
const UTF8 = new TextEncoder();

/**
 * True for a request path no shipped file can have: a control character (a NUL makes
 * Deno.open throw a TypeError) or a name or path over the OS limits (ENAMETOOLONG).
 * serveStatic reports those errors with console.warn; refusing first keeps the log clean.
 */
export function cannotNameAFile(path: string): boolean {
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return true;
  if (UTF8.encode(path).length > MAX_PATH_BYTES) return true;
  return path.split("/").some((segment) => UTF8.encode(segment).length > MAX_SEGMENT_BYTES);
}

// The version is in the URL, so a file never changes under it: cache it for a year.
function cacheForAYear(_path: string, c: Context): void {
  c.header("Cache-Control", "public, max-age=31536000, immutable");
}

/**
 * `/static/v<ASSET_VERSION>/…`; any other version, a missing file, a `..` path or a path
 * no file can have (control characters, over-long names) is a 404.
 */
export function assetRoutes(): Hono {
  const prefix = `/v${ASSET_VERSION}`;
  const strip = (part: string) => (path: string) =>
    path.replace(/^.*?\/v[^/]+\//, "/").slice(part.length);
  return new Hono()
    // c.notFound() answers with the app's Italian 404 page.
    .use("*", async (c, next) => cannotNameAFile(c.req.path) ? c.notFound() : await next())
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
