/** Text with the matched words wrapped in <mark>, escaped by JSX (no raw HTML). */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";

/** Folded for comparison: lower case, no accents, no apostrophes. */
function fold(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/['’`´]/g, "");
}

const WORD = /[\p{L}\p{N}]+/gu;

// A stemmed or typo-tolerant match shares a long prefix with the word shown.
function matches(word: string, terms: string[]): boolean {
  const w = fold(word);
  return terms.some((t) => {
    if (w === t) return true;
    const shorter = Math.min(w.length, t.length);
    if (shorter < 4) return false;
    return w.slice(0, shorter - 1) === t.slice(0, shorter - 1) &&
      Math.abs(w.length - t.length) <= 3;
  });
}

/** Splits `text` into plain and marked pieces for the given matched words. */
export function highlightPieces(text: string, words: string[]): { text: string; mark: boolean }[] {
  const terms = words.map(fold).filter((t) => t.length > 0);
  if (terms.length === 0) return [{ text, mark: false }];
  const pieces: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(WORD)) {
    if (!matches(m[0], terms)) continue;
    if (m.index > at) pieces.push({ text: text.slice(at, m.index), mark: false });
    pieces.push({ text: m[0], mark: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), mark: false });
  return pieces;
}

/** `text` with matched words in <mark>. */
export const Highlighted: FC<{ text: string; words: string[] }> = ({ text, words }) => (
  <>
    {highlightPieces(text, words).map((p, i) =>
      p.mark
        ? (
          <Fragment key={String(i)}>
            <mark>{p.text}</mark>
          </Fragment>
        )
        : p.text
    )}
  </>
);
