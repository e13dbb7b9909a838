/**
 * The pagoPA payment notice as the kiosk shows and prints it (A4, print stylesheet), and what
 * the citizen reads while there is none yet: the amount, and that the notice comes once the
 * central archive has registered it on pagoPA.
 */
import type { FC } from "hono/jsx";
import { assetUrl } from "./assets.ts";
import { italianDate } from "./request_receipt.tsx";
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
export const PaymentNotice: FC<{ n: NoticeView }> = ({ n }) => (
  <section class="payment-notice" aria-labelledby="notice-title" data-testid="payment-notice">
    <link rel="stylesheet" href={assetUrl("notice_print.css")} />
    <h2 id="notice-title" class="h4">Avviso di pagamento pagoPA</h2>
    <p class="payment-notice-purpose">{n.purpose}</p>
    <dl class="payment-notice-fields">
      <dt>Importo</dt>
      <dd class="payment-notice-amount">€ {formatEuro(n.amountCents)}</dd>
      <dt>Entro il</dt>
      <dd>{italianDate(n.dueOn)}</dd>
      <dt>Codice avviso</dt>
      <dd class="payment-notice-code" data-testid="notice-number">
        {formatNoticeNumber(n.noticeNumber)}
      </dd>
      <dt>Ente creditore</dt>
      <dd>{n.enteName}</dd>
      <dt>Codice fiscale ente</dt>
      <dd>{n.enteFiscalCode}</dd>
      <dt>Destinatario</dt>
      <dd>{n.payer}</dd>
    </dl>
    {n.paid
      ? (
        <p class="alert alert-success" role="status">
          Pagamento ricevuto{n.paidAt ? ` il ${italianDate(n.paidAt.slice(0, 10))}` : ""}.
        </p>
      )
      : (
        <>
          <img
            class="payment-notice-qr"
            src={n.qrDataUri}
            width="120"
            height="120"
            alt={`Codice QR pagoPA dell'avviso ${n.noticeNumber}`}
          />
          <p>
            Paga con l'app IO, l'home banking, o presso banche, uffici postali, tabaccai e
            ricevitorie aderenti a pagoPA, inquadrando il codice QR o indicando codice avviso e
            codice fiscale dell'ente.
          </p>
          <p class="no-print">
            <button type="button" class="btn btn-primary" data-print>Stampa l'avviso</button>
          </p>
        </>
      )}
  </section>
);

/** The fee part of the status answer. */
export const FeeStatusBlock: FC<{ fee: FeeStatus; awaitingPayment: boolean }> = (
  { fee, awaitingPayment },
) => {
  switch (fee.kind) {
    case "none":
      return null;
    case "exempt":
      return (
        <p data-testid="fee-status">
          Esente dai diritti: {fee.reason} (da documentare allo sportello).
        </p>
      );
    case "awaiting_notice":
      return (
        <div data-testid="fee-status">
          {fee.amountCents
            ? <p class="mb-1">Diritti da pagare: € {formatEuro(fee.amountCents)}.</p>
            : null}
          <p class="mb-0">
            L'avviso sarà disponibile dopo la registrazione presso l'archivio centrale: potrai
            pagarlo solo da quel momento.
          </p>
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
const ClockNote: FC = () => (
  <p class="small no-print">
    Lo sportello esamina la richiesta dopo il pagamento. Il termine di 30 giorni per la risposta
    decorre comunque dalla presentazione (DPR 184/2006).
  </p>
);
