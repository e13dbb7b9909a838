/**
 * The one error path: domain code throws, this decides what the user sees, as a page, an
 * htmx partial retargeted to #messages, or JSON `{ error: { message, field, fields } }` under
 * /api and /sync/v1.
 */
import type { Context, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ErrorPage, Notice } from "../views/error.tsx";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { i18nOf, inLanguage } from "../i18n/context.tsx";
import { it, type Messages } from "../i18n/it.ts";
import { translate } from "../i18n/local_message.ts";

/** The message shown for any unknown path or id (same for restricted ones: they don't exist). */
export const NOT_FOUND_MESSAGE = it.errors.notFound;

// For errors thrown without a message of their own (e.g. a bare HTTPException(403)).
function defaultMessage(status: number, t: Messages): string {
  switch (status) {
    case 400:
      return t.errors.status400;
    case 401:
      return t.errors.status401;
    case 403:
      return t.errors.status403;
    case 405:
      return t.errors.status405;
    case 413:
      return t.errors.status413;
    case 429:
      return t.errors.status429;
    default:
      return t.errors.notFound;
  }
}

/** HTTP status of an error: its own for known kinds, 500 for anything unexpected. */
export function statusOf(err: Error): ContentfulStatusCode {
  // hono's own (body limit, a bare 403 of a middleware) and the one user-facing error type.
  if (err instanceof HTTPException) return err.status;
  if (err instanceof UserFacingError) return err.status;
  return 500;
}

// The JSON areas: the public API and the sync API answer errors as JSON, never a page.
function wantsJson(path: string): boolean {
  return ["/api", "/sync/v1"].some((p) => path === p || path.startsWith(`${p}/`));
}

function respond(
  c: Context,
  code: ContentfulStatusCode,
  message: string,
  err?: UserFacingError,
) {
  const status: number = code;
  if (wantsJson(c.req.path)) {
    const fields = err?.fieldsIn(i18nOf(c).t) ?? {};
    const error = { message, field: err?.field ?? null, fields };
    return c.json({ error }, code);
  }
  c.header("Vary", "HX-Request");
  if (c.req.header("HX-Request") !== "true") {
    return c.html(inLanguage(i18nOf(c), <ErrorPage status={status} message={message} />), code);
  }
  c.header("HX-Retarget", "#messages");
  c.header("HX-Reswap", "innerHTML");
  return c.html(inLanguage(i18nOf(c), <Notice status={status} message={message} />), code);
}

/**
 * One log line for an unexpected error without its message: a failed query's message carries
 * its parameters, which can be a citizen's name or tax code (no personal data in logs).
 */
export function logLine(err: Error, method: string, path: string): string {
  const code = "code" in err && typeof err.code === "string" ? ` ${err.code}` : "";
  const cause = err.cause instanceof Error ? ` (causa: ${err.cause.name})` : "";
  const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 8);
  return [`Errore interno su ${method} ${path}: ${err.name}${code}${cause}`, ...frames].join("\n");
}

/** app.onError: known errors keep their message; anything else is logged and hidden. */
export function handleError(err: Error, c: Context) {
  const status = statusOf(err);
  if (status >= 500) console.error(logLine(err, c.req.method, c.req.path));
  const { t } = i18nOf(c);
  const message = status >= 500
    ? t.errors.internal
    : (err instanceof UserFacingError ? err.messageIn(t) : translate(err.message, t)) ||
      defaultMessage(status, t);
  return respond(c, status, message, err instanceof UserFacingError ? err : undefined);
}

/** app.notFound: the same 404 for unknown paths in every format. */
export const handleNotFound: NotFoundHandler = (c) => respond(c, 404, i18nOf(c).t.errors.notFound);
