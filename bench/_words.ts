/**
 * The benchmark's own reading of words and addresses, written apart from search/ on purpose:
 * it judges whether a hit is right, so it must not share the code it judges.
 */
import { stemmer } from "@orama/stemmers/italian";
import { stopwords } from "@orama/stopwords/italian";
import { publicView } from "../domain/public_record.ts";
import type { RecordDoc } from "../domain/records.ts";

const STOPWORDS = new Set<string>(stopwords);

/** Lower case, no accents, no apostrophes: "D'USO" → "duso", "Niccolò" → "niccolo". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/['’`´]/g, "");
}

/** The folded words of `text` (letters and digits; apostrophes joined). */
export function wordsOf(text: string): string[] {
  return fold(text).match(/[a-z0-9]+/g) ?? [];
}

/** Whether `word` (folded) is an Italian stopword. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** The Italian stem of a folded word. */
export function stemOf(word: string): string {
  return stemmer(word);
}

/** The text a kiosk user may search in a record: its public subject, or nothing if hidden. */
export function publicSubject(doc: RecordDoc): string | undefined {
  const view = publicView(doc);
  if (!view) return undefined;
  return view.subject ?? "";
}

/** The stems of every word the public may search a record by: its subject (an act's text too). */
export function publicStems(doc: RecordDoc): Set<string> {
  const view = publicView(doc);
  if (!view) return new Set();
  const text = view.record === "act" ? `${view.subject} ${view.text ?? ""}` : view.subject ?? "";
  return new Set(wordsOf(text).map(stemOf));
}

/** Civic number in one form for comparison: "12/A", "12 a", "12a" → "12A". */
export function civicKey(civic: string | undefined): string {
  return (civic ?? "").toUpperCase().replace(/[^0-9A-Z]/g, "");
}

/** Whether an address of `doc` has this street (as stored) and, when given, this civic. */
export function hasAddress(doc: RecordDoc, street: string, civic: string | undefined): boolean {
  if (doc.record !== "dossier") return false;
  return doc.addresses.some((a) =>
    a.street === street && (civic === undefined || civicKey(a.civic) === civicKey(civic))
  );
}
