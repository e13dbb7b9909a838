/** The states of an access request and the moves between them (DOMAIN §5). */
import { type LocalText, UserFacingError } from "./user_facing_error.ts";

/** Every state a request can be in. */
export const ACCESS_STATES = [
  "awaiting_payment",
  "received",
  "in_review",
  "awaiting_counterparties",
  "awaiting_completion",
  "accepted",
  "partially_accepted",
  "deferred",
  "refused",
  "withdrawn",
] as const;
export type AccessState = typeof ACCESS_STATES[number];

/** Italian labels, as the citizen and the clerk read them. */
export const ACCESS_STATE_LABELS: Record<AccessState, string> = {
  awaiting_payment: "In attesa di pagamento",
  received: "Ricevuta",
  in_review: "In istruttoria",
  awaiting_counterparties: "In attesa dei controinteressati",
  awaiting_completion: "In attesa di integrazione",
  accepted: "Accolta",
  partially_accepted: "Accolta in parte",
  deferred: "Differita",
  refused: "Respinta",
  withdrawn: "Ritirata",
};

const DECISIONS = ["accepted", "partially_accepted", "deferred", "refused"] as const;
/** Decision outcomes. */
export type DecisionOutcome = typeof DECISIONS[number];

const ALLOWED: Record<AccessState, readonly AccessState[]> = {
  // A request that owes a fee reaches the desk's title check only once the archive learns from
  // pagoPA that it was paid (db/payment_notices.ts moves it to `received`, not a desk action):
  // until then the desk can only record a withdrawal.
  awaiting_payment: ["withdrawn"],
  received: ["in_review", "awaiting_completion", "withdrawn"],
  in_review: ["awaiting_counterparties", "awaiting_completion", ...DECISIONS, "withdrawn"],
  awaiting_counterparties: ["in_review", ...DECISIONS, "withdrawn"],
  // Completion restarts the 30 days and puts the request back in review.
  awaiting_completion: ["in_review", "withdrawn"],
  // A deferral ends in a decision once its term has passed.
  deferred: ["accepted", "partially_accepted", "refused", "withdrawn"],
  accepted: [],
  partially_accepted: [],
  refused: [],
  withdrawn: [],
};

/**
 * States in which the legal clock runs (and a request can be overdue). It runs while a fee is
 * unpaid too: DPR 184/2006 counts the 30 days from filing and suspends them for nothing but
 * counter-parties and completion, so the desk sees the days left from the first day.
 */
export const CLOCK_RUNNING: readonly AccessState[] = [
  "awaiting_payment",
  "received",
  "in_review",
  "awaiting_counterparties",
];

/** Narrows a string read from the DB or a form. */
export function isAccessState(value: string): value is AccessState {
  return (ACCESS_STATES as readonly string[]).includes(value);
}

/** Narrows a decision outcome. */
export function isDecisionOutcome(value: string): value is DecisionOutcome {
  return (DECISIONS as readonly string[]).includes(value);
}

/** Whether a request may move from `from` to `to`. */
export function canMove(from: AccessState, to: AccessState): boolean {
  return ALLOWED[from].includes(to);
}

/** The states reachable from `from`. */
export function nextStates(from: AccessState): readonly AccessState[] {
  return ALLOWED[from];
}

/** Overdue: the clock still runs and the due date has passed (the state is not changed). */
export function isOverdue(state: AccessState, dueOn: string, today: string): boolean {
  return CLOCK_RUNNING.includes(state) && today > dueOn;
}

/**
 * A desk action the rules refuse: its message (a catalogue entry, shown in the clerk's
 * language; Italian as `message`) and the form field it concerns.
 */
export class AccessRuleError extends UserFacingError {
  constructor(message: string | LocalText, field?: string) {
    super(message, { status: 422, field });
    this.name = "AccessRuleError";
  }
}
