import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { act, dossier, person } from "./fixtures.ts";

// Everything personal the fixtures put on a dossier: none may reach a public page or API.
const PERSONAL = [
  /Bianchi/i,
  /Giulia/i,
  /BNCGLI50C54H501K/i,
  /giulia\.bianchi@example\.it/i,
  /Conti/i,
  /CNTPLA48L02F205W/i,
  /studio\.conti/i,
  /Edil Arno/i,
  /F-1987-031/,
  /Deposito 2/,
  /01587900505/,
];

function main() {
  return dossier({
    id: "pe-ce-1987-452",
    number: "452",
    protocolNumber: "8713",
    subject: "AMPLIAMENTO FABBRICATO PER CONTO DI BIANCHI GIULIA",
    aliases: [{ index: "schedario-B", key: "C.E. 452/87" }],
    addresses: [
      { street: "Via Vittorio Veneto", civic: "14/A", locality: "Case Nuove" },
      { street: "Via del Molino", civic: "6", historic: true },
    ],
    cadastral: [{ register: "NCEU", sheet: "12", parcel: "345", sub: "6" }],
    people: [
      person(),
      person({
        role: "progettista",
        surname: "Conti",
        name: "Paolo",
        taxCode: "CNTPLA48L02F205W",
        email: "studio.conti@example.it",
      }),
      { role: "impresa", company: "Edil Arno s.n.c.", taxCode: "01587900505" },
    ],
  });
}

Deno.test("a dossier page shows public fields, roles without names, and links to its variants", async () => {
  await using world = await createTestWorld({
    records: [
      main(),
      dossier({
        id: "pe-var-1988-3",
        type: "VAR",
        number: "3",
        year: 1988,
        parentId: "pe-ce-1987-452",
      }),
      dossier({
        id: "pe-var-1989-9",
        type: "VAR",
        number: "9",
        year: 1989,
        parentId: "pe-ce-1987-452",
        restricted: true,
      }),
    ],
  });
  const served = await world.serve();
  const res = await fetch(`${served.url}/pratiche/pe-ce-1987-452`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const html = await res.text();
  assert.match(html, /Pratica CE 452\/1987/);
  assert.match(html, /Concessione edilizia/);
  assert.match(html, /8713 del 12\/05\/1987/);
  assert.match(html, /Via Vittorio Veneto 14\/A, Case Nuove/);
  assert.match(html, /Via del Molino 6 \(denominazione storica\)/);
  assert.match(html, /foglio 12, particella 345, subalterno 6/);
  assert.match(html, /Richiedente, Progettista, Impresa — nominativi riservati/);
  assert.match(html, /schedario-B: C\.E\. 452\/87/);
  assert.match(html, /Tavola 1, 3 pagine/);
  assert.match(html, /href="\/pratiche\/pe-var-1988-3"/);
  assert.doesNotMatch(html, /pe-var-1989-9/, "a restricted variant is not linked");
  assert.match(html, /href="\/richieste\/nuova\?record=dossier:pe-ce-1987-452"/);
  for (const p of PERSONAL) assert.doesNotMatch(html, p);

  const child = await (await fetch(`${served.url}/pratiche/pe-var-1988-3`)).text();
  assert.match(child, /Pratica principale: <a href="\/pratiche\/pe-ce-1987-452">CE 452\/1987<\/a>/);
});

Deno.test("an act page shows the published act and its attachments", async () => {
  await using world = await createTestWorld({
    records: [act({ id: "dcc-2019-34", number: "34" })],
  });
  const res = await world.app.request("/atti/dcc-2019-34");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const html = await res.text();
  assert.match(html, /Delibera di Consiglio n\. 34\/2019/);
  assert.match(html, /dal 26\/07\/2019 al 10\/08\/2019/);
  assert.match(html, /Allegato A, 18 pagine — pubblico/);
});

Deno.test("unknown, malformed and restricted ids get the same 404 in every form", async () => {
  await using world = await createTestWorld({
    records: [
      dossier({ id: "pe-abusi-1", type: "ABUSI", restricted: true }),
      act({ id: "atto-riservato", restricted: true }),
    ],
  });
  const bodies = new Set<string>();
  for (
    const url of [
      "/pratiche/pe-abusi-1",
      "/pratiche/nessuna",
      `/pratiche/${"x".repeat(300)}`,
      "/pratiche/%3Cscript%3E",
      "/atti/atto-riservato",
      "/atti/nessuno",
    ]
  ) {
    const res = await world.app.request(url);
    assert.equal(res.status, 404, url);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const html = await res.text();
    assert.match(html, /non esiste o non è consultabile/);
    assert.doesNotMatch(html, /<script>/);
    bodies.add(html);
  }
  assert.equal(bodies.size, 1, "a restricted record looks exactly like a missing one");

  const hx = await world.app.request("/pratiche/pe-abusi-1", { headers: { "HX-Request": "true" } });
  assert.equal(hx.status, 404);
  assert.equal(hx.headers.get("HX-Retarget"), "#messages");
});

Deno.test("the records API gives public fields only, by id and optional kind", async () => {
  await using world = await createTestWorld({
    records: [main(), act({ id: "dcc-2019-34" }), dossier({ id: "pe-abusi-1", restricted: true })],
  });
  const served = await world.serve();
  const res = await fetch(`${served.url}/api/records/pe-ce-1987-452`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const text = await res.text();
  for (const p of PERSONAL) assert.doesNotMatch(text, p);
  const body = JSON.parse(text);
  assert.equal(body.record, "dossier");
  assert.equal(body.id, "pe-ce-1987-452");
  assert.deepEqual(body.roles, ["richiedente", "progettista", "impresa"]);
  assert.equal(body.people, undefined);
  assert.equal(body.location, undefined);
  assert.match(body.subject, /\*\*\*/);

  const actRes = await fetch(`${served.url}/api/records/dcc-2019-34?kind=act`);
  assert.equal(actRes.status, 200);
  assert.equal((await actRes.json()).record, "act");

  for (
    const url of [
      "/api/records/pe-abusi-1",
      "/api/records/nessuno",
      "/api/records/dcc-2019-34?kind=dossier",
    ]
  ) {
    const missing = await fetch(`${served.url}${url}`);
    assert.equal(missing.status, 404, url);
    assert.match(missing.headers.get("content-type") ?? "", /^application\/json/);
    assert.match((await missing.json()).error.message, /non esiste/);
  }
  const bad = await fetch(`${served.url}/api/records/dcc-2019-34?kind=persona`);
  assert.equal(bad.status, 400);
  assert.deepEqual((await bad.json()).error.field, "kind");
});

Deno.test("the search API answers total, hits, facets, page and per_page without personal data", async () => {
  await using world = await createTestWorld({ records: [main(), dossier(), act()] });
  const served = await world.serve();
  const res = await fetch(`${served.url}/api/search?q=ampliamento&per_page=1`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const text = await res.text();
  for (const p of PERSONAL) assert.doesNotMatch(text, p);
  const body = JSON.parse(text);
  assert.equal(body.total, 2);
  assert.equal(body.page, 1);
  assert.equal(body.per_page, 1);
  assert.equal(body.hits.length, 1);
  assert.equal(body.hits[0].kind, "dossier");
  assert.equal(typeof body.hits[0].id, "string");
  assert.ok(Array.isArray(body.facets.type));
  assert.ok(
    body.facets.kind.some((f: { value: string; count: number }) =>
      f.value === "dossier" && f.count === 2
    ),
  );
});
