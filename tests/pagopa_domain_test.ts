import assert from "node:assert/strict";
import {
  buildIuv,
  checkDigits,
  formatEuro,
  formatNoticeNumber,
  isValidNoticeNumber,
  iuvBaseFor,
  noticeNumberOf,
  noticePurpose,
  parseEuro,
  qrPayload,
} from "../domain/pagopa_notice.ts";
import { computeFee, type FeeRule } from "../domain/fees.ts";

Deno.test("check digits match the published notice examples", () => {
  assert.equal(checkDigits("01", "0000000000001"), "44");
  assert.equal(noticeNumberOf(buildIuv("01", "0000000000001")), "301000000000000144");
  assert.equal(checkDigits("47", "2025000000123"), "89");
  assert.equal(noticeNumberOf(buildIuv("47", "2025000000123")), "347202500000012389");
  assert.ok(isValidNoticeNumber("301000000000000144"));
  assert.ok(isValidNoticeNumber("347202500000012389"));
});

Deno.test("a mistyped digit or a retired aux digit makes a notice number invalid", () => {
  assert.equal(isValidNoticeNumber("301000000000000145"), false);
  assert.equal(isValidNoticeNumber("347202500000021389"), false);
  assert.equal(isValidNoticeNumber("001000000000000144"), false);
  assert.equal(isValidNoticeNumber("30100000000000014"), false);
});

Deno.test("check digits are zero-padded to two digits", () => {
  // Search a base whose remainder is below 10 and check the padding on it.
  let found = false;
  for (let n = 1; n < 200 && !found; n++) {
    const base = iuvBaseFor(2025, n);
    const digits = checkDigits("01", base);
    assert.equal(digits.length, 2);
    if (digits.startsWith("0")) found = true;
  }
  assert.ok(found);
});

Deno.test("IUV bases are year plus a nine-digit number, distinct for distinct numbers", () => {
  assert.equal(iuvBaseFor(2025, 123), "2025000000123");
  const seen = new Set<string>();
  for (let n = 1; n <= 2000; n++) seen.add(buildIuv("47", iuvBaseFor(2025, n)));
  assert.equal(seen.size, 2000);
  assert.throws(() => iuvBaseFor(2025, 0));
  assert.throws(() => iuvBaseFor(2025, 1_000_000_000));
});

Deno.test("the notice number prints in groups of four and the QR follows the standard", () => {
  assert.equal(formatNoticeNumber("301000000000000144"), "3010 0000 0000 0001 44");
  assert.equal(
    qrPayload("347202500000012389", "01234567890", 10250),
    "PAGOPA|002|347202500000012389|01234567890|10250",
  );
  assert.throws(() => qrPayload("347202500000012388", "01234567890", 10250));
  assert.throws(() => qrPayload("347202500000012389", "0123456789", 10250));
});

Deno.test("amounts are written and read in Italian format", () => {
  assert.equal(formatEuro(102099), "1.020,99");
  assert.equal(formatEuro(5), "0,05");
  assert.equal(formatEuro(3000), "30,00");
  assert.equal(formatEuro(123456789), "1.234.567,89");
  assert.equal(parseEuro("1.020,99"), 102099);
  assert.equal(parseEuro("12,5"), 1250);
  assert.equal(parseEuro("30"), 3000);
  assert.equal(parseEuro("0.10"), 10);
  assert.equal(parseEuro("€ 16,00"), 1600);
  assert.equal(parseEuro("dodici"), undefined);
  assert.equal(parseEuro("12,345"), undefined);
});

Deno.test("the purpose stays within 90 characters", () => {
  assert.ok(noticePurpose("K2AB-CD3E").length <= 90);
  assert.match(noticePurpose("K2AB-CD3E"), /^Diritti per accesso agli atti, richiesta K2AB-CD3E$/);
});

const rule = (
  item: FeeRule["item"],
  amountCents: number,
  yearFrom: number | null = null,
  yearTo: number | null = null,
): FeeRule => ({ id: `${item}-${yearFrom}-${yearTo}`, item, amountCents, yearFrom, yearTo });

