/**
 * The one error a person can act on: an HTTP 4xx status, an Italian message, and the fields
 * it is about. Domain modules throw it (or a subclass) so the one error handler never turns
 * a refused input into a 500; it lives in domain/ because db/, search/ and sync/ throw it too.
 * A message given as a function of the catalogue (`(t) => t.errors.basketFull(20)`) is shown
 * in the request's language; a plain string is Italian only (not yet in the catalogues).
 */
import { it, type Messages } from "../i18n/it.ts";
import { type LocalText, translate, translateAll } from "../i18n/local_message.ts";

export type { LocalText };

/** The 4xx statuses a user-facing error may carry. */
export type ClientStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429;

/** Options of a user-facing error: its status (422 by default) and the fields concerned. */
export interface UserFacingErrorOptions {
  status?: ClientStatus;
  /** The one field the message is about, if any. */
  field?: string | undefined;
  /** Messages per field, for forms that show them next to each input. */
  fields?: Record<string, string>;
  /** Messages per field from the catalogues (take precedence over `fields` when shown). */
  localFields?: Record<string, LocalText>;
}

/** Bad input or a refused action: what the user sees, never the internals. */
export class UserFacingError extends Error {
  readonly status: ClientStatus;
  readonly field: string | undefined;
  readonly fields: Readonly<Record<string, string>>;
  readonly #text: LocalText | undefined;
  readonly #localFields: Readonly<Record<string, LocalText>>;

  constructor(message: string | LocalText, options: UserFacingErrorOptions = {}) {
    const italian = typeof message === "function" ? message(it) : message;
    super(italian);
    this.name = "UserFacingError";
    this.status = options.status ?? 422;
    this.field = options.field;
    this.#text = typeof message === "function" ? message : undefined;
    const local = options.localFields ??
      (options.field && this.#text ? { [options.field]: this.#text } : {});
    this.#localFields = local;
    const localItalian = Object.fromEntries(Object.entries(local).map(([k, f]) => [k, f(it)]));
    this.fields = options.fields ??
      (options.field ? { [options.field]: italian } : {});
    if (!options.fields) this.fields = { ...this.fields, ...localItalian };
  }

  /** The message in catalogue `t`'s language (Italian when it has no catalogue entry). */
  messageIn(t: Messages): string {
    return this.#text ? this.#text(t) : translate(this.message, t);
  }

  /** The per-field messages in catalogue `t`'s language. */
  fieldsIn(t: Messages): Record<string, string> {
    const out = translateAll(this.fields, t);
    for (const [k, f] of Object.entries(this.#localFields)) out[k] = f(t);
    return out;
  }
}
