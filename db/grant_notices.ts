/**
 * Archive side: the "access about to expire" notice of grants (docs/NOTICES.md). A grant
 * still active `days` days or less before its last valid day is told once to the request's
 * recipients, by event id `grant:<id>:expiring`; later rounds queue nothing more. A grant
 * made with less than `days` days to run is told at the first round after it is made.
 */
import { and, eq, gte, isNull, lte } from "drizzle-orm";
import type { Db } from "./client.ts";
import { accessGrants, accessRequests } from "./schema.ts";
import { enqueueNotice, recipientsOf } from "./notices.ts";
import { addDays, localDate } from "../domain/access_deadline.ts";

/** The event id of a grant's expiry notice. */
export function grantExpiringEventId(grantId: string): string {
  return `grant:${grantId}:expiring`;
}

/**
 * Queues the expiry notice of every active grant whose last valid day is within `days` days
 * of today (Europe/Rome). Returns how many notice rows are new.
 */
export async function queueGrantExpiryNotices(db: Db, now: Date, days: number): Promise<number> {
  const today = localDate(now);
  const rows = await db.select({ grant: accessGrants, request: accessRequests })
    .from(accessGrants)
    .innerJoin(accessRequests, eq(accessRequests.id, accessGrants.requestId))
    .where(and(
      isNull(accessGrants.revokedAt),
      gte(accessGrants.validUntil, today),
      lte(accessGrants.validUntil, addDays(today, days)),
    ));
  let queued = 0;
  for (const { grant, request } of rows) {
    queued += await enqueueNotice(
      db,
      {
        eventId: grantExpiringEventId(grant.id),
        kind: "grant_expiring",
        receiptCode: request.receiptCode,
        expiresOn: grant.validUntil,
      },
      recipientsOf(request),
      now,
    );
  }
  return queued;
}
