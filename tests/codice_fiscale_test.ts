import assert from "node:assert/strict";
import {
  companyCheckDigit,
  maskTaxCode,
  personCheckChar,
  TAX_CODE_MESSAGES,
  validateTaxCode,
} from "../domain/codice_fiscale.ts";

/** A code from its first 15 characters with the right check character appended. */
function withCheck(first15: string): string {
  return first15 + personCheckChar(first15);
}

Deno.test("the valid codes of the domain reference are accepted as persons", () => {
  for (const code of ["RSSMRA85T10A562S", "MRTMTT91D08F205J", "MLLSNT82P65Z404U"]) {
    assert.deepEqual(validateTaxCode(code), { ok: true, normalized: code, kind: "person" });
  }
});

Deno.test("an omocodic code is accepted with its check over the code as written", () => {
  assert.deepEqual(validateTaxCode("RSSMRA85T10A56NH"), {
    ok: true,
    normalized: "RSSMRA85T10A56NH",
    kind: "person",
  });
  // Fully omocodic: every numeric position replaced.
  const full = withCheck("RSSMRAURTLMALRN");
  assert.equal(validateTaxCode(full).ok, true);
});

Deno.test("spaces and lower case are forgiven and the code is normalized", () => {
  assert.deepEqual(validateTaxCode("  rssmra85 t10a562s "), {
    ok: true,
    normalized: "RSSMRA85T10A562S",
    kind: "person",
  });
});

Deno.test("a wrong check character says the last character does not match", () => {
  assert.deepEqual(validateTaxCode("RSSMRA85T10A562A"), {
    ok: false,
    message: "L'ultimo carattere non corrisponde: controlla di aver scritto bene il codice.",
  });
});

Deno.test("11-digit company codes are checked with the P.IVA algorithm", () => {
  assert.deepEqual(validateTaxCode("12345678903"), {
    ok: true,
    normalized: "12345678903",
    kind: "company",
  });
  assert.deepEqual(validateTaxCode("12345678904"), {
    ok: false,
    message: TAX_CODE_MESSAGES.check,
  });
  assert.equal(companyCheckDigit("0158790050"), "5");
  assert.deepEqual(validateTaxCode("1234567890X"), {
    ok: false,
    message: "Carattere non valido in posizione 11.",
  });
});

Deno.test("women's days 41 to 71 are valid, 72 and 32 to 40 are not", () => {
  assert.equal(validateTaxCode(withCheck("BNCGLI50C41H501")).ok, true);
  assert.equal(validateTaxCode(withCheck("BNCGLI50C71H501")).ok, true);
  for (const day of ["72", "32", "40", "00"]) {
    assert.deepEqual(validateTaxCode(withCheck(`BNCGLI50C${day}H501`)), {
      ok: false,
      message: "Mese o giorno di nascita non validi nel codice fiscale.",
    });
  }
});

Deno.test("29 February is always possible, 30 February and 31 April are not", () => {
  assert.equal(validateTaxCode(withCheck("RSSMRA85B29A562")).ok, true);
  assert.equal(validateTaxCode(withCheck("BNCGLI85B69A562")).ok, true);
  assert.deepEqual(validateTaxCode(withCheck("RSSMRA85B30A562")), {
    ok: false,
    message: TAX_CODE_MESSAGES.date,
  });
  // D = April, 30 days.
  assert.equal(validateTaxCode(withCheck("RSSMRA85D30A562")).ok, true);
  assert.deepEqual(validateTaxCode(withCheck("RSSMRA85D31A562")), {
    ok: false,
    message: TAX_CODE_MESSAGES.date,
  });
  assert.deepEqual(validateTaxCode(withCheck("BNCGLI85D71A562")), {
    ok: false,
    message: TAX_CODE_MESSAGES.date,
  });
});

Deno.test("an omocodic day is decoded before the date is checked", () => {
  // "MV" = 19 → valid; "QV" = 49 → valid woman's day; "NV" = 29 in April: valid.
  assert.equal(validateTaxCode(withCheck("RSSMRA85DMVA562")).ok, true);
  assert.equal(validateTaxCode(withCheck("RSSMRA85DQVA562")).ok, true);
  // "PM" = 31 in April: invalid.
  assert.deepEqual(validateTaxCode(withCheck("RSSMRA85DPMA562")), {
    ok: false,
    message: TAX_CODE_MESSAGES.date,
  });
});

Deno.test("an empty code asks for it", () => {
  assert.deepEqual(validateTaxCode("   "), { ok: false, message: "Inserisci il codice fiscale." });
});

Deno.test("a wrong length says how many characters were typed", () => {
  assert.deepEqual(validateTaxCode("RSSMRA85T10A562"), {
    ok: false,
    message: "Il codice fiscale ha 16 caratteri (11 cifre per ditte ed enti): ne hai scritti 15.",
  });
  assert.deepEqual(validateTaxCode("RSSMRA85T10"), {
    ok: false,
    message: TAX_CODE_MESSAGES.length(11),
  });
  assert.deepEqual(validateTaxCode("123456789012"), {
    ok: false,
    message: TAX_CODE_MESSAGES.length(12),
  });
});

Deno.test("a character in the wrong place is reported by its 1-based position", () => {
  assert.deepEqual(validateTaxCode("R5SMRA85T10A562S"), {
    ok: false,
    message: "Carattere non valido in posizione 2.",
  });
  // Month letter F is not a month.
  assert.deepEqual(validateTaxCode("RSSMRA85F10A562S"), {
    ok: false,
    message: "Carattere non valido in posizione 9.",
  });
  // W is not an omocodia letter.
  assert.deepEqual(validateTaxCode("RSSMRA85T10A5W2S"), {
    ok: false,
    message: "Carattere non valido in posizione 14.",
  });
  assert.deepEqual(validateTaxCode("RSSMRA85T10A562-"), {
    ok: false,
    message: "Carattere non valido in posizione 16.",
  });
});

Deno.test("a confirmed code is masked on screen", () => {
  assert.equal(maskTaxCode("RSSMRA85T10A562S"), "RSS•••••••••562S");
  assert.equal(maskTaxCode("12345678903"), "12••••••903");
});
