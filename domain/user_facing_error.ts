/**
 * The one error a person can act on: an HTTP 4xx status, an Italian message, and the fields
 * it is about. Domain modules throw it (or a subclass) so the one error handler never turns
 * a refused input into a 500; it lives in domain/ because db/, search/ and sync/ throw it too.
 */

/** The 4xx statuses a user-facing error may carry. */
export type ClientStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429;

/** Options of a user-facing error: its status (422 by default) and the fields concerned. */
export interface UserFacingErrorOptions {
  status?: ClientStatus;
  /** The one field the message is about, if any. */
  field?: string | undefined;
  /** Messages per field, for forms that show them next to each input. */
  fields?: Record<string, string>;
}

/** Bad input or a refused action: what the user sees, never the internals. */
export class UserFacingError extends Error {
  readonly status: ClientStatus;
  readonly field: string | undefined;
  readonly fields: Readonly<Record<string, string>>;

  constructor(message: string, options: UserFacingErrorOptions = {}) {
    super(message);
    this.name = "UserFacingError";
    this.status = options.status ?? 422;
    this.field = options.field;
    this.fields = options.fields ?? (options.field ? { [options.field]: message } : {});
  }
}
