/**
 * Search URLs are shareable: `/?q=…` searches like `/cerca?q=…`, and every word, filter,
 * sort and page of the URL is what the page shows and what its links carry on.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";

function garages() {
  return [
    ...Array.from({ length: 5 }, (_, i) =>
      dossier({
        id: `pe-ce-${1980 + i}`,
        year: 1980 + i,
        subject: "COSTRUZIONE AUTORIMESSA",
      })),
    dossier({ id: "pe-pdc-2005", type: "PDC", year: 2005, subject: "AUTORIMESSA INTERRATA" }),
    dossier({ id: "pe-scia-2015", type: "SCIA", year: 2015, subject: "RIFACIMENTO COPERTURA" }),
  ];
}

/** The ids of the result cards, in order. */
function resultIds(html: string): string[] {
  return [...html.matchAll(/href="\/pratiche\/([^"?]+)\?/g)].map((m) => m[1] ?? "");
}

Deno.test("a shared /?q= link searches like /cerca, as a whole page", async () => {
  await using world = await createTestWorld({ records: garages() });
  const home = await (await world.app.request("/?q=autorimessa")).text();
  const cerca = await (await world.app.request("/cerca?q=autorimessa")).text();
  assert.match(home, /<h2 class="h4" id="results-count" tabindex="-1">6 risultati<\/h2>/);
  assert.deepEqual(resultIds(home), resultIds(cerca));
  assert.equal(resultIds(home).length, 6);
  assert.match(home, /<input type="search" id="q" name="q"[^>]* value="autorimessa"/);
  assert.match(home, /<title>Ricerca: autorimessa/);
});

Deno.test("filters, sort, page size and page of the URL are all on the page and in its links", async () => {
  await using world = await createTestWorld({ records: garages() });
  const query = "q=autorimessa&type=CE&sort=number&per_page=2&page=2";
  for (const path of [`/?${query}`, `/cerca?${query}`]) {
    const res = await world.app.request(path);
    assert.equal(res.status, 200, path);
    const html = await res.text();
    assert.match(html, /5 risultati/, path);
    // sort=number: by year then number, so page 2 of 2 per page holds 1982 and 1983.
    assert.deepEqual(resultIds(html), ["pe-ce-1982", "pe-ce-1983"], path);
    assert.match(html, /Pagina 2 di 3/, path);
    assert.match(html, /<input[^>]*name="type"[^>]*value="CE"[^>]*checked/, path);
    assert.match(html, /<option value="number" selected/, path);
    assert.match(html, /<input type="hidden" name="per_page" value="2"/, path);
    const amp = "&amp;";
    const keep = `q=autorimessa${amp}type=CE${amp}sort=number`;
    const next = `href="/cerca?${keep}${amp}page=3${amp}per_page=2"`;
    assert.ok(html.includes(next), `${path}: next page link`);
    assert.ok(html.includes(`href="/cerca?${keep}${amp}per_page=2"`), `${path}: previous page`);
  }
});

Deno.test("the home page without words or filters shows how to search, whatever else its URL says", async () => {
  await using world = await createTestWorld({ records: garages() });
  for (const path of ["/", "/?utm_source=volantino", "/?q="]) {
    const html = await (await world.app.request(path)).text();
    assert.match(html, /Come cercare/, path);
    assert.doesNotMatch(html, /id="results-count"/, path);
  }
});

Deno.test("a shared link with a bad page or filter says what to change, in Italian", async () => {
  await using world = await createTestWorld({ records: garages() });
  for (
    const [path, message] of [
      ["/?q=autorimessa&page=9", /La pagina 9 non esiste/],
      ["/?q=autorimessa&type=XYZ", /Tipo di pratica sconosciuto/],
      ["/?q=autorimessa&per_page=1000", /Risultati per pagina/],
    ] as const
  ) {
    const res = await world.app.request(path);
    assert.equal(res.status, 400, path);
    assert.match(await res.text(), message, path);
  }
});

Deno.test("an htmx search pushes the short URL of what was asked", async () => {
  await using world = await createTestWorld({ records: garages() });
  const res = await world.app.request(
    "/cerca?q=autorimessa&kind=&type=PDC&decade=&sort=relevance&page=1",
    { headers: { "HX-Request": "true" } },
  );
  assert.equal(res.headers.get("HX-Push-Url"), "/cerca?q=autorimessa&type=PDC");
  assert.doesNotMatch(await res.text(), /<html/);
});
