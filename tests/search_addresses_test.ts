/** Address queries: abbreviations, civics with exponents, historic names, localities. */
import assert from "node:assert/strict";
import { createSearchWorld, dossier } from "./_search_world.ts";

const RECORDS = [
  dossier({
    id: "roma-12",
    number: "1",
    year: 1980,
    addresses: [{ street: "Via Roma", civic: "12" }],
  }),
  dossier({
    id: "roma-12a",
    number: "2",
    year: 1990,
    addresses: [{ street: "Via Roma", civic: "12/A" }],
  }),
  dossier({
    id: "roma-14",
    number: "3",
    year: 2000,
    addresses: [{ street: "Via Roma", civic: "14" }],
  }),
  dossier({
    id: "garibaldi-3a",
    number: "4",
    addresses: [{ street: "Piazza Giuseppe Garibaldi", civic: "3/A" }],
  }),
  dossier({ id: "europa", number: "5", addresses: [{ street: "Viale Europa", civic: "7" }] }),
  dossier({ id: "via-europa", number: "6", addresses: [{ street: "Via Europa", civic: "1" }] }),
  dossier({
    id: "italia-5bis",
    number: "7",
    addresses: [{ street: "Corso Italia", civic: "5 bis" }],
  }),
  dossier({ id: "italia-5", number: "8", addresses: [{ street: "Corso Italia", civic: "5" }] }),
  dossier({
    id: "case-nuove",
    number: "9",
    addresses: [{ street: "Via Vittorio Veneto", civic: "14/A", locality: "Case Nuove" }],
  }),
  dossier({
    id: "matteotti",
    number: "10",
    addresses: [{ street: "Via Giacomo Matteotti", civic: "8" }],
  }),
  dossier({
    id: "settembre",
    number: "11",
    addresses: [{ street: "Via XX Settembre", civic: "2" }],
  }),
  dossier({
    id: "molino",
    number: "12",
    addresses: [
      { street: "Via Dante Alighieri", civic: "6" },
      { street: "Via del Molino", civic: "6", historic: true },
    ],
  }),
  dossier({
    id: "annunzio",
    number: "13",
    addresses: [{ street: "Via Gabriele D'Annunzio", civic: "1" }],
  }),
];

Deno.test("street and civic with an abbreviated generic find the dossier at that civic first", async () => {
  await using world = await createSearchWorld(RECORDS);
  const ids = await world.ids("v. roma 12");
  assert.deepEqual(ids, ["roma-12", "roma-12a"]);
  const res = await world.search("v. roma 12");
  assert.equal(res.hits[0]?.matchedBy, "address");
  assert.deepEqual(await world.ids("via roma 12a"), ["roma-12a"]);
  assert.deepEqual(await world.ids("via roma 12/A"), ["roma-12a"]);
});

Deno.test("a street without civic lists all its dossiers, newest first", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("via roma"), ["roma-14", "roma-12a", "roma-12"]);
});

Deno.test("p.zza, v.le and c.so expand, and viale is not via", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("p.zza garibaldi 3/a"), ["garibaldi-3a"]);
  assert.deepEqual(await world.ids("v.le europa"), ["europa"]);
  assert.deepEqual(await world.ids("c.so italia 5 bis"), ["italia-5bis"]);
  assert.deepEqual(await world.ids("c.so italia 5"), ["italia-5", "italia-5bis"]);
});

Deno.test("a locality is found with loc. and fraz.", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("loc. case nuove"), ["case-nuove"]);
  assert.deepEqual(await world.ids("fraz. case nuove"), ["case-nuove"]);
});

Deno.test("first names and initials may be left out, XX Settembre is 20 Settembre", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("Via Matteotti 8"), ["matteotti"]);
  assert.deepEqual(await world.ids("Via G. Matteotti"), ["matteotti"]);
  assert.deepEqual(await world.ids("via 20 settembre 2"), ["settembre"]);
  assert.deepEqual(await world.ids("via XX settembre"), ["settembre"]);
  assert.deepEqual(await world.ids("via d'annunzio"), ["annunzio"]);
});

Deno.test("the historic street name on the papers finds the dossier too", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("via del molino 6"), ["molino"]);
  assert.deepEqual(await world.ids("via dante alighieri 6"), ["molino"]);
});

Deno.test("any word of a locality finds it: loc. nuove finds Località Case Nuove", async () => {
  await using world = await createSearchWorld([
    ...RECORDS,
    dossier({
      id: "loc-street",
      number: "14",
      year: 2001,
      addresses: [{ street: "Località Case Nuove", civic: "2" }],
    }),
  ]);
  assert.deepEqual(await world.ids("loc. nuove"), ["loc-street", "case-nuove"]);
  assert.deepEqual(await world.ids("loc. case nuove"), ["loc-street", "case-nuove"]);
  assert.deepEqual(await world.ids("loc. case nuove 2"), ["loc-street"]);
  assert.deepEqual(await world.ids("nuove"), ["loc-street", "case-nuove"]);
  assert.deepEqual(await world.ids("Via Giacomo Matteotti"), ["matteotti"]);
  assert.deepEqual(await world.ids("via giacomo"), ["matteotti"]);
});
