/** Word queries: Italian folding, stemming, stopwords, one typo, highlights, ranking. */
import assert from "node:assert/strict";
import { upsertRecords } from "../db/records.ts";
import { withinOneEdit } from "../search/italian_text.ts";
import { applyRecordChanges } from "../search/record_index.ts";
import { Vocabulary } from "../search/vocabulary.ts";
import { act, createSearchWorld, dossier, SEARCH_NOW } from "./_search_world.ts";

const RECORDS = [
  dossier({ id: "garage", number: "1", year: 1985, subject: "COSTRUZIONE AUTORIMESSA INTERRATA" }),
  dossier({
    id: "pergola",
    number: "2",
    year: 1990,
    subject: "Realizzazione di un pergolato in legno",
  }),
  dossier({ id: "annunzio", number: "3", year: 1995, subject: "Restauro villa D'Annunzio" }),
  dossier({ id: "niccolo", number: "4", year: 1999, subject: "Cappella di San Niccolò" }),
  dossier({
    id: "perche",
    number: "5",
    year: 2001,
    subject: "CAMBIO DESTINAZIONE D'USO E' AMMESSO",
  }),
  dossier({ id: "old-garage", number: "6", year: 1970, subject: "autorimessa privata" }),
  dossier({ id: "roof", number: "7", year: 2010, subject: "Rifacimento copertura fabbricato" }),
  dossier({
    id: "on-street",
    number: "8",
    year: 1960,
    subject: "Sopraelevazione",
    addresses: [{ street: "Via Copertura", civic: "1" }],
  }),
  act({ id: "dcc-1", subject: "Approvazione variante al regolamento edilizio" }),
];

Deno.test("a plural finds the singular through the Italian stem (autorimesse → autorimessa)", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("autorimesse "), ["garage", "old-garage"]);
});

Deno.test("one typo is forgiven in words of 5+ letters, the first letter included", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("pergolatto "), ["pergola"]);
  assert.deepEqual(await world.ids("bergolato "), ["pergola"]);
  assert.deepEqual(await world.ids("autorimesa "), ["garage", "old-garage"]);
  assert.deepEqual(await world.ids("restaura villa "), ["annunzio"]);
  // Words under 5 letters get no typo: "vila" is not "villa".
  assert.deepEqual(await world.ids("vila "), []);
});

Deno.test("stopwords do not narrow the search", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("realizzazione di un pergolato in legno "), ["pergola"]);
  assert.deepEqual(await world.ids("costruzione della autorimessa "), ["garage"]);
});

Deno.test("case, accents and apostrophes are folded", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("dannunzio "), ["annunzio"]);
  assert.deepEqual(await world.ids("D'ANNUNZIO "), ["annunzio"]);
  assert.deepEqual(await world.ids("niccolo "), ["niccolo"]);
  assert.deepEqual(await world.ids("Niccolò "), ["niccolo"]);
  assert.deepEqual(await world.ids("destinazione è ammesso "), ["perche"]);
});

Deno.test("the last word matches as a prefix while typing", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("pergol"), ["pergola"]);
  assert.deepEqual(await world.ids("costruzione autor"), ["garage"]);
  // A trailing 1–2 letter fragment is ignored while other words exist.
  assert.deepEqual(await world.ids("costruzione a"), ["garage"]);
});

Deno.test("every word must match and acts are searched too", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("autorimessa privata "), ["old-garage"]);
  const res = await world.search("regolamento edilizio ");
  assert.deepEqual(res.hits.map((h) => [h.kind, h.id]), [["act", "dcc-1"]]);
  assert.equal(res.hits[0]?.title, "Delibera di Consiglio n. 1/2019");
});

Deno.test("highlights name the matched words as written in the subject", async () => {
  await using world = await createSearchWorld(RECORDS);
  const res = await world.search("autorimesse ");
  const garage = res.hits.find((h) => h.id === "garage");
  assert.deepEqual(garage?.highlights, ["AUTORIMESSA"]);
  assert.equal(garage?.matchedBy, "text");
});

Deno.test("a street match ranks before a subject that merely mentions the word", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("copertura "), ["on-street", "roof"]);
});

const TYPOS = [
  dossier({ id: "ampl", number: "11", year: 2003, subject: "Ampliamento fabbricato rurale" }),
  dossier({ id: "ferrari", number: "12", year: 2004, subject: "Officina Ferrari" }),
  dossier({ id: "casa", number: "13", year: 2005, subject: "Casa colonica" }),
];

Deno.test("two letters swapped by mistake still find the word (ampliamneto → ampliamento)", async () => {
  await using world = await createSearchWorld(TYPOS);
  assert.deepEqual(await world.ids("ampliamneto "), ["ampl"]);
  assert.deepEqual(await world.ids("fabbricato rurlae "), ["ampl"]);
});

Deno.test("a typo in the first letter still finds the word: replaced, dropped or swapped", async () => {
  await using world = await createSearchWorld(TYPOS);
  assert.deepEqual(await world.ids("berrari "), ["ferrari"]);
  assert.deepEqual(await world.ids("errari "), ["ferrari"]);
  assert.deepEqual(await world.ids("efrrari "), ["ferrari"]);
});

Deno.test("a word of 4 letters gets no typo forgiveness (cosa is not casa)", async () => {
  await using world = await createSearchWorld(TYPOS);
  assert.deepEqual(await world.ids("casa "), ["casa"]);
  assert.deepEqual(await world.ids("cosa "), []);
  assert.deepEqual(await world.ids("acsa "), []);
});

