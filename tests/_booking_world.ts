/** A branch's booking setup for tests: 2 counters, 1 online seat, Tuesday and Wednesday mornings. */
import { addBookingService, saveBookingRule, setBookingHours } from "../db/booking_config.ts";
import type { Db } from "../db/client.ts";

/** Seeds branch `code`'s setup; returns the id of its 30-minute consultation service. */
export async function seedBookingSetup(
  db: Db,
  now: Date,
  options: { code?: string; capacity?: number; onlineShare?: number; releaseHours?: number } = {},
): Promise<string> {
  const code = options.code ?? "K2";
  await saveBookingRule(db, code, {
    name: "Sede centrale",
    place: "Municipio, piano terra",
    capacity: options.capacity ?? 2,
    onlineShare: options.onlineShare ?? 1,
    releaseHours: options.releaseHours ?? 24,
  }, now);
  const serviceId = await addBookingService(db, code, {
    name: "Consultazione pratica edilizia",
    slotMinutes: 30,
  }, now);
  await setBookingHours(db, code, 2, [{ opens: "09:00", closes: "12:00" }], now);
  await setBookingHours(db, code, 3, [{ opens: "09:00", closes: "12:00" }], now);
  return serviceId;
}
