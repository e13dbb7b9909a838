/**
 * The split rule under many random days: each side books from what it knows (the branch
 * offline for long stretches, learning online bookings and the release horizon only at a
 * sync), slots of different lengths overlap, online bookings are cancelled; at no instant
 * do live bookings pass the counters open, and each side stays within its share.
 */
import assert from "node:assert/strict";
import { type CapacityView, freeSeats, type Occupancy } from "../domain/booking_capacity.ts";

/** A small deterministic generator (mulberry32), so a failure can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = Date.parse("2025-03-04T08:00:00.000Z");
const MIN = 60_000;

interface Live extends Occupancy {
  seq: number;
  cancelled: boolean;
  cancelledSeq: number;
}

function simulate(seed: number) {
  const rnd = random(seed);
  const capacity = 1 + Math.floor(rnd() * 4);
  const onlineShare = Math.floor(rnd() * (capacity + 1));
  const rule = { capacity, onlineShare, releaseHours: 0 };
  const all: Live[] = [];
  let seq = 0;
  let archiveReleased: number | undefined;
  // What the branch learnt at its last sync.
  let branchKnowsSeq = 0;
  let branchReleased: number | undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  const pickSlot = () => {
    const minutes = [15, 30, 45][Math.floor(rnd() * 3)] ?? 30;
    const start = DAY + Math.floor(rnd() * (240 / 15)) * 15 * MIN;
    return { startsAt: iso(start), endsAt: iso(start + minutes * MIN) };
  };
  for (let step = 0; step < 300; step++) {
    const r = rnd();
    if (r < 0.35) {
      const slot = pickSlot();
      const view: CapacityView = {
        rule,
        booked: all.filter((b) => !b.cancelled),
        releasedUntil: archiveReleased === undefined ? undefined : iso(archiveReleased),
      };
      if (freeSeats("archive", slot, view) > 0) {
        all.push({ ...slot, side: "archive", seq: ++seq, cancelled: false, cancelledSeq: 0 });
      }
    } else if (r < 0.7) {
      const slot = pickSlot();
      // The branch sees its own bookings and the online ones it was sent, cancelled or not
      // (a cancellation it has not heard of still counts as taken).
      const view: CapacityView = {
        rule,
        booked: all.filter((b) =>
          b.side === "branch"
            ? !b.cancelled
            : b.seq <= branchKnowsSeq && !(b.cancelled && b.cancelledSeq <= branchKnowsSeq)
        ),
        releasedUntil: branchReleased === undefined ? undefined : iso(branchReleased),
      };
      if (freeSeats("branch", slot, view) > 0) {
        all.push({ ...slot, side: "branch", seq: ++seq, cancelled: false, cancelledSeq: 0 });
      }
    } else if (r < 0.8) {
      const online = all.filter((b) => b.side === "archive" && !b.cancelled);
      const victim = online[Math.floor(rnd() * online.length)];
      if (victim) {
        victim.cancelled = true;
        victim.cancelledSeq = ++seq;
      }
    } else if (r < 0.85) {
      // The archive's horizon moves on a quarter of an hour, after every booking made so far.
      archiveReleased = (archiveReleased ?? DAY - 15 * MIN) + 15 * MIN;
      seq++;
    } else {
      branchKnowsSeq = seq;
      branchReleased = archiveReleased;
    }
  }
  return { rule, live: all.filter((b) => !b.cancelled) };
}

Deno.test("across 200 random days, no instant has more live bookings than counters open", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const { rule, live } = simulate(seed);
    for (let t = DAY; t < DAY + 300 * MIN; t += 5 * MIN) {
      const covering = live.filter((b) => Date.parse(b.startsAt) <= t && t < Date.parse(b.endsAt));
      const online = covering.filter((b) => b.side === "archive").length;
      assert.ok(
        covering.length <= rule.capacity,
        `seed ${seed}: ${covering.length} bookings at ${
          new Date(t).toISOString()
        }, ${rule.capacity} counters`,
      );
      assert.ok(online <= rule.onlineShare, `seed ${seed}: ${online} online over the share`);
    }
  }
});

Deno.test("the branch gets the online seats only where the archive released them", () => {
  const rule = { capacity: 3, onlineShare: 2, releaseHours: 24 };
  const slot = { startsAt: "2025-03-04T08:00:00.000Z", endsAt: "2025-03-04T08:30:00.000Z" };
  const online: Occupancy = { ...slot, side: "archive" };
  assert.equal(freeSeats("branch", slot, { rule, booked: [], releasedUntil: undefined }), 1);
  assert.equal(freeSeats("archive", slot, { rule, booked: [online], releasedUntil: undefined }), 1);
  const released = { rule, booked: [online], releasedUntil: "2025-03-04T09:00:00.000Z" };
  assert.equal(freeSeats("branch", slot, released), 2);
  assert.equal(freeSeats("archive", slot, released), 0);
  // A slot running past the horizon: the part after it still keeps the online seats.
  const long = { startsAt: "2025-03-04T08:30:00.000Z", endsAt: "2025-03-04T09:30:00.000Z" };
  assert.equal(freeSeats("branch", long, released), 1);
});
