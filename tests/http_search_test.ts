import assert from "node:assert/strict";
import { buildRecordIndex } from "../search/record_index.ts";
import { createTestWorld } from "./_world.ts";
import { act, dossier } from "./fixtures.ts";

const HX = { "HX-Request": "true" };

function garage() {
  return dossier({
    id: "pe-pdc-2005-7",
    type: "PDC",
    number: "7",
    year: 2005,
    subject: "COSTRUZIONE AUTORIMESSA INTERRATA",
    addresses: [{ street: "Via Garibaldi", civic: "3/A", locality: "Case Nuove" }],
  });
}

Deno.test("the home page shows one labelled search box that works as a plain form", async () => {
  await using world = await createTestWorld();
  const res = await world.app.request("/");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const html = await res.text();
  assert.match(html, /<form id="search-form" action="\/cerca" method="get" role="search"/);
  assert.match(html, /<label for="q"[^>]*>/);
  assert.match(html, /placeholder="prot\. 1234\/1987, via Roma 12, fg 12 part 345, ampliamento"/);
  assert.match(html, /hx-trigger="input changed delay:250ms from:#q/);
  assert.match(html, /hx-push-url="true"/);
  assert.match(
    html,
    /<meta name="htmx-config" content="[^"]*historyRestoreAsHxRequest&quot;:false/,
  );
});

Deno.test("a search answers a full page, or only the results for htmx, varying on HX-Request", async () => {
  await using world = await createTestWorld({ records: [garage(), dossier()] });
  const full = await world.app.request("/cerca?q=autorimessa");
  assert.equal(full.status, 200);
  assert.match(full.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(full.headers.get("vary") ?? "", /HX-Request/);
  const page = await full.text();
  assert.match(page, /<html lang="it">/);
  assert.match(page, /value="autorimessa"/);
  assert.match(page, /PDC 7\/2005/);

  const partial = await world.app.request(
    "/cerca?q=autorimessa&kind=&decade=&locality=&year_from=&sort=relevance",
    { headers: HX },
  );
  assert.equal(partial.status, 200);
  assert.match(partial.headers.get("content-type") ?? "", /^text\/html/);
  const html = await partial.text();
  assert.doesNotMatch(html, /<html/);
  assert.match(html, /1 risultato/);
  assert.match(html, /href="\/pratiche\/pe-pdc-2005-7\?q=autorimessa"/);
  assert.match(html, /<mark>AUTORIMESSA<\/mark>/);
  assert.match(html, /Via Garibaldi 3\/A, Case Nuove/);
  assert.match(html, /id="messages"[^>]*hx-swap-oob="true"/, "clears an old error");
  assert.equal(partial.headers.get("HX-Push-Url"), "/cerca?q=autorimessa");
  assert.match(html, /id="results-announce"[^>]*role="status"[^>]*hx-swap-oob="true">1 risultato</);
  assert.doesNotMatch(html, /AMPLIAMENTO/);
});

Deno.test("results carry facets with counts that filter as form controls", async () => {
  await using world = await createTestWorld({
    records: [garage(), dossier({ subject: "AUTORIMESSA PERTINENZIALE" }), act()],
  });
  const res = await world.app.request("/cerca?q=autorimessa", { headers: HX });
  const html = await res.text();
  assert.match(html, /2 risultati/);
  assert.match(html, /name="type" value="PDC"/);
  assert.match(html, /PDC — Permesso di costruire <span class="facet-count">\(1\)<\/span>/);
  assert.match(html, /CE — Concessione edilizia <span class="facet-count">\(1\)<\/span>/);

  const filtered = await world.app.request("/cerca?q=autorimessa&type=PDC", { headers: HX });
  const only = await filtered.text();
  assert.match(only, /1 risultato/);
  assert.match(only, /name="type" value="PDC" checked/);
  assert.doesNotMatch(only, /AUTORIMESSA PERTINENZIALE/);
});

Deno.test("an identifier query says how it was read", async () => {
  await using world = await createTestWorld({
    records: [dossier({ number: "452", year: 1987, protocolNumber: "8713" })],
  });
  const html = await (await world.app.request("/cerca?q=CE+452%2F87", { headers: HX })).text();
  assert.match(html, /<p class="interpretation">Cercato come [^<]*452\/1987/);
  assert.match(html, /CE 452\/1987/);
});

Deno.test("no results gives suggestions a person can follow", async () => {
  await using world = await createTestWorld({ records: [dossier()] });
  const res = await world.app.request("/cerca?q=xilofono", { headers: HX });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /Nessun risultato per «xilofono»/);
  assert.match(html, /controlla come hai scritto/);
  assert.match(html, /href="\/cerca\?q=via%20Roma%2012"/);
  // Said once: the heading is the sentence, no "0 risultati" above it.
  assert.doesNotMatch(html, /0 risultati/);
  assert.equal(html.match(/Nessun risultato per «xilofono»/g)?.length, 2, "heading + live region");
  assert.match(
    html,
    /<h2 class="h4" id="results-count" tabindex="-1">Nessun risultato per «xilofono»/,
  );
});

