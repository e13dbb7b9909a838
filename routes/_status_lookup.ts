/**
 * A request-status lookup for the API: receipt code + tax code → state and due date, under the
 * kiosk's lookup limits (per address, then per code; the same counters as the kiosk's form),
 * with one answer for "no such code" and "wrong tax code".
 */
import type { Db } from "../db/client.ts";
import { findByReceiptCode } from "../db/access_requests.ts";
import { localDate } from "../domain/access_deadline.ts";
import {
  ACCESS_STATE_LABELS,
  type AccessState,
  isAccessState,
  isOverdue,
} from "../domain/access_states.ts";
import { validateTaxCode } from "../domain/codice_fiscale.ts";
import { parseReceiptCode } from "../domain/receipt_code.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import type { AccessLimiters } from "../middleware/rate_limit.ts";

/** What the lookup tells: nothing about the requester. */
export interface RequestStatusAnswer {
  code: string;
  state: AccessState;
  stateLabel: string;
  dueOn: string;
  overdue: boolean;
}

/** The answer, or the error to throw (with the seconds to wait when a limit refused it). */
export type StatusLookup =
  | { ok: true; answer: RequestStatusAnswer }
  | { ok: false; error: UserFacingError; retryAfter?: number };

const tooMany = (seconds: number, perCode: boolean): StatusLookup => {
  const minutes = Math.ceil(seconds / 60);
  return {
    ok: false,
    retryAfter: seconds,
    error: new UserFacingError(
      (t) => perCode ? t.attempts.tooManyForCode(minutes) : t.attempts.tooMany(minutes),
      { status: 429, field: "code" },
    ),
  };
};

/** Looks a request up by receipt code and tax code, counting the attempt against the limits. */
export async function lookupRequestStatus(
  db: Db,
  limiters: Pick<AccessLimiters, "lookupByIp" | "lookupByCode">,
  clock: () => Date,
  ip: string,
  typedCode: string,
  typedTaxCode: string,
): Promise<StatusLookup> {
  const byIp = await limiters.lookupByIp.hit(ip);
  if (!byIp.allowed) return tooMany(byIp.retryAfter, false);
  const code = parseReceiptCode(typedCode);
  const cf = validateTaxCode(typedTaxCode);
  const fields: Record<string, string> = {};
  if (!code.ok) fields.code = code.message;
  if (!cf.ok) fields.taxCode = cf.message;
  if (!code.ok || !cf.ok) {
    const [field, message] = Object.entries(fields)[0] ?? ["code", ""];
    return { ok: false, error: new UserFacingError(message, { status: 422, field, fields }) };
  }
  const byCode = await limiters.lookupByCode.hit(code.code);
  if (!byCode.allowed) return tooMany(byCode.retryAfter, true);
  const row = await findByReceiptCode(db, code.code);
  if (!row || row.taxCode !== cf.normalized || !isAccessState(row.state)) {
    return {
      ok: false,
      error: new UserFacingError((t) => t.attempts.noSuchRequest, { status: 404, field: "code" }),
    };
  }
  return {
    ok: true,
    answer: {
      code: row.receiptCode,
      state: row.state,
      stateLabel: ACCESS_STATE_LABELS[row.state],
      dueOn: row.dueOn,
      overdue: isOverdue(row.state, row.dueOn, localDate(clock())),
    },
  };
}