Deno.test("a word being typed matches as a prefix from the first three letters", async () => {
  await using world = await createSearchWorld(TYPOS);
  assert.deepEqual(await world.ids("amp"), ["ampl"]);
  assert.deepEqual(await world.ids("officina fer"), ["ferrari"]);
  // Two letters are too few.
  assert.deepEqual(await world.ids("am"), []);
});

Deno.test("a word indexed after the build is found by prefix and by typo at once", async () => {
  await using world = await createSearchWorld(TYPOS);
  assert.deepEqual(await world.ids("sopral"), []);
  const late = dossier({ id: "late", number: "14", year: 2006, subject: "Sopraluogo" });
  await world.db.transaction((tx) => upsertRecords(tx, [late], SEARCH_NOW));
  await applyRecordChanges(world.db, world.index, [{ kind: "dossier", id: "late" }]);
  assert.deepEqual(await world.ids("sopral"), ["late"]);
  assert.deepEqual(await world.ids("sorpaluogo "), ["late"]);
});

Deno.test("a large vocabulary finds one-edit typos by lookup, as a scan of it would", () => {
  const vocabulary = new Vocabulary();
  const letters = "abcdefghilmnoprstuvz";
  const words = Array.from({ length: 3_000 }, (_, i) => {
    let w = "";
    for (let k = i + 7; w.length < 7 + (i % 4); k = Math.floor(k * 7 / 3) + i) w += letters[k % 20];
    return w;
  });
  for (const w of [...new Set(words), "ferrari", "ampliamento", "pratica7"]) vocabulary.note(w);
  assert.ok(vocabulary.nearby("errari").includes("ferrari"));
  assert.ok(vocabulary.nearby("efrrari").includes("ferrari"));
  assert.ok(vocabulary.nearby("ampliamneto").includes("ampliamento"));
  assert.deepEqual(vocabulary.nearby("pratica8"), []);
  for (const w of words.slice(0, 50)) {
    const typo = w.slice(0, 3) + w.slice(4);
    const want = [...new Set(words)].filter((x) => x !== typo && withinOneEdit(typo, x)).sort();
    assert.deepEqual(vocabulary.nearby(typo).sort(), want);
  }
  assert.deepEqual(vocabulary.withPrefix("ampl"), ["ampliamento"]);
});

const STREET_GUESSES = [
  dossier({
    id: "on-pino",
    number: "21",
    year: 2020,
    subject: "Recinzione",
    addresses: [{ street: "Località Il Pino", civic: "3" }],
  }),
  dossier({ id: "piano-terra", number: "22", year: 1990, subject: "Ampliamento piano terra" }),
  dossier({
    id: "on-pertini",
    number: "23",
    year: 2020,
    subject: "Recinzione",
    addresses: [{ street: "Via Sandro Pertini", civic: "3" }],
  }),
  dossier({ id: "pertinenza", number: "24", year: 1990, subject: "Pertinenza agricola" }),
];

Deno.test("a street matched by one typo ranks after the exact word in a subject (piano is not Pino)", async () => {
  await using world = await createSearchWorld(STREET_GUESSES);
  assert.deepEqual(await world.ids("piano "), ["piano-terra", "on-pino"]);
  assert.deepEqual(await world.ids("piano"), ["piano-terra", "on-pino"]);
  // With no subject to match, the typo still finds the street.
  assert.deepEqual(await world.ids("loc. il pinno"), ["on-pino"]);
  assert.deepEqual(await world.ids("pertinni "), ["on-pertini"]);
});

Deno.test("a street matched by a prefix while typing ranks after the subjects that match", async () => {
  await using world = await createSearchWorld(STREET_GUESSES);
  assert.deepEqual(await world.ids("perti"), ["pertinenza", "on-pertini"]);
  assert.deepEqual(await world.ids("per"), ["pertinenza", "on-pertini"]);
  // The whole street name is an exact street match: it ranks first.
  assert.deepEqual(await world.ids("pertini "), ["on-pertini"]);
  const res = await world.search("perti");
  assert.deepEqual(res.hits.map((h) => h.matchedBy), ["text", "address"]);
});

Deno.test("an act is found by a word of its published text, not only its subject", async () => {
  const records = [
    act({
      id: "dcc-2",
      subject: "Approvazione del bilancio",
      text: "IL CONSIGLIO COMUNALE ... omissis ... DELIBERA la realizzazione del parcheggio",
    }),
    act({
      id: "dcc-3",
      subject: "Nomina commissione",
      text: "omissis ... parcheggio riservato",
      restricted: true,
    }),
  ];
  await using world = await createSearchWorld(records);
  assert.deepEqual(await world.ids("parcheggio"), ["dcc-2"], "restricted acts stay hidden");
  assert.deepEqual(await world.ids("realizzazione parcheggi"), ["dcc-2"]);
  // Built incrementally (an import or a sync into a running kiosk) it is found the same way.
  await upsertRecords(
    world.db,
    [act({ id: "dgc-9", subject: "Varie", text: "Rotatoria" })],
    SEARCH_NOW,
  );
  await applyRecordChanges(world.db, world.index, [{ kind: "act", id: "dgc-9" }]);
  assert.deepEqual(await world.ids("rotatoria"), ["dgc-9"]);
});
