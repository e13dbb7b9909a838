/** What the kiosk says about a request's fee: none, exempt, notice to come, or the notice. */
import type { Db } from "../db/client.ts";
import type { AccessRequestRow } from "../db/access_requests.ts";
import { findNotice } from "../db/payment_notices.ts";
import { maskTaxCode } from "../domain/codice_fiscale.ts";
import { qrPayload } from "../domain/pagopa_notice.ts";
import type { FeeStatus } from "../views/payment_notice.tsx";
import { noticeQrDataUri } from "../views/receipt_qr.ts";

/** The fee status of a request, with the notice's QR when pagoPA has it. */
export async function feeStatusOf(db: Db, row: AccessRequestRow): Promise<FeeStatus> {
  if (row.feeExemptionReason) return { kind: "exempt", reason: row.feeExemptionReason };
  const notice = await findNotice(db, row.id);
  // A notice is shown only once GPD has it: before that nobody could pay it.
  if (notice && notice.status !== "pending") {
    return {
      kind: "notice",
      notice: {
        noticeNumber: notice.noticeNumber,
        enteName: notice.enteName,
        enteFiscalCode: notice.enteFiscalCode,
        amountCents: notice.amountCents,
        dueOn: notice.dueOn,
        purpose: notice.purpose,
        // Initials and the masked code, as on the slip: the kiosk's screen is public.
        payer: `${initialsOf(notice.payerName)} (${maskTaxCode(notice.payerTaxCode)})`,
        paid: notice.status === "paid",
        paidAt: notice.paidAt ?? undefined,
        qrDataUri: await noticeQrDataUri(
          qrPayload(notice.noticeNumber, notice.enteFiscalCode, notice.amountCents),
        ),
      },
    };
  }
  if (row.state === "awaiting_payment") {
    return {
      kind: "awaiting_notice",
      amountCents: notice?.amountCents ?? row.feeCents ?? undefined,
    };
  }
  return { kind: "none" };
}

function initialsOf(name: string): string {
  return name.split(/\s+/).filter(Boolean).map((w) => `${w.charAt(0).toUpperCase()}.`).join(" ");
}
