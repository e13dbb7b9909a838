/** Identifier queries: every spelling of DOMAIN.md §3 finds the record by exact lookup. */
import assert from "node:assert/strict";
import { addDoc } from "../search/record_index.ts";
import { act, createSearchWorld, dossier } from "./_search_world.ts";

const RECORDS = [
  dossier({
    id: "pe-ce-1987-452",
    type: "CE",
    number: "452",
    year: 1987,
    protocolNumber: "1234",
    protocolDate: "1987-05-12",
    aliases: [{ index: "schedario-B", key: "C.E. 452/87" }, {
      index: "schedario-C",
      key: "B-17/3",
    }],
    subject: "AMPLIAMENTO FABBRICATO",
    cadastral: [{ register: "NCEU", sheet: "12", parcel: "345", sub: "6" }],
  }),
  dossier({ id: "pe-ce-1987-452bis", type: "CE", number: "452/bis", year: 1987 }),
  dossier({
    id: "pe-ce-1987-1235",
    type: "CE",
    number: "1235",
    year: 1987,
    protocolNumber: "1235",
    protocolDate: "1987-05-13",
  }),
  dossier({ id: "pe-pdc-1998-12", series: "PDC", type: "PDC", number: "12", year: 1998 }),
  dossier({ id: "pe-le-1965-88", series: "LE", type: "LE", number: "88", year: 1965 }),
  dossier({
    id: "pe-land",
    number: "7",
    year: 1990,
    cadastral: [{ register: "NCT", sheet: "3", parcel: "345/2" }],
  }),
  act({
    id: "dcc-2019-34",
    kind: "delibera_consiglio",
    number: "34",
    year: 2019,
    subject: "Variante",
  }),
  act({ id: "dgc-2019-34", kind: "delibera_giunta", number: "34", year: 2019, subject: "Altro" }),
  act({ id: "det-2020-123", kind: "determina", number: "123", year: 2020, date: "2020-02-01" }),
];

Deno.test("a protocol number and year is found in every spelling people type", async () => {
  await using world = await createSearchWorld(RECORDS);
  for (
    const q of [
      "1234/1987",
      "1234/87",
      "1234-87",
      "prot. 1234 del 1987",
      "PG 1987/1234",
      "1987/001234",
    ]
  ) {
    const res = await world.search(q);
    assert.deepEqual(res.hits.map((h) => h.id), ["pe-ce-1987-452"], q);
    assert.equal(res.hits[0]?.matchedBy, "identifier", q);
  }
  assert.match(
    (await world.search("prot. 1234 del 1987")).interpretation ?? "",
    /Protocollo 1234 del 1987/,
  );
});

Deno.test("numbers are never fuzzy: 1234 does not find 1235", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("1235/1987"), ["pe-ce-1987-1235"]);
  assert.deepEqual(await world.ids("1234/1988"), []);
  assert.deepEqual(await world.ids("123/1987"), []);
});

Deno.test("type, number and year find the dossier (PDC 12/1998, C.E. 452/87, lic. 88/65)", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("PDC 12/1998"), ["pe-pdc-1998-12"]);
  assert.deepEqual(await world.ids("P.d.C. 12/98"), ["pe-pdc-1998-12"]);
  assert.deepEqual(await world.ids("C.E. 452/87"), ["pe-ce-1987-452"]);
  assert.deepEqual(await world.ids("conc. 452/1987"), ["pe-ce-1987-452"]);
  assert.deepEqual(await world.ids("lic. 88/65"), ["pe-le-1965-88"]);
  assert.deepEqual(await world.ids("L.E. 88/1965"), ["pe-le-1965-88"]);
});

Deno.test("452/bis is a different dossier from 452, and leading zeros are ignored", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("CE 452 bis/1987"), ["pe-ce-1987-452bis"]);
  assert.deepEqual(await world.ids("CE 0452/1987"), ["pe-ce-1987-452"]);
});

Deno.test("a legacy card key finds its dossier, parsed and raw", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("CE 452/87"), ["pe-ce-1987-452"]);
  assert.deepEqual(await world.ids("B-17/3"), ["pe-ce-1987-452"]);
  assert.deepEqual(await world.ids("b 17 3"), ["pe-ce-1987-452"]);
});

Deno.test("act kind, number and year find the act (DCC 34/2019, delibera consiglio n. 34 del 2019, det. 123/2020)", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("DCC 34/2019"), ["dcc-2019-34"]);
  assert.deepEqual(await world.ids("delibera consiglio n. 34 del 2019"), ["dcc-2019-34"]);
  assert.deepEqual(await world.ids("delibera di giunta 34/2019"), ["dgc-2019-34"]);
  assert.deepEqual(await world.ids("det. 123/2020"), ["det-2020-123"]);
  const both = await world.ids("34/2019");
  assert.deepEqual(both.sort(), ["dcc-2019-34", "dgc-2019-34"]);
});

Deno.test("a cadastral reference is found with or without sub, in every spelling", async () => {
  await using world = await createSearchWorld(RECORDS);
  for (
    const q of [
      "fg 12 part 345 sub 6",
      "fg. 12 mapp. 345",
      "F.12 P.345 S.6",
      "foglio 12 particella 345",
    ]
  ) {
    assert.deepEqual(await world.ids(q), ["pe-ce-1987-452"], q);
  }
  assert.deepEqual(await world.ids("fg 12 part 345 sub 7"), []);
  assert.deepEqual(await world.ids("fg 3 mapp 345/2"), ["pe-land"]);
});

Deno.test("identifier queries answer before the full index is built", async () => {
  await using world = await createSearchWorld(RECORDS, { build: false });
  assert.equal(world.index.state().ready, false);
  assert.deepEqual(await world.ids("1234/87"), ["pe-ce-1987-452"]);
  assert.deepEqual(await world.ids("DCC 34/2019"), ["dcc-2019-34"]);
});

Deno.test("an identifier found at boot is returned even when the index grows to hold it", async () => {
  await using world = await createSearchWorld(RECORDS, { build: false });
  // Fill the columns to their first capacity, so adding the found record must grow them.
  while (world.index.table.size < world.index.table.kind.length) {
    addDoc(world.index, dossier({ id: `filler-${world.index.table.size}`, year: 1950 }));
  }
  assert.deepEqual(await world.ids("PDC 12/1998"), ["pe-pdc-1998-12"]);
});

Deno.test("a hit carries the title, protocol and cadastral references to show", async () => {
  await using world = await createSearchWorld(RECORDS);
  const [hit] = (await world.search("prot. 1234 del 1987")).hits;
  assert.equal(hit?.title, "CE 452/1987");
  assert.equal(hit?.protocol, "1234 del 1987-05-12");
  assert.deepEqual(hit?.cadastral, ["NCEU Fg. 12 Part. 345 Sub. 6"]);
  assert.equal(hit?.subject, "AMPLIAMENTO FABBRICATO");
  assert.equal(hit?.status, "issued");
  const [dcc] = (await world.search("DCC 34/2019")).hits;
  assert.equal(dcc?.title, "Delibera di Consiglio n. 34/2019");
  assert.equal(dcc?.date, "2019-07-22");
});
