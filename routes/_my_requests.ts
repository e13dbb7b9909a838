/**
 * "Le mie richieste": a signed-in citizen's requests as the page shows them, matched by the
 * codice fiscale of the sign-in and nothing else.
 */
import type { Db } from "../db/client.ts";
import { recordsOfRequests } from "../db/access_requests.ts";
import { listAttachments, listRequestsByTaxCode } from "../db/request_attachments.ts";
import { daysLeft } from "../domain/access_deadline.ts";
import { CLOCK_RUNNING, isAccessState, isOverdue } from "../domain/access_states.ts";
import type { CitizenRequestItem } from "../views/citizen_area.tsx";
import { labelRecords } from "./_record_labels.ts";
import { feeStatusOf } from "./_fee_status.ts";
import { consultOverviews } from "./_consult.ts";

/** The requests filed with `taxCode`, newest first, with their records and attachments. */
export async function myRequests(
  db: Db,
  taxCode: string,
  today: string,
  now: Date,
): Promise<CitizenRequestItem[]> {
  const rows = await listRequestsByTaxCode(db, taxCode);
  const records = await recordsOfRequests(db, rows.map((r) => r.id));
  // Grants judged with the archive's clock, and every open of them, the kiosks' included.
  const consult = await consultOverviews(
    db,
    rows,
    (id) => `/area-personale/richieste/${encodeURIComponent(id)}/documenti`,
    now,
  );
  const items: CitizenRequestItem[] = [];
  for (const r of rows) {
    const state = isAccessState(r.state) ? r.state : "received";
    items.push({
      id: r.id,
      code: r.receiptCode,
      filedAt: r.filedAt,
      regime: r.regime,
      state,
      dueOn: r.dueOn,
      daysLeft: daysLeft(r.dueOn, today),
      overdue: isOverdue(state, r.dueOn, today),
      clockRunning: CLOCK_RUNNING.includes(state),
      records: (await labelRecords(db, records.get(r.id) ?? [])).filter((l) => l.found),
      recordsDescription: r.recordsDescription,
      decidedOn: r.decidedOn,
      outcomeReason: r.outcomeReason,
      grantedScope: r.grantedScope,
      consultation: r.consultationPlace
        ? { place: r.consultationPlace, from: r.consultationFrom, to: r.consultationTo }
        : undefined,
      fees: r.fees,
      attachments: await listAttachments(db, r.id),
      fee: await feeStatusOf(db, r),
      awaitingPayment: state === "awaiting_payment",
      consult: r.regime === "documentale" ? consult.get(r.id) : undefined,
    });
  }
  return items;
}