Deno.test("nothing found with a filter offers the same words without the filters", async () => {
  await using world = await createTestWorld({ records: [dossier()] });
  const res = await world.app.request("/cerca?q=xilofono&type=CE&decade=1980", { headers: HX });
  const html = await res.text();
  assert.match(
    html,
    /<a class="btn btn-primary" href="\/cerca\?q=xilofono">Cerca senza filtri<\/a>/,
  );
  assert.match(html, /togli qualche filtro/);
  const bare = await (await world.app.request("/cerca?decade=1990", { headers: HX }))
    .text();
  assert.match(bare, /<h2 class="h4" id="results-count" tabindex="-1">Nessun risultato</);
  assert.match(bare, /href="\/cerca">Cerca senza filtri/);
});

Deno.test("paging links keep the query and filters", async () => {
  const many = Array.from({ length: 25 }, () => dossier({ subject: "RECINZIONE DEL LOTTO" }));
  await using world = await createTestWorld({ records: many });
  const html = await (await world.app.request("/cerca?q=recinzione&type=CE", { headers: HX }))
    .text();
  assert.match(html, /Pagina 1 di 2/);
  assert.match(html, /href="\/cerca\?q=recinzione&amp;type=CE&amp;page=2"/);
  const second = await (await world.app.request("/cerca?q=recinzione&type=CE&page=2")).text();
  assert.match(second, /Pagina 2 di 2/);
  assert.match(second, /<ol class="results list-unstyled" start="21">/);
});

Deno.test("bad search input is a 400 with an Italian message in every form", async () => {
  await using world = await createTestWorld({ records: [dossier()] });
  const cases = [
    ["/cerca?q=casa&type=XYZ", /Tipo di pratica sconosciuto/],
    ["/cerca?q=casa&page=0", /la prima pagina è 1/],
    ["/cerca?q=casa&page=99", /La pagina 99 non esiste/],
    ["/cerca?q=casa&page=abc", /Pagina: scrivere un numero intero/],
    ["/cerca?q=casa&status=boh", /Esito sconosciuto/],
    ["/cerca?q=casa&year_from=87", /anno di 4 cifre/],
    [`/cerca?q=${"a".repeat(201)}`, /Ricerca troppo lunga/],
    ["/cerca?q=casa&sort=caso", /Ordinamento non valido/],
  ] as const;
  for (const [url, message] of cases) {
    const page = await world.app.request(url);
    assert.equal(page.status, 400, url);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const html = await page.text();
    assert.match(html, /<html lang="it">/);
    assert.match(html, message, url);

    const partial = await world.app.request(url, { headers: HX });
    assert.equal(partial.status, 400, url);
    assert.equal(partial.headers.get("HX-Retarget"), "#messages");
    assert.match(await partial.text(), message, url);

    const api = await world.app.request(url.replace("/cerca", "/api/search"));
    assert.equal(api.status, 400, url);
    assert.match(api.headers.get("content-type") ?? "", /^application\/json/);
    const body = await api.json();
    assert.match(body.error.message, message, url);
    assert.equal(typeof body.error.field, "string");
  }
});

