/**
 * The words of the notices to citizens, one function per event: Italian, plain and short,
 * always with the receipt code (what the citizen quotes at the counter and types on the status
 * page). The same text goes to App IO (as Markdown) and by e-mail (as plain text), so it uses
 * nothing but paragraphs and **bold**.
 */
import { formatEuro } from "./pagopa_notice.ts";

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

function longDate(iso: string): string {
  return new Intl.DateTimeFormat("it-IT", { timeZone: "UTC", dateStyle: "long" })
    .format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}

function dateTime(local: string): string {
  return `${longDate(local)} alle ${local.slice(11, 16)}`;
}

const STATUS = "Puoi vedere lo stato della richiesta in ogni momento sul sito del Comune o al " +
  "chiosco, con il codice di ricevuta.";

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

/** The text of one event. */
export function noticeText(e: NoticeEvent): NoticeText {
  const code = `**${e.receiptCode}**`;
  switch (e.kind) {
    case "request_received":
      return {
        subject: `Richiesta di accesso ricevuta (${e.receiptCode})`,
        body: paragraphs(
          `Abbiamo ricevuto la tua richiesta di accesso agli atti. Il codice di ricevuta è ${code}.`,
          e.awaitingPayment
            ? "La richiesta prevede dei diritti da pagare: riceverai l'avviso di pagamento " +
              "pagoPA e la richiesta andrà avanti dopo il pagamento."
            : "Ti avviseremo quando ci saranno novità.",
          STATUS,
        ),
      };
    case "fee_notice_issued":
      return {
        subject: `Avviso di pagamento per la richiesta ${e.receiptCode}`,
        body: paragraphs(
          `Per la richiesta di accesso ${code} sono dovuti ` +
            `**€ ${formatEuro(e.payment.amountCents)}**.`,
          `Codice avviso pagoPA: **${e.payment.noticeNumber}**, da pagare entro il ` +
            `${longDate(e.dueOn)}. Puoi pagare in app IO, online o presso banche, uffici ` +
            "postali e tabaccherie aderenti a pagoPA.",
          "Dopo il pagamento la richiesta passa all'ufficio: non serve portare la ricevuta.",
        ),
        payment: e.payment,
        dueDate: endOfDayRome(e.dueOn),
      };
    case "payment_received":
      return {
        subject: `Pagamento ricevuto per la richiesta ${e.receiptCode}`,
        body: paragraphs(
          `Abbiamo ricevuto il pagamento per la richiesta di accesso ${code}. La richiesta ` +
            "passa ora all'ufficio, che la esaminerà.",
          STATUS,
        ),
      };
    case "suspended_counterparties":
      return {
        subject: `Richiesta ${e.receiptCode} sospesa per i controinteressati`,
        body: paragraphs(
          `La richiesta di accesso ${code} riguarda anche altre persone (controinteressati), ` +
            "che l'ufficio ha avvisato. Hanno 10 giorni per rispondere: nel frattempo il termine " +
            "per decidere è sospeso.",
          STATUS,
        ),
      };
    case "sent_back_for_completion":
      return {
        subject: `Richiesta ${e.receiptCode} da integrare`,
        body: paragraphs(
          `La richiesta di accesso ${code} è incompleta: l'ufficio ti chiede di integrarla. ` +
            "Il termine di 30 giorni riparte da quando la richiesta è completa.",
          e.note ? `Nota dell'ufficio: ${e.note}` : undefined,
          "Rivolgiti allo sportello con il codice di ricevuta.",
        ),
      };
    case "decision": {
      const outcome = {
        accepted: "è stata **accolta**",
        partially_accepted: "è stata **accolta in parte**",
        deferred: "è stata **differita**",
        refused: "è stata **respinta**",
      }[e.outcome];
      const where = e.place && e.from && e.to
        ? `Puoi consultare i documenti presso ${e.place} dal ${longDate(e.from)} al ` +
          `${longDate(e.to)}.`
        : undefined;
      const until = e.outcome === "deferred" && e.deferredUntil
        ? `L'accesso è rinviato fino al ${longDate(e.deferredUntil)}.`
        : undefined;
      return {
        subject: `Decisione sulla richiesta ${e.receiptCode}`,
        body: paragraphs(
          `La tua richiesta di accesso ${code} ${outcome}.`,
          where,
          until,
          "La motivazione completa è sulla pagina di stato della richiesta.",
        ),
      };
    }
    case "grant_expiring":
      return {
        subject: `Accesso ai documenti in scadenza (${e.receiptCode})`,
        body: paragraphs(
          `L'accesso online ai documenti della richiesta ${code} scade il ` +
            `${longDate(e.expiresOn)}. Dopo quella data i documenti non saranno più scaricabili.`,
        ),
        dueDate: endOfDayRome(e.expiresOn),
      };
    case "booking_confirmed":
      return {
        subject: `Prenotazione confermata (${e.receiptCode})`,
        body: paragraphs(
          `La tua prenotazione per «${e.service}» è confermata: ${dateTime(e.at)}, presso ` +
            `${e.place}. Codice di prenotazione: ${code}.`,
          "Per annullarla o spostarla usa il codice di prenotazione e il codice fiscale.",
        ),
      };
    case "booking_reminder":
      return {
        subject: `Promemoria: appuntamento di domani (${e.receiptCode})`,
        body: paragraphs(
          `Ti ricordiamo l'appuntamento per «${e.service}»: ${dateTime(e.at)}, presso ` +
            `${e.place}. Codice di prenotazione: ${code}.`,
          "Se non puoi venire, annulla la prenotazione con il codice: il posto andrà ad altri.",
        ),
      };
    case "booking_rescheduled":
      return {
        subject: `Prenotazione spostata (${e.receiptCode})`,
        body: paragraphs(
          `La tua prenotazione ${e.previousCode} per «${e.service}» è stata spostata: ` +
            `${dateTime(e.at)}, presso ${e.place}. Il nuovo codice di prenotazione è ${code}.`,
          "Per annullarla o spostarla ancora usa il nuovo codice e il codice fiscale.",
        ),
      };
    case "booking_cancelled":
      return {
        subject: `Prenotazione annullata (${e.receiptCode})`,
        body: paragraphs(
          `La tua prenotazione ${code} per «${e.service}» del ${dateTime(e.at)}, presso ` +
            `${e.place}, è stata annullata.`,
          "Se ti serve ancora un appuntamento, prenotane uno nuovo.",
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
