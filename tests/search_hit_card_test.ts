import assert from "node:assert/strict";
import { foldText } from "../domain/identifier_keys.ts";
import { cardHit, hitCard } from "../search/hit_card.ts";
import type { HitDossierRow } from "../search/search_rows.ts";

function row(subject: string, street: string): HitDossierRow {
  return {
    record: "dossier",
    id: "pe-1",
    series: "STORICO",
    type: "CE",
    number: "1",
    year: 1987,
    subject,
    subjectPublic: subject,
    addresses: [{ street, civic: "3", locality: "Città Alta" }],
    people: [],
    status: "issued",
    restricted: false,
    cadastral: [],
  };
}

Deno.test("a card's folded words are each of its words folded alone, accents and Greek too", () => {
  const texts: [string, string][] = [
    ["Ampliamento dell'edificio ÀÈÌ perché così", "Via Sant’Antonio"],
    ["ΟΔΟΣ Σοφίας ΣΑΣ Σ", "Piazza Ünïcödé"],
    ["", "Corso d’Italia"],
    ["İstanbul straße ﬁne", "Vicolo Ǆ"],
  ];
  for (const [subject, street] of texts) {
    const card = hitCard(row(subject, street), "clerk", new Map());
    assert.ok(card);
    const words = card.words.split("\n");
    assert.deepEqual(card.folded.split("\n"), words.map(foldText), subject);
    assert.equal(new Set(words).size, words.length, "each word once");
  }
});

Deno.test("the query's words and stems light up as written on the card", () => {
  const card = hitCard(
    row("Costruzione di un'autorimessa e ampliamenti", "Via Roma"),
    "clerk",
    new Map(),
  );
  assert.ok(card);
  const hit = cardHit(
    card,
    "text",
    { words: new Set(["autorimessa", "roma"]), stems: new Set(["ampliament"]) },
    (w) => w.startsWith("ampliament") ? "ampliament" : w,
  );
  assert.deepEqual(hit.highlights, ["ampliamenti", "Roma"]);
});
