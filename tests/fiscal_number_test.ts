/** The codice fiscale read from a broker's `fiscal_number` claim (SPID and CIE: `TINIT-…`). */
import assert from "node:assert/strict";
import { taxCodeFromFiscalNumber } from "../domain/fiscal_number.ts";

Deno.test("a TINIT- claim gives the codice fiscale without the prefix, normalised", () => {
  assert.deepEqual(taxCodeFromFiscalNumber("TINIT-RSSMRA85T10A562S"), {
    ok: true,
    taxCode: "RSSMRA85T10A562S",
  });
  assert.deepEqual(taxCodeFromFiscalNumber(" tinit-rssmra85t10a56nh "), {
    ok: true,
    taxCode: "RSSMRA85T10A56NH",
  });
  assert.deepEqual(taxCodeFromFiscalNumber("MLLSNT82P65Z404U"), {
    ok: true,
    taxCode: "MLLSNT82P65Z404U",
  });
});

Deno.test("a claim that fails the codice fiscale rules, or is missing, is refused in Italian without the code", () => {
  for (
    const bad of [
      "TINIT-RSSMRA85T10A562A",
      "TINIT-RSSMRA85T10A56",
      "TINIT-",
      "TIN-RSSMRA85T10A562S",
    ]
  ) {
    const r = taxCodeFromFiscalNumber(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) {
      assert.match(r.message, /non supera il controllo del codice fiscale/);
      assert.ok(!r.message.includes("RSSMRA"));
    }
  }
  for (const missing of [undefined, null, 42, ""]) {
    const r = taxCodeFromFiscalNumber(missing);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /non ha comunicato il tuo codice fiscale/);
  }
});
