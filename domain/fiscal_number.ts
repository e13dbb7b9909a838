/**
 * The codice fiscale of a citizen signed in through an identity broker: SPID and CIE send it
 * in the `fiscal_number` claim as `TINIT-<code>` (the eIDAS form: natural-person identifier
 * of Italy). It is checked with the same rules as a typed code before anything trusts it.
 */
import { validateTaxCode } from "./codice_fiscale.ts";

/** The code read from the claim, or why it cannot be used (an Italian message, no code in it). */
export type FiscalNumberResult =
  | { ok: true; taxCode: string }
  | { ok: false; message: string };

const TINIT = /^TINIT-/i;

/** Reads and checks a `fiscal_number` claim. */
export function taxCodeFromFiscalNumber(claim: unknown): FiscalNumberResult {
  if (typeof claim !== "string" || claim.trim() === "") {
    return {
      ok: false,
      message: "Il gestore dell'identità non ha comunicato il tuo codice fiscale: " +
        "l'area personale non può riconoscerti. Rivolgiti allo sportello del Comune.",
    };
  }
  const checked = validateTaxCode(claim.trim().replace(TINIT, ""));
  if (!checked.ok) {
    return {
      ok: false,
      message: "Il codice fiscale comunicato dal gestore dell'identità non supera il " +
        "controllo del codice fiscale: l'accesso online non è possibile. Rivolgiti allo " +
        "sportello del Comune o al tuo gestore dell'identità (SPID o CIE).",
    };
  }
  return { ok: true, taxCode: checked.normalized };
}
