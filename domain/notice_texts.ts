/**
 * The words of the notices to citizens, one function per event: plain and short, in the
 * language the citizen filed in (the `notices` group of the catalogues), always with the
 * receipt code (what the citizen quotes at the counter and types on the status
 * page). The same text goes to App IO (as Markdown) and by e-mail (as plain text), so it uses
 * nothing but paragraphs and **bold**.
 */
import { formatEuro } from "./pagopa_notice.ts";
import { CATALOGUES } from "../i18n/i18n.ts";
import { formatLongDay } from "../i18n/intl.ts";
import { DEFAULT_LOCALE, INTL_TAG, type Locale } from "../i18n/locale.ts";

/** Every kind of event that can produce a notice. */
export const NOTICE_KINDS = [
  "request_received",
  "fee_notice_issued",
  "payment_received",
  "suspended_counterparties",
  "sent_back_for_completion",
  "decision",
  "grant_expiring",
  "booking_confirmed",
  "booking_reminder",
  "booking_rescheduled",
  "booking_cancelled",
] as const;
export type NoticeKind = typeof NOTICE_KINDS[number];

/** Italian names of the kinds, for the admin page. */
export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = {
  request_received: "Richiesta ricevuta",
  fee_notice_issued: "Avviso di pagamento emesso",
  payment_received: "Pagamento ricevuto",
  suspended_counterparties: "Sospesa per i controinteressati",
  sent_back_for_completion: "Da integrare",
  decision: "Decisione",
  grant_expiring: "Accesso ai documenti in scadenza",
  booking_confirmed: "Prenotazione confermata",
  booking_reminder: "Promemoria prenotazione",
  booking_rescheduled: "Prenotazione spostata",
  booking_cancelled: "Prenotazione annullata",
};

/** The pagoPA data of a fee notice (App IO shows a "Paga" button with it). */
export interface NoticePayment {
  amountCents: number;
  /** 18 digits. */
  noticeNumber: string;
  /** The ente's codice fiscale (11 digits). */
  payeeFiscalCode: string;
}

/** What an event says; each kind carries what its text needs. */
export type NoticeEvent =
  & {
    /** Unique per event: with the channel it is the notice's idempotency key. */
    eventId: string;
  }
  & (
    | { kind: "request_received"; receiptCode: string; awaitingPayment: boolean }
    | {
      kind: "fee_notice_issued";
      receiptCode: string;
      payment: NoticePayment;
      /** ISO date the notice is due by. */
      dueOn: string;
    }
    | { kind: "payment_received"; receiptCode: string }
    | { kind: "suspended_counterparties"; receiptCode: string }
    | { kind: "sent_back_for_completion"; receiptCode: string; note?: string | undefined }
    | {
      kind: "decision";
      receiptCode: string;
      outcome: "accepted" | "partially_accepted" | "deferred" | "refused";
      /** Where and from when to consult, for a granted request. */
      place?: string | undefined;
      from?: string | undefined;
      to?: string | undefined;
      deferredUntil?: string | undefined;
    }
    | { kind: "grant_expiring"; receiptCode: string; expiresOn: string }
    | {
      kind: "booking_confirmed";
      /** The booking's confirmation code. */
      receiptCode: string;
      /** ISO local date and time "YYYY-MM-DDTHH:MM". */
      at: string;
      place: string;
      service: string;
    }
    | { kind: "booking_reminder"; receiptCode: string; at: string; place: string; service: string }
    | {
      kind: "booking_rescheduled";
      /** The new booking's code (a move gives a new one). */
      receiptCode: string;
      at: string;
      place: string;
      service: string;
      /** The code of the booking it replaced. */
      previousCode: string;
    }
    | { kind: "booking_cancelled"; receiptCode: string; at: string; place: string; service: string }
  );

/** A notice's words, before the channel's limits. */
export interface NoticeText {
  subject: string;
  body: string;
  payment?: NoticePayment | undefined;
  /** ISO-8601 UTC, for App IO's reminder. */
  dueDate?: string | undefined;
}

const EURO_EN = new Intl.NumberFormat(INTL_TAG.en, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** An amount as the locale writes it: `12,50` / `12.50`. */
function amountOf(locale: Locale, cents: number): string {
  return locale === "it" ? formatEuro(cents) : EURO_EN.format(cents / 100);
}

function paragraphs(...parts: (string | undefined)[]): string {
  return parts.filter((p) => p).join("\n\n");
}

/** 23:59:59 Rome time of an ISO date, in UTC (App IO's "by the end of the day"). */
export function endOfDayRome(isoDate: string): string {
  // Rome is UTC+1 or UTC+2: find the offset that day by formatting noon there.
  const noon = new Date(`${isoDate}T12:00:00Z`);
  const romeHour = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Rome", hour: "2-digit", hour12: false })
      .format(noon),
  );
  const offsetHours = romeHour - 12;
  const end = new Date(`${isoDate}T23:59:59Z`);
  return new Date(end.getTime() - offsetHours * 3600_000).toISOString();
}

/**
 * The text of one event in the language the citizen filed in (`locale`, Italian unless they
 * used the kiosk or the site in English). Legal terms keep their Italian name beside the
 * English one: that is what the citizen reads on the Comune's papers and hears at the desk.
 */
