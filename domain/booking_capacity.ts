/**
 * The split rule (docs/BOOKING.md): every instant of a branch's day has `capacity` seats
 * (counters open). `onlineShare` of them are the archive's, the rest the branch's; each side
 * books only from its own share, so the two can never sum past capacity, with or without a
 * network between them. Once the archive has released a time (stopped booking online before
 * `releasedUntil`, and said so through the feed), the branch may also take the online seats
 * left free there: every online booking that could take them is already known to it.
 */

/** Which share a booking is taken from. */
export type BookingSide = "branch" | "archive";

/** The admin's rule for one branch. */
export interface SplitRule {
  capacity: number;
  onlineShare: number;
  releaseHours: number;
}

/** A booking as capacity sees it: its interval and whose share it took. */
export interface Occupancy {
  startsAt: string;
  endsAt: string;
  side: BookingSide;
}

/** What a side knows when it books. */
export interface CapacityView {
  rule: SplitRule;
  /** Live bookings of the branch this side knows (cancelled ones left out). */
  booked: Occupancy[];
  /** The archive's release horizon as this side knows it (ISO), or undefined for none. */
  releasedUntil: string | undefined;
}

const ms = (iso: string) => Date.parse(iso);

function overlapping(list: Occupancy[], at: number): Occupancy[] {
  return list.filter((b) => ms(b.startsAt) <= at && at < ms(b.endsAt));
}

/** Seats of `side` at instant `at`: its share, plus for the branch the released online seats. */
export function seatsAt(side: BookingSide, at: number, view: CapacityView): number {
  const { capacity, onlineShare } = view.rule;
  const online = Math.min(onlineShare, capacity);
  if (side === "archive") {
    // The archive never books a time it has released.
    if (view.releasedUntil !== undefined && at < ms(view.releasedUntil)) return 0;
    return online;
  }
  if (view.releasedUntil !== undefined && at < ms(view.releasedUntil)) {
    const onlineTaken = overlapping(view.booked, at).filter((b) => b.side === "archive").length;
    return capacity - Math.min(onlineTaken, capacity);
  }
  return capacity - online;
}

/**
 * Seats `side` can still give for the interval: the least, over the interval, of its seats
 * minus its own bookings. Checked at the interval's start and at every booking start inside
 * it, where the count of overlapping bookings can rise.
 */
export function freeSeats(
  side: BookingSide,
  slot: { startsAt: string; endsAt: string },
  view: CapacityView,
): number {
  const start = ms(slot.startsAt);
  const end = ms(slot.endsAt);
  const points = new Set([start]);
  for (const b of view.booked) {
    const s = ms(b.startsAt);
    if (s > start && s < end) points.add(s);
  }
  if (view.releasedUntil !== undefined) {
    const r = ms(view.releasedUntil);
    if (r > start && r < end) points.add(r);
  }
  let free = Number.POSITIVE_INFINITY;
  for (const at of points) {
    const mine = overlapping(view.booked, at).filter((b) => b.side === side).length;
    free = Math.min(free, seatsAt(side, at, view) - mine);
  }
  return Math.max(0, free === Number.POSITIVE_INFINITY ? 0 : free);
}

const QUARTER_HOUR = 15 * 60_000;

/**
 * The archive's release horizon at `now`: now + H hours, down to the quarter hour (so a pull
 * every few minutes does not write a new one each time), never moving back.
 */
export function releaseHorizon(now: Date, rule: SplitRule, previous: string | undefined): string {
  const raw = now.getTime() + rule.releaseHours * 3_600_000;
  const next = new Date(Math.floor(raw / QUARTER_HOUR) * QUARTER_HOUR).toISOString();
  return previous !== undefined && previous > next ? previous : next;
}
