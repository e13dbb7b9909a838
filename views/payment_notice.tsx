/**
 * The pagoPA payment notice as the kiosk shows and prints it (A4, print stylesheet), and what
 * the citizen reads while there is none yet: the amount, and that the notice comes once the
 * central archive has registered it on pagoPA.
 */
import type { FC } from "hono/jsx";
import { assetUrl } from "./assets.ts";
import { useI18n } from "../i18n/context.tsx";
import { formatEuro, formatNoticeNumber } from "../domain/pagopa_notice.ts";

/** A registered (or paid) notice, ready to print. */
export interface NoticeView {
  noticeNumber: string;
  enteName: string;
  enteFiscalCode: string;
  amountCents: number;
  dueOn: string;
  purpose: string;
  payer: string;
  paid: boolean;
  paidAt: string | undefined;
  qrDataUri: string;
}

/** Where the request stands with its fee. */
export type FeeStatus =
  | { kind: "none" }
  | { kind: "exempt"; reason: string }
  | { kind: "awaiting_notice"; amountCents: number | undefined }
  | { kind: "notice"; notice: NoticeView };

/** The notice itself: every field a payer and a PSP need, and the QR. */
export const PaymentNotice: FC<{ n: NoticeView }> = ({ n }) => {
  const { t, longDay } = useI18n();
  const f = t.fee;
  return (
    <section class="payment-notice" aria-labelledby="notice-title" data-testid="payment-notice">
      <link rel="stylesheet" href={assetUrl("notice_print.css")} />
      <h2 id="notice-title" class="h4">{f.noticeTitle}</h2>
      <p class="payment-notice-purpose">{n.purpose}</p>
      <dl class="payment-notice-fields">
        <dt>{f.amount}</dt>
        <dd class="payment-notice-amount">€ {formatEuro(n.amountCents)}</dd>
        <dt>{f.dueBy}</dt>
        <dd>{longDay(n.dueOn)}</dd>
        <dt>{f.noticeCode}</dt>
        <dd class="payment-notice-code" data-testid="notice-number">
          {formatNoticeNumber(n.noticeNumber)}
        </dd>
        <dt>{f.creditor}</dt>
        <dd>{n.enteName}</dd>
        <dt>{f.creditorTaxCode}</dt>
        <dd>{n.enteFiscalCode}</dd>
        <dt>{f.payer}</dt>
        <dd>{n.payer}</dd>
      </dl>
      {n.paid
        ? (
          <p class="alert alert-success" role="status">
            {f.paid}
            {n.paidAt ? f.paidOn(longDay(n.paidAt.slice(0, 10))) : ""}.
          </p>
        )
        : (
          <>
            <img
              class="payment-notice-qr"
              src={n.qrDataUri}
              width="120"
              height="120"
              alt={f.qrAlt(n.noticeNumber)}
            />
            <p>{f.howToPay}</p>
            <p class="no-print">
              <button type="button" class="btn btn-primary" data-print>{f.print}</button>
            </p>
          </>
        )}
    </section>
  );
};

/** The fee part of the status answer. */
export const FeeStatusBlock: FC<{ fee: FeeStatus; awaitingPayment: boolean }> = (
  { fee, awaitingPayment },
) => {
  const f = useI18n().t.fee;
  switch (fee.kind) {
    case "none":
      return null;
    case "exempt":
      return <p data-testid="fee-status">{f.exempt(fee.reason)}</p>;
    case "awaiting_notice":
      return (
        <div data-testid="fee-status">
          {fee.amountCents ? <p class="mb-1">{f.toPay(formatEuro(fee.amountCents))}</p> : null}
          <p class="mb-0">{f.noticeLater}</p>
          {awaitingPayment ? <ClockNote /> : null}
        </div>
      );
    case "notice":
      return (
        <div data-testid="fee-status">
          <PaymentNotice n={fee.notice} />
          {awaitingPayment ? <ClockNote /> : null}
        </div>
      );
  }
};

/** The legal clock keeps running while the fee is unpaid: said, not hidden. */
const ClockNote: FC = () => <p class="small no-print">{useI18n().t.fee.clock}</p>;
