/** The privacy rule (DOMAIN.md §2.3): people and restricted records never reach the public. */
import assert from "node:assert/strict";
import { publicView } from "../domain/public_record.ts";
import { createSearchWorld, dossier } from "./_search_world.ts";

const BIANCHI = dossier({
  id: "pe-ce-1987-452",
  number: "452",
  year: 1987,
  subject: "AMPLIAMENTO FABBRICATO DI PROPRIETÀ BIANCHI GIULIA, PROGETTO STUDIO CONTI",
  addresses: [{ street: "Via Roma", civic: "4", locality: "Centro" }],
  people: [
    { role: "richiedente", surname: "Bianchi", name: "Giulia", taxCode: "BNCGLI50C54H501K" },
    {
      role: "progettista",
      surname: "Conti",
      name: "Paolo",
      taxCode: "CNTPLA48L02F205W",
      email: "studio.conti@example.it",
    },
    { role: "impresa", company: "Edil Arno s.n.c.", taxCode: "01587900505" },
  ],
  documents: [
    {
      file: "scans/a.pdf",
      title: "Tavola 1",
      pages: 3,
      bytes: 10,
      sha256: "a".repeat(64),
      public: false,
    },
    {
      file: "scans/b.pdf",
      title: "Relazione",
      pages: 5,
      bytes: 10,
      sha256: "b".repeat(64),
      public: true,
    },
  ],
  location: { box: "F-1987-031", shelf: "B4", room: "Deposito 2" },
});

const ABUSE = dossier({
  id: "pe-abusi",
  type: "ABUSI",
  series: "ABUSI",
  number: "9",
  year: 2001,
  protocolNumber: "777",
  protocolDate: "2001-03-03",
  subject: "Verbale sopralluogo ampliamento abusivo",
  addresses: [{ street: "Via Roma", civic: "4", locality: "Periferia" }],
  restricted: true,
});

Deno.test("a surname, tax code or e-mail of a person on a dossier finds nothing publicly", async () => {
  await using world = await createSearchWorld([BIANCHI, ABUSE]);
  for (
    const q of [
      "Bianchi ",
      "giulia ",
      "BNCGLI50C54H501K",
      "studio.conti@example.it",
      "Paolo ",
      "01587900505",
      "Edil Arno ",
    ]
  ) {
    const res = await world.search(q);
    assert.equal(res.total, 0, q);
    assert.deepEqual(res.hits, [], q);
  }
});

Deno.test("clerk search finds the same people", async () => {
  await using world = await createSearchWorld([BIANCHI, ABUSE]);
  for (
    const q of [
      "Bianchi ",
      "BNCGLI50C54H501K",
      "studio.conti@example.it",
      "Edil Arno ",
      "conti paolo ",
    ]
  ) {
    assert.deepEqual(await world.ids(q, {}, "clerk"), ["pe-ce-1987-452"], q);
  }
});

Deno.test("no public hit field contains a person's data", async () => {
  await using world = await createSearchWorld([BIANCHI, ABUSE]);
  const res = await world.search("ampliamento fabbricato ");
  assert.deepEqual(res.hits.map((h) => h.id), ["pe-ce-1987-452"]);
  const json = JSON.stringify(res).toLowerCase();
  for (
    const secret of [
      "bianchi",
      "giulia",
      "conti",
      "paolo",
      "bncgli",
      "example.it",
      "edil arno",
      "deposito",
    ]
  ) {
    assert.ok(!json.includes(secret), secret);
  }
  assert.match(res.hits[0]?.subject ?? "", /PROPRIETÀ \*\*\* \*\*\*, PROGETTO STUDIO \*\*\*/);
});

Deno.test("a restricted record is absent from public hits, totals and facets but found by clerks", async () => {
  await using world = await createSearchWorld([BIANCHI, ABUSE]);
  const pub = await world.search("via roma 4");
  assert.deepEqual(pub.hits.map((h) => h.id), ["pe-ce-1987-452"]);
  assert.equal(pub.total, 1);
  assert.deepEqual(pub.facets.type.map((f) => f.value), ["CE"]);
  assert.deepEqual(pub.facets.locality.map((f) => f.value), ["Centro"]);
  assert.equal((await world.search("777/2001")).total, 0);
  assert.equal((await world.search("sopralluogo ")).total, 0);
  assert.equal((await world.search("", { type: "ABUSI" })).total, 0);
  const clerk = await world.search("via roma 4", {}, "clerk");
  assert.deepEqual(clerk.hits.map((h) => h.id).sort(), ["pe-abusi", "pe-ce-1987-452"]);
  assert.deepEqual(await world.ids("777/2001", {}, "clerk"), ["pe-abusi"]);
  assert.deepEqual(await world.ids("sopralluogo ", {}, "clerk"), ["pe-abusi"]);
});

Deno.test("publicView redacts the dossier's own people and hides what is clerk-only", () => {
  const view = publicView(BIANCHI);
  assert.ok(view && view.record === "dossier");
  assert.equal(view.subject, "AMPLIAMENTO FABBRICATO DI PROPRIETÀ *** ***, PROGETTO STUDIO ***");
  assert.deepEqual(view.roles, ["richiedente", "progettista", "impresa"]);
  assert.deepEqual(view.documents, [
    { title: "Tavola 1", pages: 3, public: false },
    { title: "Relazione", pages: 5, public: true, file: "scans/b.pdf" },
  ]);
  assert.ok(!("people" in view) && !("location" in view));
  assert.equal(publicView(ABUSE), undefined);
  // subject_public wins over redaction; accents and case do not hide a name.
  const given = publicView({ ...BIANCHI, subjectPublic: "Ampliamento fabbricato" });
  assert.equal(given?.subject, "Ampliamento fabbricato");
  const accents = publicView({
    ...BIANCHI,
    subject: "Casa NICCOLÒ e niccolo, D'ANNUNZIO",
    people: [{ role: "richiedente", surname: "D'Annunzio", name: "Niccolo" }],
  });
  assert.equal(accents?.subject, "Casa *** e ***, ***");
});
