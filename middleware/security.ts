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

/** Paths that take a file (the counter upload), with their own limit read per request. */
export interface UploadLimit {
  matches: (path: string) => boolean;
  /** The largest file accepted, in bytes (an admin setting). */
  maxBytes: () => Promise<number>;
}

/**
 * 413 with an Italian message above `maxBytes`; the sync API sets its own limits. An upload
 * path gets its file limit plus room for the form around it, checked here, before anything
 * (the CSRF check included) reads the body.
 */
export function limitBody(maxBytes = MAX_FORM_BYTES, upload?: UploadLimit): MiddlewareHandler {
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
    if (upload?.matches(c.req.path) && c.req.method === "POST") {
      const fileBytes = await upload.maxBytes();
      return await bodyLimit({
        maxSize: fileBytes + MAX_FORM_BYTES,
        onError: () => {
          throw new HTTPException(413, {
            message: `File troppo grande: il limite è ${
              Math.round(fileBytes / 1_000_000)
            } MB. Dividi la scansione o chiedi all'amministratore di alzare il limite.`,
          });
        },
      })(c, next);
    }
    return await limit(c, next);
  };
}
