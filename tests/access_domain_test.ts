import assert from "node:assert/strict";
import {
  completionNoticeBy,
  computeDueDate,
  DEFAULT_DEADLINE_SETTINGS,
  DEFAULT_HOLIDAYS,
  easterSunday,
  isNonWorkingDay,
  localDate,
} from "../domain/access_deadline.ts";
import {
  checkCharacter,
  newReceiptCode,
  parseReceiptCode,
  RECEIPT_ALPHABET,
} from "../domain/receipt_code.ts";
import { canMove, isOverdue } from "../domain/access_states.ts";
import { hashPassword, verifyPassword } from "../domain/passwords.ts";

const S = DEFAULT_DEADLINE_SETTINGS;

Deno.test("a request filed 31 Jan 2025 is due 3 Mar 2025: 2 Mar is a Sunday", () => {
  assert.equal(
    computeDueDate({ regime: "documentale", clockStartOn: "2025-01-31" }, S),
    "2025-03-03",
  );
});

Deno.test("filed 3 Mar 2025, parties notified 10 Mar, no objection: due 12 Apr", () => {
  const facts = {
    regime: "civico_generalizzato" as const,
    clockStartOn: "2025-03-03",
    counterpartiesNotifiedOn: "2025-03-10",
  };
  assert.equal(computeDueDate(facts, S), "2025-04-12");
  // An objection on 14 Mar ends the pause after 4 days.
  assert.equal(
    computeDueDate({ ...facts, counterpartiesResolvedOn: "2025-03-14" }, S),
    "2025-04-07",
  );
});

Deno.test("documentale suspension follows its setting; civico always pauses", () => {
  const facts = { clockStartOn: "2025-03-03", counterpartiesNotifiedOn: "2025-03-10" };
  const off = { ...S, documentaleSuspension: false };
  assert.equal(computeDueDate({ ...facts, regime: "documentale" }, S), "2025-04-12");
  assert.equal(computeDueDate({ ...facts, regime: "documentale" }, off), "2025-04-02");
  assert.equal(computeDueDate({ ...facts, regime: "civico_generalizzato" }, off), "2025-04-12");
});

Deno.test("days are added, never months: month ends and leap years", () => {
  const due = (start: string) => computeDueDate({ regime: "documentale", clockStartOn: start }, S);
  assert.equal(due("2024-01-30"), "2024-02-29"); // leap year, a Thursday
  assert.equal(due("2023-01-30"), "2023-03-01");
  assert.equal(due("2025-01-30"), "2025-03-01"); // a Saturday: only Sundays and holidays move
  assert.equal(due("2025-12-01"), "2025-12-31");
});

Deno.test("a last day on a holiday moves to the next working day, Easter Monday included", () => {
  assert.equal(easterSunday(2025), "2025-04-20");
  assert.equal(easterSunday(2024), "2024-03-31");
  assert.ok(isNonWorkingDay("2025-04-21", DEFAULT_HOLIDAYS));
  // 22 Mar 2025 + 30 = 21 Apr (Easter Monday) → 22 Apr.
  assert.equal(
    computeDueDate({ regime: "documentale", clockStartOn: "2025-03-22" }, S),
    "2025-04-22",
  );
  // 26 Mar 2025 + 30 = 25 Apr (Liberazione, Friday) → 26 Apr, a Saturday: Saturdays count.
  assert.equal(
    computeDueDate({ regime: "documentale", clockStartOn: "2025-03-26" }, S),
    "2025-04-26",
  );
  // 25 Nov 2025 + 30 = 25 Dec → 26 Dec (Santo Stefano) → 27 Dec.
  assert.equal(
    computeDueDate({ regime: "documentale", clockStartOn: "2025-11-25" }, S),
    "2025-12-27",
  );
  const patron = { ...S, holidays: { ...DEFAULT_HOLIDAYS, patron: "06-24" } };
  // 25 May 2026 + 30 = 24 Jun (San Giovanni) → 25 Jun.
  assert.equal(
    computeDueDate({ regime: "documentale", clockStartOn: "2026-05-25" }, patron),
    "2026-06-25",
  );
});

Deno.test("completion restarts the 30 days from the completion date", () => {
  assert.equal(
    computeDueDate({ regime: "documentale", clockStartOn: "2025-05-05" }, S),
    "2025-06-04",
  );
});

Deno.test("the calendar date of an instant is the Comune's, not UTC's", () => {
  assert.equal(localDate(new Date("2025-01-31T23:30:00Z")), "2025-02-01");
});

Deno.test("past due a running request is overdue, a decided one is not", () => {
  assert.ok(isOverdue("in_review", "2025-03-03", "2025-03-04"));
  assert.ok(!isOverdue("in_review", "2025-03-03", "2025-03-03"));
  assert.ok(!isOverdue("accepted", "2025-03-03", "2025-04-04"));
  assert.ok(canMove("received", "in_review"));
  assert.ok(!canMove("refused", "accepted"));
  assert.ok(canMove("awaiting_counterparties", "withdrawn"));
});

Deno.test("receipt codes carry the branch, a valid check and no ambiguous characters", () => {
  for (let i = 0; i < 200; i++) {
    const code = newReceiptCode("K2");
    assert.match(code, /^K2[2-9A-HJ-NP-Z]{2}-[2-9A-HJ-NP-Z]{4}$/);
    const parsed = parseReceiptCode(code.toLowerCase().replace("-", " "));
    assert.deepEqual(parsed, { ok: true, code });
  }
});

Deno.test("every single mistyped character of a receipt code is caught", () => {
  const code = newReceiptCode("K2", (b) => b.fill(7)).replace("-", "");
  for (let pos = 0; pos < 8; pos++) {
    for (const ch of RECEIPT_ALPHABET) {
      if (ch === code[pos]) continue;
      const typo = code.slice(0, pos) + ch + code.slice(pos + 1);
      const parsed = parseReceiptCode(typo);
      assert.equal(parsed.ok, false, typo);
    }
  }
  assert.equal(checkCharacter(code.slice(0, 7)), code[7]);
  const bad = parseReceiptCode("K2AB-CD0E");
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? "" : bad.message, /posizione 7/);
  const short = parseReceiptCode("K2AB");
  assert.match(short.ok ? "" : short.message, /ne hai scritti 4/);
});

Deno.test("a password verifies against its scrypt hash and a wrong one does not", async () => {
  const params = { N: 1024, r: 8, p: 1 };
  const hash = await hashPassword("correct horse", params);
  assert.match(hash, /^scrypt\$1024\$8\$1\$/);
  assert.ok(await verifyPassword("correct horse", hash));
  assert.ok(!(await verifyPassword("correct hors", hash)));
  assert.notEqual(await hashPassword("correct horse", params), hash, "salted");
  assert.ok(!(await verifyPassword("x", "plain")));
});

Deno.test("an incomplete documentale request is sent back within 10 days; civico has no such step", () => {
  assert.equal(completionNoticeBy("documentale", "2025-03-03", DEFAULT_HOLIDAYS), "2025-03-13");
  // 6 Mar + 10 = Sunday 16 Mar: the last day moves to Monday.
  assert.equal(completionNoticeBy("documentale", "2025-03-06", DEFAULT_HOLIDAYS), "2025-03-17");
  assert.equal(
    completionNoticeBy("civico_generalizzato", "2025-03-03", DEFAULT_HOLIDAYS),
    undefined,
  );
});