export function noticeText(e: NoticeEvent, locale: Locale = DEFAULT_LOCALE): NoticeText {
  const n = CATALOGUES[locale].notices;
  const longDate = (iso: string) => formatLongDay(locale, iso);
  const dateTime = (local: string) => n.at(longDate(local), local.slice(11, 16));
  const code = `**${e.receiptCode}**`;
  switch (e.kind) {
    case "request_received":
      return {
        subject: n.requestReceived.subject(e.receiptCode),
        body: paragraphs(
          n.requestReceived.body(code),
          e.awaitingPayment ? n.requestReceived.awaitingPayment : n.requestReceived.willTell,
          n.status,
        ),
      };
    case "fee_notice_issued":
      return {
        subject: n.feeNotice.subject(e.receiptCode),
        body: paragraphs(
          n.feeNotice.due(code, `**${n.euro(amountOf(locale, e.payment.amountCents))}**`),
          n.feeNotice.pay(`**${e.payment.noticeNumber}**`, longDate(e.dueOn)),
          n.feeNotice.after,
        ),
        payment: e.payment,
        dueDate: endOfDayRome(e.dueOn),
      };
    case "payment_received":
      return {
        subject: n.paymentReceived.subject(e.receiptCode),
        body: paragraphs(n.paymentReceived.body(code), n.status),
      };
    case "suspended_counterparties":
      return {
        subject: n.suspended.subject(e.receiptCode),
        body: paragraphs(n.suspended.body(code), n.status),
      };
    case "sent_back_for_completion":
      return {
        subject: n.sentBack.subject(e.receiptCode),
        body: paragraphs(
          n.sentBack.body(code),
          e.note ? n.sentBack.note(e.note) : undefined,
          n.sentBack.desk,
        ),
      };
    case "decision": {
      const where = e.place && e.from && e.to
        ? n.decision.where(e.place, longDate(e.from), longDate(e.to))
        : undefined;
      const until = e.outcome === "deferred" && e.deferredUntil
        ? n.decision.until(longDate(e.deferredUntil))
        : undefined;
      return {
        subject: n.decision.subject(e.receiptCode),
        body: paragraphs(
          n.decision.body(code, n.decision.outcomes[e.outcome]),
          where,
          until,
          n.decision.reasons,
        ),
      };
    }
    case "grant_expiring":
      return {
        subject: n.grantExpiring.subject(e.receiptCode),
        body: paragraphs(n.grantExpiring.body(code, longDate(e.expiresOn))),
        dueDate: endOfDayRome(e.expiresOn),
      };
    case "booking_confirmed":
      return {
        subject: n.bookingConfirmed.subject(e.receiptCode),
        body: paragraphs(
          n.bookingConfirmed.body(e.service, dateTime(e.at), e.place, code),
          n.bookingConfirmed.manage,
        ),
      };
    case "booking_reminder":
      return {
        subject: n.bookingReminder.subject(e.receiptCode),
        body: paragraphs(
          n.bookingReminder.body(e.service, dateTime(e.at), e.place, code),
          n.bookingReminder.cancel,
        ),
      };
    case "booking_rescheduled":
      return {
        subject: n.bookingRescheduled.subject(e.receiptCode),
        body: paragraphs(
          n.bookingRescheduled.body(e.previousCode, e.service, dateTime(e.at), e.place, code),
          n.bookingRescheduled.manage,
        ),
      };
    case "booking_cancelled":
      return {
        subject: n.bookingCancelled.subject(e.receiptCode),
        body: paragraphs(
          n.bookingCancelled.body(code, e.service, dateTime(e.at), e.place),
          n.bookingCancelled.again,
        ),
      };
  }
}

/**
 * The body signed by the Comune, added when sending (the sender knows the Comune's name; the
 * events' code, deep in the DB layer, need not).
 */
export function signed(body: string, comune: string): string {
  return `${body}\n\n${comune}`;
}

/** App IO's limits on a message's content (io-functions-services, MessageContentBase). */
export const APP_IO_LIMITS = {
  subjectMin: 10,
  subjectMax: 120,
  markdownMin: 80,
  markdownMax: 10_000,
} as const;

const PADDING = "Questo messaggio ti è stato inviato dal Comune per una tua pratica.";

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

/**
 * Subject and Markdown within App IO's limits: a short subject gets the word "Comune:" ahead
 * (never empty words), a long one is cut with "…"; a short body gets a closing line about
 * who sent it, a long one is cut. Lengths are counted in characters, as the contract does.
 */
export function fitForAppIo(
  subject: string,
  markdown: string,
): { subject: string; markdown: string } {
  let s = subject.trim();
  if ([...s].length < APP_IO_LIMITS.subjectMin) {
    s = `Comune: ${s}`.padEnd(APP_IO_LIMITS.subjectMin, ".");
  }
  s = cut(s, APP_IO_LIMITS.subjectMax);
  let m = markdown.trim();
  while ([...m].length < APP_IO_LIMITS.markdownMin) m = `${m}\n\n${PADDING}`.trim();
  m = cut(m, APP_IO_LIMITS.markdownMax);
  return { subject: s, markdown: m };
}

/** The Markdown made plain for an e-mail (the bold stars dropped). */
export function plainOf(markdown: string): string {
  return markdown.replace(/\*\*([^*]+)\*\*/g, "$1");
}
