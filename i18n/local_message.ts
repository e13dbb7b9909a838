/**
 * Messages that travel as Italian strings through code that only knows strings (zod issues,
 * `{ ok: false, message }` results, per-field error maps) and are shown in the request's
 * language at the end. `localMessage(t => …)` returns the Italian text and remembers which
 * catalogue entry made it; `translate(message, t)` finds that entry again. The table only
 * grows with distinct texts made from code-side parameters (labels, limits, a length or a
 * position below a field's maximum): never pass text a user typed as a parameter.
 */
import { it, type Messages } from "./it.ts";

/** A message picked from a catalogue, so it renders in the request's language. */
export type LocalText = (t: Messages) => string;

// Italian text → the catalogue entry that produced it. A lookup table filled as schemas and
// messages are made, bounded by the distinct texts the code can produce (see above).
const MADE = new Map<string, LocalText>();

/** The Italian text of `text`, remembered so it can be shown in another language later. */
export function localMessage(text: LocalText): string {
  const italian = text(it);
  MADE.set(italian, text);
  return italian;
}

/** `message` in catalogue `t`'s language when it was made by `localMessage`, else as it is. */
export function translate(message: string, t: Messages): string {
  return MADE.get(message)?.(t) ?? message;
}

/** Every message of a per-field map in catalogue `t`'s language. */
export function translateAll(
  messages: Readonly<Record<string, string>>,
  t: Messages,
): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).map(([k, m]) => [k, translate(m, t)]));
}
