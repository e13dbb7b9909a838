/** Small formatting helpers shared by the record screens. */
import type { CadastralRef } from "../domain/records.ts";

/** `2019-07-22` → `22/07/2019`; anything else is shown as written. */
export function formatDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** `NCEU foglio 12 particella 345 sub 6` (with the section when the comune has them). */
export function cadastralLine(c: CadastralRef): string {
  const register = c.register === "NCEU" ? "Catasto fabbricati (NCEU)" : "Catasto terreni (NCT)";
  return [
    register,
    c.section ? `sezione ${c.section}` : "",
    `foglio ${c.sheet}`,
    `particella ${c.parcel}`,
    c.sub ? `subalterno ${c.sub}` : "",
  ].filter(Boolean).join(", ");
}

/** `richiedente` → `Richiedente`. */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