// As towns publish them: search by the dossier's age, viewing flat, copies per page.
const TABLE: FeeRule[] = [
  rule("research", 10000, null, 1989),
  rule("research", 5000, 1990, 2013),
  rule("research", 3000, 2014, null),
  rule("viewing", 1000),
  rule("copy_page", 10),
  rule("certified_stamp", 1600),
  rule("urgent", 2500),
];

Deno.test("the research fee follows the dossier's age band", () => {
  const q = computeFee(TABLE, [], {
    regime: "documentale",
    mode: "view",
    urgent: false,
    described: false,
    records: [
      { kind: "dossier", year: 1987, pages: 3 },
      { kind: "dossier", year: 1995, pages: 1 },
      { kind: "dossier", year: 2020, pages: 1 },
    ],
  });
  const research = q.lines.filter((l) => l.item === "research").map((l) => l.unitCents);
  assert.deepEqual(research.sort((a, b) => a - b), [3000, 5000, 10000]);
  assert.equal(q.lines.find((l) => l.item === "viewing")?.quantity, 3);
  // No copy asked: no copy line.
  assert.equal(q.lines.some((l) => l.item === "copy_page"), false);
  assert.equal(q.totalCents, 18000 + 3000);
  assert.equal(q.dueCents, 21000);
});

Deno.test("copies are charged per page, certified ones with a stamp, urgency once", () => {
  const q = computeFee(TABLE, [], {
    regime: "documentale",
    mode: "certified_copy",
    urgent: true,
    described: false,
    records: [{ kind: "dossier", year: 2020, pages: 12 }],
  });
  assert.deepEqual(
    q.lines.map((l) => [l.item, l.quantity, l.totalCents]),
    [["research", 1, 3000], ["viewing", 1, 1000], ["copy_page", 12, 120], [
      "certified_stamp",
      1,
      1600,
    ], ["urgent", 1, 2500]],
  );
  assert.equal(q.dueCents, 3000 + 1000 + 120 + 1600 + 2500);
});

Deno.test("civico generalizzato pays reproduction only, civico semplice nothing", () => {
  const input = {
    mode: "copy" as const,
    urgent: true,
    described: false,
    records: [{ kind: "dossier" as const, year: 1980, pages: 5 }],
  };
  const gen = computeFee(TABLE, [], { ...input, regime: "civico_generalizzato" });
  assert.deepEqual(gen.lines.map((l) => l.item), ["copy_page"]);
  assert.equal(gen.dueCents, 50);
  const simple = computeFee(TABLE, [], { ...input, regime: "civico_semplice" });
  assert.equal(simple.dueCents, 0);
  assert.deepEqual(simple.lines, []);
});

Deno.test("an exemption keeps the bill visible but nothing is due", () => {
  const exemptions = [{ id: "giud", reason: "Richiesta dell'autorità giudiziaria" }];
  const q = computeFee(TABLE, exemptions, {
    regime: "documentale",
    mode: "view",
    urgent: false,
    described: false,
    records: [{ kind: "dossier", year: 1970, pages: 0 }],
    exemptionId: "giud",
  });
  assert.equal(q.totalCents, 11000);
  assert.equal(q.dueCents, 0);
  assert.equal(q.exemption?.reason, "Richiesta dell'autorità giudiziaria");
  // An unknown exemption id exempts nothing.
  const unknown = computeFee(TABLE, exemptions, {
    regime: "documentale",
    mode: "view",
    urgent: false,
    described: false,
    records: [{ kind: "dossier", year: 1970, pages: 0 }],
    exemptionId: "altro",
  });
  assert.equal(unknown.dueCents, 11000);
});

Deno.test("documents described in words pay the band-less rule; an empty table costs nothing", () => {
  const q = computeFee([rule("research", 4000), rule("research", 9000, null, 1989)], [], {
    regime: "documentale",
    mode: "view",
    urgent: false,
    described: true,
    records: [],
  });
  assert.equal(q.dueCents, 4000);
  const none = computeFee([], [], {
    regime: "documentale",
    mode: "certified_copy",
    urgent: true,
    described: true,
    records: [{ kind: "dossier", year: 1990, pages: 40 }],
  });
  assert.equal(none.dueCents, 0);
});
