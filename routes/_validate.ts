/** Input validation at the edge: one error type the error path turns into a 4xx. */
import type { ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";

/** Bad input a person can fix: an Italian message, and the field it is about when there is one. */
export class ValidationError extends Error {
  /** 400 for a malformed request (query string), 422 for a form whose values are refused. */
  readonly status: 400 | 422;
  readonly field: string | undefined;
  /** Messages per field, for forms that show them next to each input. */
  readonly fields: Readonly<Record<string, string>>;

  constructor(
    message: string,
    options: { field?: string; fields?: Record<string, string>; status?: 400 | 422 } = {},
  ) {
    super(message);
    this.name = "ValidationError";
    this.status = options.status ?? 422;
    this.field = options.field;
    this.fields = options.fields ?? (options.field ? { [options.field]: message } : {});
  }
}

/** The first message per field of a failed zod parse. */
export function fieldMessages(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_";
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Validates one request part (`form`, `query`, `json`…) against a zod schema; a failure throws
 * ValidationError (handled by routes/errors.tsx) with the schema's Italian messages.
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
  status: 400 | 422 = target === "form" ? 422 : 400,
) {
  return validator(target, (value): z.infer<T> => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const fields = fieldMessages(parsed.error);
    const [field, message] = Object.entries(fields)[0] ?? ["_", "Dati non validi"];
    throw new ValidationError(message, { ...(field === "_" ? {} : { field }), fields, status });
  });
}
