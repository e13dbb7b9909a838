/** The ways a sync can fail, split by whether retrying can help. */

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

/** An Italian message for the admin page and the CLI. */
export function describeSyncError(err: unknown): string {
  if (err instanceof SyncAuthError || err instanceof SyncProtocolError) return err.message;
  if (err instanceof SyncTransientError) return `Archivio non raggiungibile: ${err.message}`;
  return `Errore di sincronizzazione: ${err instanceof Error ? err.message : String(err)}`;
}
