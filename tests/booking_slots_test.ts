import assert from "node:assert/strict";
import { daySlots, localTime, zonedInstant } from "../domain/booking_slots.ts";
import { DEFAULT_HOLIDAYS } from "../domain/access_deadline.ts";
import { bookingIcs, escapeIcsText, foldLine } from "../domain/ics.ts";

const HOURS = [
  { weekday: 1, opens: "09:00", closes: "12:30" },
  { weekday: 1, opens: "15:00", closes: "16:00" },
  { weekday: 4, opens: "09:00", closes: "10:00" },
];

const times = (date: string, minutes = 30, holidays = DEFAULT_HOLIDAYS, closures: string[] = []) =>
  daySlots(date, minutes, HOURS, holidays, closures).map((s) => localTime(s.startsAt));

Deno.test("a Monday's slots follow both opening intervals and never run past closing", () => {
  assert.deepEqual(times("2025-03-03"), [
    "09:00",
    "09:30",
    "10:00",
    "10:30",
    "11:00",
    "11:30",
    "12:00",
    "15:00",
    "15:30",
  ]);
  // 45-minute slots: 12:00 would end at 12:45, past the 12:30 closing.
  assert.deepEqual(times("2025-03-03", 45), ["09:00", "09:45", "10:30", "11:15", "15:00"]);
  // Tuesday has no hours.
  assert.deepEqual(times("2025-03-04"), []);
});

Deno.test("hours are Rome wall-clock time in winter and summer alike", () => {
  assert.equal(zonedInstant("2025-03-03", 9 * 60).toISOString(), "2025-03-03T08:00:00.000Z");
  assert.equal(zonedInstant("2025-07-07", 9 * 60).toISOString(), "2025-07-07T07:00:00.000Z");
  // The Monday after the clocks moved forward (30 March 2025).
  assert.equal(times("2025-03-31")[0], "09:00");
});

Deno.test("no slots on national holidays, Easter Monday, the patron's day or a closure", () => {
  // 2 June 2025 (Festa della Repubblica) and Easter Monday 21 April 2025 are Mondays.
  assert.deepEqual(times("2025-06-02"), []);
  assert.deepEqual(times("2025-04-21"), []);
  // 24 June 2025 is a Tuesday: a Thursday patron's day instead, 26 June.
  assert.equal(times("2025-06-26").length, 2);
  assert.deepEqual(times("2025-06-26", 30, { ...DEFAULT_HOLIDAYS, patron: "06-26" }), []);
  assert.deepEqual(times("2025-03-10", 30, DEFAULT_HOLIDAYS, ["2025-03-10"]), []);
  assert.equal(times("2025-03-10").length, 9);
});

Deno.test("the .ics file is RFC 5545: CRLF lines, escaped text, UTC times, folded long lines", () => {
  const ics = bookingIcs({
    uid: "b1@faldone",
    startsAt: "2025-03-04T08:00:00.000Z",
    endsAt: "2025-03-04T08:30:00.000Z",
    stamp: new Date("2025-03-03T09:00:00.000Z"),
    summary: "Consultazione pratica edilizia, codice K2AB-CD7E; sportello 1",
    location: "Municipio, piano terra",
    description: "Porta un documento d'identità.\nCodice: K2AB-CD7E. ".repeat(4),
  });
  assert.ok(ics.endsWith("\r\n"));
  assert.doesNotMatch(ics.replace(/\r\n/g, ""), /[\r\n]/);
  const lines = ics.split("\r\n").slice(0, -1);
  for (const line of lines) assert.ok(new TextEncoder().encode(line).length <= 75, line);
  const unfolded = ics.replace(/\r\n /g, "");
  assert.match(unfolded, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:/);
  assert.match(unfolded, /\r\nDTSTART:20250304T080000Z\r\n/);
  assert.match(unfolded, /\r\nDTEND:20250304T083000Z\r\n/);
  assert.match(unfolded, /\r\nDTSTAMP:20250303T090000Z\r\n/);
  assert.match(
    unfolded,
    /SUMMARY:Consultazione pratica edilizia\\, codice K2AB-CD7E\\; sportello 1/,
  );
  assert.match(unfolded, /identità\.\\nCodice/);
  assert.match(unfolded, /END:VEVENT\r\nEND:VCALENDAR\r\n$/);
  assert.equal(escapeIcsText("a\\b"), "a\\\\b");
  // Folding never splits a multi-byte character.
  const folded = foldLine("DESCRIPTION:" + "à".repeat(80));
  assert.equal(folded.replace(/\r\n /g, ""), "DESCRIPTION:" + "à".repeat(80));
  for (const l of folded.split("\r\n")) assert.ok(new TextEncoder().encode(l).length <= 75);
});
