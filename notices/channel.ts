/** What every notice channel (App IO, e-mail) offers the sender job, and how it fails. */
import type { NoticePayment } from "../domain/notice_texts.ts";

/** One message to deliver. */
export interface OutgoingNotice {
  /** The codice fiscale (App IO) or the e-mail address. */
  recipient: string;
  subject: string;
  /** Markdown (App IO) whose plain form goes by e-mail. */
  body: string;
  payment?: NoticePayment | undefined;
  /** ISO-8601 UTC. */
  dueDate?: string | undefined;
  /** The idempotency key: a header of the e-mail, so a provider can drop a duplicate too. */
  key: string;
}

/** A channel: resolves with the provider's id of the message, or throws a ChannelError. */
export interface NoticeSender {
  send(n: OutgoingNotice): Promise<{ providerId?: string | undefined }>;
}

/**
 * A failed delivery. `temporary`: worth trying again later (network, 5xx, 429, a bad key an
 * admin will fix); otherwise the notice is set aside with `message` (Italian, for the admin
 * page: never the key nor the password). `retryAfterMs`: the wait the service asked for.
 */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly retryAfterMs?: number | undefined,
  ) {
    super(message);
    this.name = "ChannelError";
  }
}

/** A Retry-After header (seconds, or an HTTP date) in ms from `now`; undefined if absent. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 24 * 3600) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.min(at - now.getTime(), 24 * 3600_000));
}
