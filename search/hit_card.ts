/**
 * What a result card shows of a record, projected once for an audience and then reused by
 * every query that lists the record: the public projection and redaction cost more per hit
 * than ranking did, and a kiosk shows the same popular records over and over.
 */
import { isPublicRecord, publicSubject } from "../domain/public_record.ts";
import { foldText } from "../domain/identifier_keys.ts";
import type { HitRow } from "./search_rows.ts";
import type { Audience, PublicHit } from "./types.ts";

/** A result card without the parts that depend on the query. */
export interface HitCard {
  hit: Omit<PublicHit, "highlights" | "matchedBy">;
  /**
   * The distinct words of the shown subject and addresses as written, one per line, and the
   * same lines folded. Two strings, not an object and two strings per word: the index keeps
   * 20,000 cards, and at 1M new cards come and go under load; their words as objects were
   * most of a card's bytes, promoted to V8's old space and collected there.
   */
  words: string;
  folded: string;
}

function cadastralLabel(c: { register: string; sheet: string; parcel: string; sub?: string }) {
  return `${c.register} Fg. ${c.sheet} Part. ${c.parcel}${c.sub ? ` Sub. ${c.sub}` : ""}`;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

function wordsOf(text: string): Pick<HitCard, "words" | "folded"> {
  const words = [...new Set(text.match(WORD) ?? [])].join("\n");
  // Folding is per character (lower case, accents, apostrophes) and keeps the line breaks:
  // each folded line is its word folded alone.
  return { words, folded: foldText(words) };
}

/**
 * The card of `view` for `audience`; undefined when that audience may not see the record.
 * A card shows only fields publicView keeps as they are (numbers, addresses, cadastral
 * references, an act's subject), plus the subject, which the public gets as publicView
 * gives it: the same two rules on the few fields a card reads, not the whole projection.
 */
export function hitCard(
  view: HitRow,
  audience: Audience,
  actKindTitles: ReadonlyMap<string, string>,
): HitCard | undefined {
  const isPublic = audience === "public";
  if (isPublic && !isPublicRecord(view)) return undefined;
  if (view.record === "act") {
    return {
      hit: {
        kind: "act",
        id: view.id,
        title: `${actKindTitles.get(view.kind) ?? view.kind} n. ${view.number}/${view.year}`,
        subject: view.subject,
        year: view.year,
        addresses: [],
        cadastral: [],
        actKind: view.kind,
        ...(view.office !== undefined ? { office: view.office } : {}),
        date: view.date,
      },
      ...wordsOf(view.subject),
    };
  }
  const subject = (isPublic ? publicSubject(view) : view.subject) ?? "";
  const addressText = view.addresses.map((a) => `${a.street} ${a.civic ?? ""} ${a.locality ?? ""}`)
    .join(" ");
  return {
    hit: {
      kind: "dossier",
      id: view.id,
      title: `${view.type} ${view.number}/${view.year}`,
      subject,
      year: view.year,
      type: view.type,
      status: view.status,
      series: view.series,
      ...(view.protocolNumber !== undefined
        ? {
          protocol: view.protocolDate
            ? `${view.protocolNumber} del ${view.protocolDate}`
            : view.protocolNumber,
        }
        : {}),
      addresses: view.addresses.map((a) => ({
        street: a.street,
        ...(a.civic !== undefined ? { civic: a.civic } : {}),
        ...(a.locality !== undefined ? { locality: a.locality } : {}),
        ...(a.historic ? { historic: true } : {}),
      })),
      cadastral: view.cadastral.map(cadastralLabel),
    },
    ...wordsOf(`${subject} ${addressText}`),
  };
}

/**
 * The card as one query's hit: its words that the query matched (same fold, same stem or a
 * matched variant) become the highlights.
 */
export function cardHit(
  card: HitCard,
  matchedBy: PublicHit["matchedBy"],
  matched: { words: Set<string>; stems: Set<string> },
  stemOf: (word: string) => string,
): PublicHit {
  const highlights: string[] = [];
  if (matched.words.size > 0 && card.words !== "") {
    const raw = card.words.split("\n"), folded = card.folded.split("\n");
    for (let i = 0; i < raw.length; i++) {
      const word = folded[i] ?? "";
      if (matched.words.has(word) || matched.stems.has(stemOf(word))) highlights.push(raw[i] ?? "");
    }
  }
  return { ...card.hit, highlights, matchedBy };
}
