/** Secure headers and body limits for every response (issue 5 "Security"). */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { localMessage } from "../i18n/local_message.ts";

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

/**
 * A path that takes files, with its own limit: the counter scan (an admin setting, read per
 * request) and the citizen's online form with its attachments (a fixed size).
 */
export interface UploadLimit {
  matches: (path: string) => boolean;
  /** The largest file content accepted, in bytes; the form around it gets MAX_FORM_BYTES more. */
  maxBytes: () => number | Promise<number>;
  /**
   * The 413 message for a body above that limit, made with `localMessage` so the error page
   * shows it in the reader's language.
   */
  message: (fileBytes: number) => string;
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
 * 413 with a message in the reader's language above `maxBytes`; the sync API sets its own limits. A POST to
 * an upload path gets that upload's file limit plus room for the form around it, checked
 * here, before anything (the CSRF check included) reads the body.
 */
export function limitBody(
  maxBytes = MAX_FORM_BYTES,
  uploads: readonly UploadLimit[] = [],
): MiddlewareHandler {
  const kib = Math.round(maxBytes / 1024);
  const limit = limiter(maxBytes, localMessage((t) => t.misc.bodyLimit.form(kib)));
  return async (c, next) => {
    if (c.req.path.startsWith("/sync/")) return await next();
    const upload = c.req.method === "POST" ? uploads.find((u) => u.matches(c.req.path)) : undefined;
    if (upload) {
      const fileBytes = await upload.maxBytes();
      return await limiter(fileBytes + MAX_FORM_BYTES, upload.message(fileBytes))(c, next);
    }
    return await limit(c, next);
  };
}
