/** The ways a sync can fail, split by whether retrying can help. */
import { syncReasonAround } from "./reasons.ts";

/** The archive refused this branch's token (wrong or revoked): retrying will not help. */
export class SyncAuthError extends Error {}

/** The archive speaks a protocol this build does not, or refused our request as malformed. */
export class SyncProtocolError extends Error {}

/** Network error, timeout, cut or corrupt body, 5xx: retry later with backoff. */
export class SyncTransientError extends Error {}

/** True when a later attempt may succeed. */
export function isRetryable(err: unknown): boolean {
  return !(err instanceof SyncAuthError || err instanceof SyncProtocolError);
}

/**
 * An Italian message for the admin page and the CLI, made from the catalogue so the admin page
 * shows it in its reader's language (sync/reasons.ts).
 */
export function describeSyncError(err: unknown): string {
  if (err instanceof SyncAuthError || err instanceof SyncProtocolError) return err.message;
  if (err instanceof SyncTransientError) {
    return syncReasonAround((r, why) => r.unreachable(why), err.message);
  }
  const why = err instanceof Error ? err.message : String(err);
  return syncReasonAround((r, inner) => r.syncError(inner), why);
}
