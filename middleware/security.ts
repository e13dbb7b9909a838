/** Secure headers and body limits for every response (issue 5 "Security"). */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";

/** Largest form body accepted outside the sync API (a request form is a few KiB). */
export const MAX_FORM_BYTES = 64 * 1024;

/** CSP without inline script or style, no framing, no sniffing, no referrer. */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      frameAncestors: ["'none'"],
    },
    xContentTypeOptions: "nosniff",
    referrerPolicy: "no-referrer",
    xFrameOptions: "DENY",
  });
}

function limiter(maxBytes: number, message: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HTTPException(413, { message });
    },
  });
}

/**
 * 413 with an Italian message above `maxBytes`; the sync API sets its own limits. `uploads`
 * gives the few form paths that carry files (path → their larger limit).
 */
export function limitBody(
  maxBytes = MAX_FORM_BYTES,
  uploads: Record<string, number> = {},
): MiddlewareHandler {
  const limit = limiter(
    maxBytes,
    `Dati inviati troppo grandi (oltre ${Math.round(maxBytes / 1024)} KiB): ` +
      "accorcia i testi e riprova.",
  );
  const uploadLimits = new Map(
    Object.entries(uploads).map(([path, max]) => [
      path,
      limiter(
        max,
        `File troppo grandi (oltre ${Math.round(max / 1024 / 1024)} MB in tutto): ` +
          "scegli file più leggeri e riprova.",
      ),
    ]),
  );
  return async (c, next) => {
    if (c.req.path.startsWith("/sync/")) return await next();
    return await (uploadLimits.get(c.req.path) ?? limit)(c, next);
  };
}