Deno.test("a surname, tax code or e-mail of a dossier's people finds nothing publicly", async () => {
  await using world = await createTestWorld({ records: [dossier()] });
  for (const q of ["Bianchi", "BNCGLI50C54H501K", "studio.conti@example.it", "Conti"]) {
    const res = await world.app.request(`/cerca?q=${encodeURIComponent(q)}`, { headers: HX });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Nessun risultato/, q);
    assert.doesNotMatch(html, /pe-test-/, q);
  }
});

Deno.test("while the index is still building, results say they may be incomplete", async () => {
  await using world = await createTestWorld({ records: [dossier()], buildIndex: false });
  const res = await world.app.request("/cerca?q=ampliamento", { headers: HX });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /La ricerca si sta preparando/);
  await buildRecordIndex(world.db, world.index);
  const ready = await (await world.app.request("/cerca?q=ampliamento", { headers: HX })).text();
  assert.doesNotMatch(ready, /La ricerca si sta preparando/);
  assert.match(ready, /1 risultato/);
});

Deno.test("an act in the results shows its date the Italian way and why it was found", async () => {
  await using world = await createTestWorld({
    records: [act({ id: "dcc-2019-34", subject: "Approvazione regolamento autorimesse" })],
  });
  const html = await (await world.app.request("/cerca?q=regolamento", { headers: HX })).text();
  assert.match(html, /<span class="data">22\/07\/2019<\/span>/);
  assert.match(html, /Trovato per parole dell&#39;oggetto/);
  assert.match(html, /href="\/atti\/dcc-2019-34\?q=regolamento"/);
});

Deno.test("facets list every dossier type but only the twelve largest localities", async () => {
  const types = [
    "LE",
    "CE",
    "AUT",
    "PDC",
    "DIA",
    "SCIA",
    "CILA",
    "CILAS",
    "COND",
    "SAN",
    "AGI",
    "SCA",
    "PAES",
    "SISM",
  ];
  const records = types.map((type, i) =>
    dossier({
      type,
      subject: "RECINZIONE",
      addresses: [{ street: "Via Roma", civic: String(i + 1), locality: `Frazione ${i + 1}` }],
    })
  );
  await using world = await createTestWorld({ records });
  const html = await (await world.app.request("/cerca?q=recinzione", { headers: HX })).text();
  assert.equal([...html.matchAll(/name="type" value=/g)].length, types.length);
  assert.equal([...html.matchAll(/name="locality" value="Frazione/g)].length, 12);
  const picked = await (await world.app.request("/cerca?q=recinzione&locality=Frazione+14", {
    headers: HX,
  })).text();
  assert.match(picked, /name="locality" value="Frazione 14" checked/);
});

Deno.test("the search API says in Server-Timing where a search's time went, and nothing of the query", async () => {
  await using world = await createTestWorld({ records: [garage(), dossier()] });
  const steps = async (url: string) => {
    const res = await world.app.request(url);
    assert.equal(res.status, 200);
    const header = res.headers.get("server-timing") ?? "";
    assert.doesNotMatch(header, /autorimessa/i, "the query stays out of the header");
    return header.split(", ").map((step) => step.replace(/;dur=[\d.]+$/, ""));
  };
  // Asked the first time: looked up, ranked, filtered and counted, then the page's cards.
  assert.deepEqual(await steps("/api/search?q=autorimessa"), ["lookup", "rank", "view", "cards"]);
  // Asked again: the page of the recent answer, only its cards read.
  assert.deepEqual(await steps("/api/search?q=autorimessa"), ["cards"]);
});
