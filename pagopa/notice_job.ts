/**
 * Archive side: the small background job behind pagoPA notices. Each round it opens the
 * notices of requests waiting for payment, registers pending ones on GPD (retrying 5xx, 429
 * and network faults with backoff; a bad key or a refused payload waits for an admin, with
 * the reason on the fees page) and polls registered ones until GPD says they were paid.
 */
import { type PeriodicJob, startPeriodicJob } from "../jobs/periodic.ts";
import type { Db } from "../db/client.ts";
import {
  markAttemptFailed,
  markPaid,
  markPolled,
  markRegistered,
  type NoticeSettings,
  noticesToPoll,
  noticesToRegister,
  openPendingNotices,
  type PaymentNotice,
  reallocateIuv,
} from "../db/payment_notices.ts";
import { backoffDelay } from "../sync/backoff.ts";
import { createDebtPosition, getDebtPosition, type GpdConfig, GpdError } from "./gpd_client.ts";

/** Everything a round needs; `gpd` undefined: notices are opened but not registered. */
export interface NoticeJobDeps {
  db: Db;
  clock: () => Date;
  settings: NoticeSettings;
  gpd: (GpdConfig & { iban: string; category: string }) | undefined;
  /** How often a registered notice is asked about (default 10 minutes). */
  pollEveryMs?: number;
  random?: () => number;
}

/** What one round did, for tests and logs. */
export interface RoundReport {
  opened: number;
  registered: number;
  failed: number;
  paid: number;
}

/** The position's id on GPD: the ente and the IUV, so a retried create finds its own. */
export function iupdOf(n: Pick<PaymentNotice, "enteFiscalCode" | "iuv">): string {
  return `${n.enteFiscalCode}-${n.iuv}`;
}

async function register(
  deps: NoticeJobDeps & { gpd: NonNullable<NoticeJobDeps["gpd"]> },
  n: PaymentNotice,
): Promise<"registered" | "failed"> {
  const now = deps.clock();
  try {
    await createDebtPosition(deps.gpd, n.enteFiscalCode, {
      iupd: iupdOf(n),
      payer: { fiscalCode: n.payerTaxCode, fullName: n.payerName },
      companyName: n.enteName,
      iuv: n.iuv,
      amountCents: n.amountCents,
      description: n.purpose,
      dueDate: `${n.dueOn}T23:59:59`,
      transfer: {
        organizationFiscalCode: n.enteFiscalCode,
        iban: deps.gpd.iban,
        category: deps.gpd.category,
      },
    });
    await markRegistered(deps.db, n.requestId, now);
    return "registered";
  } catch (err) {
    if (!(err instanceof GpdError)) throw err;
    if (err.kind === "conflict") {
      // Our own earlier create whose answer was lost, or an IUV another generator took.
      try {
        await getDebtPosition(deps.gpd, n.enteFiscalCode, iupdOf(n));
        await markRegistered(deps.db, n.requestId, now);
        return "registered";
      } catch (again) {
        if (!(again instanceof GpdError) || again.kind !== "not_found") throw again;
        await reallocateIuv(deps.db, n.requestId, deps.settings.segregationCode, now);
        await markAttemptFailed(deps.db, n.requestId, err.message, now);
        return "failed";
      }
    }
    const random = deps.random ?? Math.random;
    const wait = err.retryAfterSeconds !== undefined
      ? err.retryAfterSeconds * 1000
      : backoffDelay(n.attempts, random, 15_000, 60 * 60_000);
    // A bad key is retried too, slowly, so fixing it and restarting is all an admin does.
    const retryAt = err.retryable
      ? new Date(now.getTime() + wait)
      : err.kind === "unauthorized"
      ? new Date(now.getTime() + 60 * 60_000)
      : undefined;
    await markAttemptFailed(deps.db, n.requestId, err.message, retryAt);
    return "failed";
  }
}

/** One round of the job. */
export async function runNoticeRound(deps: NoticeJobDeps): Promise<RoundReport> {
  const report: RoundReport = { opened: 0, registered: 0, failed: 0, paid: 0 };
  report.opened = await openPendingNotices(deps.db, deps.settings, deps.clock());
  const gpd = deps.gpd;
  if (!gpd) return report;
  const withGpd = { ...deps, gpd };
  for (const n of await noticesToRegister(deps.db, deps.clock())) {
    report[await register(withGpd, n)]++;
  }
  const pollEvery = deps.pollEveryMs ?? 10 * 60_000;
  const before = new Date(deps.clock().getTime() - pollEvery);
  for (const n of await noticesToPoll(deps.db, before)) {
    const now = deps.clock();
    try {
      const position = await getDebtPosition(gpd, n.enteFiscalCode, iupdOf(n));
      if (position.paid) {
        await markPaid(deps.db, n.requestId, position.paymentDate ?? now.toISOString(), now);
        report.paid++;
      } else await markPolled(deps.db, n.requestId, now);
    } catch (err) {
      if (!(err instanceof GpdError)) throw err;
      await markPolled(deps.db, n.requestId, now, err.message);
    }
  }
  return report;
}

/** A running job; `stop()` ends it after the current round. */
export type NoticeJob = PeriodicJob<RoundReport>;

/** Starts the loop: a round every `everyMs` (default 30 s); a failing round is logged. */
export function startNoticeJob(deps: NoticeJobDeps, everyMs = 30_000): NoticeJob {
  return startPeriodicJob("Avvisi pagoPA", () => runNoticeRound(deps), everyMs);
}

/** The job's settings from the config, or undefined when the ente's CF or code is missing. */
export function noticeSettingsOf(
  config: {
    comuneName: string;
    pagopa: {
      enteFiscalCode?: string | undefined;
      segregationCode?: string | undefined;
      dueDays: number;
    };
  },
): NoticeSettings | undefined {
  const { enteFiscalCode, segregationCode, dueDays } = config.pagopa;
  if (!enteFiscalCode || !segregationCode) return undefined;
  return { enteFiscalCode, segregationCode, dueDays, enteName: config.comuneName };
}

/** The GPD client's settings from the config, or undefined while any of them is missing. */
export function gpdOf(
  p: {
    gpdUrl?: string | undefined;
    gpdKey?: string | undefined;
    iban?: string | undefined;
    category?: string | undefined;
  },
): NoticeJobDeps["gpd"] {
  if (!p.gpdUrl || !p.gpdKey || !p.iban || !p.category) return undefined;
  return { baseUrl: p.gpdUrl, subscriptionKey: p.gpdKey, iban: p.iban, category: p.category };
}
