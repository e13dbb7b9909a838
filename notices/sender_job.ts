/**
 * Archive side: the job that sends due notices. Each round takes the pending notices whose
 * next attempt has come, oldest first, and hands each to its channel. A temporary failure is
 * tried again with exponential backoff and jitter (or after the Retry-After the service
 * asked for) and stops that channel for the rest of the round, so a channel that is down is
 * not hammered while the other keeps going; a permanent one, or a notice still failing after
 * `giveUpAfterMs`, is set aside with its reason for the admin page.
 */
import { type PeriodicJob, startPeriodicJob } from "../jobs/periodic.ts";
import type { Db } from "../db/client.ts";
import {
  dueNotices,
  markNoticeFailed,
  markNoticeRetry,
  markNoticeSent,
  type NoticeChannel,
  type NoticeRow,
  paymentOf,
} from "../db/notices.ts";
import { signed } from "../domain/notice_texts.ts";
import { backoffDelay } from "../sync/backoff.ts";
import { ChannelError, type NoticeSender } from "./channel.ts";

/** Everything a round needs. A channel left undefined is not configured. */
export interface NoticeSenderDeps {
  db: Db;
  clock: () => Date;
  /** The Comune's name, signed under every message. */
  comune: string;
  channels: { [C in NoticeChannel]?: NoticeSender | undefined };
  random?: () => number;
  /** First retry after about this long (default 30 s), doubling up to `maxDelayMs` (1 h). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A notice still failing this long after it was queued is set aside (default 3 days). */
  giveUpAfterMs?: number;
}

/** What one round did. */
export interface SendReport {
  sent: number;
  retried: number;
  setAside: number;
  skipped: number;
}

const CHANNEL_NAMES: Record<NoticeChannel, string> = { app_io: "App IO", email: "E-mail" };

async function sendOne(
  deps: NoticeSenderDeps,
  sender: NoticeSender,
  n: NoticeRow,
): Promise<"sent" | "retried" | "setAside"> {
  try {
    const { providerId } = await sender.send({
      recipient: n.recipient,
      subject: n.subject,
      body: signed(n.body, deps.comune),
      payment: paymentOf(n),
      dueDate: n.dueDate ?? undefined,
      key: n.idempotencyKey,
    });
    await markNoticeSent(deps.db, n.id, providerId, deps.clock());
    return "sent";
  } catch (err) {
    if (!(err instanceof ChannelError)) throw err;
    const now = deps.clock();
    const age = now.getTime() - Date.parse(n.createdAt);
    if (!err.temporary) {
      await markNoticeFailed(deps.db, n.id, err.message);
      return "setAside";
    }
    if (age > (deps.giveUpAfterMs ?? 3 * 24 * 3600_000)) {
      await markNoticeFailed(
        deps.db,
        n.id,
        `Non consegnato dopo ${n.attempts + 1} ${
          n.attempts === 0 ? "tentativo" : "tentativi"
        }: ${err.message}`,
      );
      return "setAside";
    }
    const wait = err.retryAfterMs ?? backoffDelay(
      n.attempts,
      deps.random ?? Math.random,
      deps.baseDelayMs ?? 30_000,
      deps.maxDelayMs ?? 60 * 60_000,
    );
    await markNoticeRetry(deps.db, n.id, err.message, new Date(now.getTime() + wait));
    return "retried";
  }
}

/** One round: every due notice once, in the order they were queued. */
export async function runNoticeSendRound(deps: NoticeSenderDeps): Promise<SendReport> {
  const report: SendReport = { sent: 0, retried: 0, setAside: 0, skipped: 0 };
  const down = new Set<NoticeChannel>();
  for (const n of await dueNotices(deps.db, deps.clock())) {
    const sender = deps.channels[n.channel];
    if (!sender) {
      // Not configured (yet): kept, looked at again in an hour, with the reason shown.
      await markNoticeRetry(
        deps.db,
        n.id,
        `${CHANNEL_NAMES[n.channel]} non configurato sull'archivio`,
        new Date(deps.clock().getTime() + 60 * 60_000),
      );
      report.skipped++;
      continue;
    }
    if (down.has(n.channel)) {
      report.skipped++;
      continue;
    }
    const outcome = await sendOne(deps, sender, n);
    report[outcome]++;
    if (outcome === "retried") down.add(n.channel);
  }
  return report;
}

/** A running job; `stop()` ends it after the current round. */
export type NoticeSenderJob = PeriodicJob<SendReport>;

/** Starts the loop: a round every `everyMs` (default 20 s); a failing round is logged. */
export function startNoticeSender(deps: NoticeSenderDeps, everyMs = 20_000): NoticeSenderJob {
  return startPeriodicJob("Avvisi ai cittadini", () => runNoticeSendRound(deps), everyMs);
}
