/**
 * The one edge for input: every route reads its query, form, JSON body or path parameters
 * through `validate(target, schema)` and then `c.req.valid(target)`. A failure becomes a
 * UserFacingError (handled by routes/errors.tsx) with the schema's Italian messages, or the
 * route's own page when it shows messages beside each field (`onInvalid`).
 */
import type { Context, MiddlewareHandler, ValidationTargets } from "hono";
import { HTTPException } from "hono/http-exception";
import { validator } from "hono/validator";
import type { z } from "zod";
import { type ClientStatus, type LocalText, UserFacingError } from "../domain/user_facing_error.ts";

/** The first message per field of a failed zod parse. */
export function fieldMessages(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_";
    out[key] ??= issue.message;
  }
  return out;
}

/** A failed parse as the one user-facing error: the first message, every field's message. */
export function invalidInput(error: z.ZodError, status: ClientStatus): UserFacingError {
  const fields = fieldMessages(error);
  const first = Object.entries(fields)[0];
  if (!first) return new UserFacingError((t) => t.errors.invalidData, { fields, status });
  const [field, message] = first;
  return new UserFacingError(message, { ...(field === "_" ? {} : { field }), fields, status });
}

/** How a route reacts to refused input other than the shared error page. */
export interface ValidateOptions {
  /** 400 for a malformed request (query string, JSON), 422 for a form whose values are refused. */
  status?: ClientStatus;
  /** Renders the route's own answer (e.g. the form again, a message beside each field). */
  onInvalid?: (
    c: Context,
    error: UserFacingError,
    raw: Record<string, unknown>,
  ) => Response | Promise<Response>;
}

const BAD_ENCODING = new UserFacingError((t) => t.errors.badEncoding, { status: 400 });

// hono keeps a query part it cannot decode as it is ("%ff"): refuse it instead of searching it.
function checkQueryEncoding(url: string): void {
  const query = url.indexOf("?") < 0 ? "" : url.slice(url.indexOf("?") + 1).split("#")[0] ?? "";
  for (const part of query.split("&")) {
    // Only an escape can fail to decode.
    if (!part.includes("%")) continue;
    try {
      decodeURIComponent(part.replaceAll("+", " "));
    } catch {
      throw BAD_ENCODING;
    }
  }
}

// Our own words for a body hono's validator cannot read (its message is a developer's).
const UNREADABLE: Partial<Record<keyof ValidationTargets, LocalText>> = {
  json: (t) => t.errors.unreadableJson,
  form: (t) => t.errors.unreadableForm,
};

/**
 * Validates one request part (`form`, `query`, `json`, `param`) against a zod schema; the
 * handler reads the result with `c.req.valid(target)`.
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
  options: ValidateOptions & {
    /**
     * The schema's output computed without zod for the input it can read cheaply (a search
     * query string: every value plain); undefined hands the input to the schema.
     */
    fast?: (value: Record<string, unknown>) => Promise<z.output<T>> | undefined;
  } = {},
) {
  const status = options.status ?? (target === "form" ? 422 : 400);
  const inner = validator(target, async (value, c): Promise<z.output<T> | Response> => {
    if (target === "query") checkQueryEncoding(c.req.url);
    const quick = options.fast?.(value as Record<string, unknown>);
    if (quick !== undefined) return await quick;
    const parsed = await schema.safeParseAsync(value);
    if (parsed.success) return parsed.data;
    const error = invalidInput(parsed.error, status);
    if (options.onInvalid) return options.onInvalid(c, error, value as Record<string, unknown>);
    throw error;
  });
  const guarded: MiddlewareHandler = async (c, next) => {
    let reached = false;
    try {
      const res: unknown = await inner(c, () => {
        reached = true;
        return next();
      });
      return res instanceof Response ? res : undefined;
    } catch (err) {
      // Only the body reading itself: errors of the handler after it pass through untouched.
      if (!reached && err instanceof HTTPException && err.status === 400) {
        throw new UserFacingError(UNREADABLE[target] ?? ((t) => t.errors.badEncoding), {
          status: 400,
        });
      }
      throw err;
    }
  };
  return guarded as typeof inner;
}
