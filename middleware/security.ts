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

/** 413 with an Italian message above `maxBytes`; the sync API sets its own limits. */
export function limitBody(maxBytes = MAX_FORM_BYTES): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HTTPException(413, {
        message: `Dati inviati troppo grandi (oltre ${Math.round(maxBytes / 1024)} KiB): ` +
          "accorcia i testi e riprova.",
      });
    },
  });
  return async (c, next) => {
    if (c.req.path.startsWith("/sync/")) return await next();
    return await limit(c, next);
  };
}
