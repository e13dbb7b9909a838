/**
 * The point where something else (the notices to citizens) learns that a booking was
 * confirmed, cancelled or rescheduled. The routes call the sink given in AppDeps after the
 * change is committed; nothing here sends anything.
 */
import type { Booking } from "./bookings.ts";

/** What happened to a booking. */
export type BookingEvent =
  | { kind: "confirmed"; booking: Booking }
  | { kind: "cancelled"; booking: Booking }
  | { kind: "rescheduled"; booking: Booking; previous: Booking };

/** Receives booking events; a failure there never undoes the booking. */
export type BookingEventSink = (event: BookingEvent) => void | Promise<void>;

/** Hands the event to the sink, if any; its errors are logged, not thrown. */
export async function emitBookingEvent(
  sink: BookingEventSink | undefined,
  event: BookingEvent,
): Promise<void> {
  if (!sink) return;
  try {
    await sink(event);
  } catch (err) {
    console.error("booking event sink failed", err);
  }
}
