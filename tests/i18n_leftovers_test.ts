/**
 * The last messages that were Italian in every language, now in the reader's language over
 * loopback: a search parameter refused (its label inside the message, on the page and in the
 * API), the language switch's own refusal, a body above the size limit, and the API's
 * `stateLabel` and errors, which follow `lang` or `Accept-Language` (Italian by default).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";
import { createAccessRequest } from "../db/access_requests.ts";
import { readDeadlineSettings } from "../db/access_settings.ts";
import { negotiateLocale } from "../i18n/locale.ts";

const EN = { Cookie: "faldone_lang=en" };
const CF = "RSSMRA85T10A562S";

Deno.test("a refused search parameter is told in English, its label too", async () => {
  await using world = await createTestWorld({ records: [dossier()] });
  const { url } = await world.serve();
  const cases: [string, RegExp, RegExp][] = [
    ["/cerca?page=0", /Page not valid: the first page is 1/, /Pagina non valida/],
    ["/cerca?year_from=12ab", /From year: write a whole number, not/, /Anno da: scrivere/],
    ["/cerca?decade=1985", /Decade: write its first year/, /Decennio: scrivere/],
    ["/cerca?year_from=1990&year_to=1980", /swap them/, /invertirli/],
    ["/cerca?type=ZZZ", /Unknown kind of permit &quot;ZZZ&quot;/, /Tipo di pratica sconosciuto/],
    ["/cerca?sort=x", /Sort order not valid/, /Ordinamento non valido/],
    ["/cerca?locality=Atlantide", /Locality &quot;Atlantide&quot; not found/, /non presente/],
    ["/cerca?q=casa&page=9", /Page 9 does not exist/, /La pagina 9 non esiste/],
    [`/cerca?q=${"a".repeat(201)}`, /Search too long \(201 characters\)/, /Ricerca troppo/],
    ["/cerca?per_page=%01", /Results per page: contains characters/, /Risultati per pagina/],
  ];
  for (const [path, english, italian] of cases) {
    const res = await fetch(`${url}${path}`, { headers: EN });
    const html = await res.text();
    assert.equal(res.status, 400, path);
    assert.match(html, english, path);
    assert.doesNotMatch(html, italian, path);
    // Italian stays the default.
    const it = await fetch(`${url}${path}`);
    assert.match(await it.text(), italian, path);
  }
});

Deno.test("the language switch refuses in the language being read", async () => {
  await using world = await createTestWorld();
  const { url } = await world.serve();
  const unknown = await fetch(`${url}/lingua/de`, { headers: EN, redirect: "manual" });
  assert.equal(unknown.status, 400);
  assert.match(await unknown.text(), /Language not available: choose IT or EN\./);
  const away = await fetch(`${url}/lingua/it?torna=${encodeURIComponent("//example.org/")}`, {
    headers: EN,
    redirect: "manual",
  });
  assert.equal(away.status, 400);
  assert.match(await away.text(), /Page: an address of this site is needed/);
  const italian = await fetch(`${url}/lingua/de`, { redirect: "manual" });
  assert.match(await italian.text(), /Lingua non disponibile: scegli IT o EN\./);
});

Deno.test("a body above the size limit is refused in English", async () => {
  await using world = await createTestWorld();
  const { url } = await world.serve();
  const big = new URLSearchParams({ motivation: "x".repeat(80 * 1024) });
  for (
    const [headers, text] of [[EN, /The data sent is too large \(over 64 KiB\)/], [
      {},
      /Dati inviati troppo grandi \(oltre 64 KiB\)/,
    ]] as const
  ) {
    const res = await fetch(`${url}/richieste/nuova`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
      body: big,
    });
    assert.equal(res.status, 413);
    const html = await res.text();
    assert.match(html, text);
    // The page around the message is in the same language.
    assert.match(html, headers === EN ? /<html lang="en">/ : /<html lang="it">/);
  }
});

Deno.test("Accept-Language picks the first of it and en by weight, else none", () => {
  assert.equal(negotiateLocale("en-US,en;q=0.9,it;q=0.8"), "en");
  assert.equal(negotiateLocale("de-DE, it;q=0.5, en;q=0.7"), "en");
  assert.equal(negotiateLocale("it-IT,it;q=0.9,en;q=0.8"), "it");
  assert.equal(negotiateLocale("en;q=0, it;q=0.1"), "it");
  assert.equal(negotiateLocale("de, fr;q=0.9"), undefined);
  assert.equal(negotiateLocale("*;q=;;,,en;q=abc"), "en");
  assert.equal(negotiateLocale(undefined), undefined);
});

Deno.test("the API says the state and its errors in English when asked, Italian by default", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  const row = await createAccessRequest(world.db, {
    regime: "civico_semplice",
    requesterName: "Mario Rossi",
    taxCode: CF,
    mode: "view",
    records: [{ kind: "dossier", id: d.id }],
  }, {
    now: world.clock(),
    branch: "sede",
    branchCode: "K2",
    outbox: false,
    settings: await readDeadlineSettings(world.db),
  });
  const { url } = await world.serve();
  const lookup = async (query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/api/requests/status${query}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify({ code: row.receiptCode, taxCode: CF }),
    });
    return { status: res.status, body: await res.json() };
  };
  assert.equal((await lookup("")).body.stateLabel, "Ricevuta");
  assert.equal((await lookup("?lang=en")).body.stateLabel, "Received");
  assert.equal(
    (await lookup("", { "Accept-Language": "en-GB,en;q=0.9" })).body.stateLabel,
    "Received",
  );
  // `lang` wins over the header; a language we do not have falls back to Italian.
  assert.equal(
    (await lookup("?lang=it", { "Accept-Language": "en" })).body.stateLabel,
    "Ricevuta",
  );
  assert.equal((await lookup("", { "Accept-Language": "de" })).body.stateLabel, "Ricevuta");
  // A `lang` we do not have is refused, in the one error shape.
  const bad = await lookup("?lang=de");
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, "lang");
  assert.match(bad.body.error.message, /Lingua: scegliere "it" o "en"/);
  // Errors follow the language too.
  const page = await fetch(`${url}/api/search?page=0&lang=en`);
  assert.equal(page.status, 400);
  assert.deepEqual((await page.json()).error, {
    message: "Page not valid: the first page is 1",
    field: "page",
    fields: { page: "Page not valid: the first page is 1" },
  });
  const badId = await fetch(`${url}/api/dossiers/${encodeURIComponent("a b")}?lang=en`);
  assert.equal(badId.status, 400);
  assert.match((await badId.json()).error.message, /^Identifier not valid: letters, digits/);
  const badKind = await fetch(`${url}/api/records/${d.id}?kind=x&lang=en`);
  assert.match((await badKind.json()).error.message, /^Kind of record not valid/);
  const post = async (body: unknown) => {
    const res = await fetch(`${url}/api/requests/status?lang=en`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await res.json()).error.message;
  };
  assert.match(await post({ taxCode: CF }), /^Receipt code: /);
  assert.match(await post({ code: "K2AB-CD7E", taxCode: CF, name: "x" }), /^Unknown field/);
  assert.match(await post([1]), /^Request body not valid/);
  const italian = await fetch(`${url}/api/search?page=0`);
  assert.match((await italian.json()).error.message, /Pagina non valida/);
  // The kiosk's cookie does not choose the API's language.
  const cookie = await fetch(`${url}/api/search?page=0`, { headers: EN });
  assert.match((await cookie.json()).error.message, /Pagina non valida/);
});

Deno.test("the OpenAPI document describes lang and Accept-Language on every operation", async () => {
  await using world = await createTestWorld();
  const { url } = await world.serve();
  const doc = await (await fetch(`${url}/api/openapi.json`)).json();
  let operations = 0;
  for (const methods of Object.values(doc.paths) as Record<string, { parameters?: unknown[] }>[]) {
    for (const op of Object.values(methods)) {
      operations++;
      const params = (op.parameters ?? []) as { name: string; in: string; schema: unknown }[];
      const lang = params.find((p) => p.name === "lang" && p.in === "query");
      assert.deepEqual(lang?.schema, { type: "string", enum: ["it", "en"] });
      assert.ok(params.some((p) => p.name === "accept-language" && p.in === "header"));
    }
  }
  assert.ok(operations >= 5);
  const status = doc.components.schemas.RequestStatus.properties.stateLabel.description;
  assert.match(status, /language asked for/);
});
