/**
 * What arrives by sync (records and request snapshots pulled by a branch, mutations pushed
 * to the archive) passes the same text rule as an import line or a form (plain_text.ts): a
 * legacy archive's records or an old branch's payload may still carry control characters.
 */
import { cleanStrings } from "../domain/plain_text.ts";

/**
 * Fields that may hold line breaks: an act's published text, and what a requester or the
 * desk wrote in a text area (motivation, description, reason, appeal, completion note).
 */
const MULTILINE = new Set([
  "text",
  "motivation",
  "recordsDescription",
  "outcomeReason",
  "appeal",
  "note",
]);

/** `value` with control characters in its strings replaced (the same value when clean). */
export function cleanIncoming<T>(value: T): T {
  return cleanStrings(value, MULTILINE);
}
