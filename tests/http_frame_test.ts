import assert from "node:assert/strict";
import { HTTPException } from "hono/http-exception";
import { buildRecordIndex } from "../search/record_index.ts";
import { markPulled } from "../sync/sync_state.ts";
import { assetUrl } from "../views/assets.ts";
import { createTestWorld } from "./_world.ts";
import { act, dossier } from "./fixtures.ts";

Deno.test("an unknown page answers 404 with an Italian page in the kiosk frame", async () => {
  await using world = await createTestWorld();
  const res = await world.app.request("/non-esiste");
  assert.equal(res.status, 404);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const html = await res.text();
  assert.match(html, /^<!doctype html><html lang="it">/);
  assert.match(html, /non esiste o non è consultabile/);
  assert.match(html, /id="messages" role="status" aria-live="polite"/);
  assert.match(html, /Vai al contenuto principale/);
  assert.doesNotMatch(html, /<script>|style="/, "no inline script or style (strict CSP later)");
});

Deno.test("an htmx request for an unknown page gets a notice retargeted to #messages", async () => {
  await using world = await createTestWorld();
  const res = await world.app.request("/non-esiste", { headers: { "HX-Request": "true" } });
  assert.equal(res.status, 404);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  assert.equal(res.headers.get("HX-Retarget"), "#messages");
  assert.equal(res.headers.get("HX-Reswap"), "innerHTML");
  const html = await res.text();
  assert.doesNotMatch(html, /<html/);
  assert.match(html, /role="alert"/);
});

Deno.test("an unknown API path answers JSON 404 with a message", async () => {
  await using world = await createTestWorld();
  const res = await world.app.request("/api/nulla");
  assert.equal(res.status, 404);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const body = await res.json();
  assert.match(body.error.message, /non esiste/);
});

Deno.test("static files come from local packages under versioned, year-long cached URLs", async () => {
  await using world = await createTestWorld();
  const served = await world.serve();
  for (
    const [path, type] of [
      ["htmx.min.js", /javascript/],
      ["bi/css/bootstrap-italia.min.css", /text\/css/],
      ["bi/svg/sprites.svg", /image\/svg/],
      ["bi/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2", /font\/woff2/],
      ["fonts.css", /text\/css/],
      ["app.css", /text\/css/],
    ] as const
  ) {
    const res = await fetch(`${served.url}${assetUrl(path)}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get("content-type") ?? "", type);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.ok((await res.arrayBuffer()).byteLength > 100, path);
  }
});

Deno.test("every font the fonts stylesheet names is served", async () => {
  await using world = await createTestWorld();
  const css = await (await world.app.request(assetUrl("fonts.css"))).text();
  const urls = [...css.matchAll(/url\("([^"]+)"\)/g)].map((m) => m[1] ?? "");
  assert.ok(urls.length >= 8);
  for (const url of urls) {
    const res = await world.app.request(assetUrl(url));
    assert.equal(res.status, 200, url);
    await res.body?.cancel();
  }
});

Deno.test("static paths outside the folders, or under an old version, are 404", async () => {
  await using world = await createTestWorld();
  const served = await world.serve();
  for (
    const path of [
      assetUrl("../deno.json"),
      assetUrl("%2e%2e/deno.json"),
      assetUrl("bi/..%2f..%2fpackage.json"),
      "/static/v0/app.css",
      assetUrl("nessun-file.css"),
    ]
  ) {
    const res = await fetch(`${served.url}${path}`);
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
});

Deno.test("healthz says starting (503) until the index is built, then ready with counts", async () => {
  await using world = await createTestWorld({
    records: [dossier(), dossier(), act()],
    buildIndex: false,
  });
  const served = await world.serve();
  const before = await fetch(`${served.url}/healthz`);
  assert.equal(before.status, 503);
  assert.match(before.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(await before.json(), { status: "starting" });
  await buildRecordIndex(world.db, world.index);
  const after = await fetch(`${served.url}/healthz`);
  assert.equal(after.status, 200);
  assert.match(after.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(await after.json(), { status: "ready", records: 3, indexed: 3 });
});

Deno.test("public pages say when the data was last updated from the archive, once synced", async () => {
  await using world = await createTestWorld({
    records: [dossier({ id: "pe-1" }), act({ id: "a-1" })],
  });
  const before = await (await world.app.request("/")).text();
  assert.doesNotMatch(before, /Dati aggiornati/);
  await markPulled(world.db, new Date("2025-03-03T09:00:00.000Z"));
  for (const url of ["/", "/cerca?q=ampliamento", "/pratiche/pe-1", "/atti/a-1"]) {
    const html = await (await world.app.request(url)).text();
    // Shown in Italian wall-clock time (CET in March).
    assert.match(html, /Dati aggiornati al 03\/03\/2025 alle 10:00/, url);
  }
});

Deno.test("an unexpected failure is a 500 that hides the internals, in every form", async () => {
  await using world = await createTestWorld({ records: [dossier({ id: "pe-1" })] });
  // A closed database makes every query throw: the kind of fault no input can cause.
  world.client.close();
  const quiet = console.error;
  const logged: string[] = [];
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    const page = await world.app.request("/pratiche/pe-1");
    assert.equal(page.status, 500);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const html = await page.text();
    assert.match(html, /errore imprevisto/);
    assert.doesNotMatch(html, /CLIENT_CLOSED|libsql|Error:|at \w+/i);

    const hx = await world.app.request("/pratiche/pe-1", { headers: { "HX-Request": "true" } });
    assert.equal(hx.status, 500);
    assert.equal(hx.headers.get("HX-Retarget"), "#messages");

    const api = await world.app.request("/api/records/pe-1");
    assert.equal(api.status, 500);
    const body = await api.json();
    assert.match(body.error.message, /errore imprevisto/);
    assert.doesNotMatch(JSON.stringify(body), /CLIENT_CLOSED|libsql/i);
    assert.equal(logged.length, 3);
    assert.match(logged[0] ?? "", /^Errore interno su GET \/pratiche\/pe-1: \w+/);
    // The log names the error but not its message (a query's parameters can be personal).
    assert.doesNotMatch(logged.join("\n"), /pe-1"|params|select /i);
  } finally {
    console.error = quiet;
  }
});

Deno.test("an error thrown without a message still tells the person what to do, in Italian", async () => {
  await using world = await createTestWorld();
  world.app.get("/prova-403", () => {
    throw new HTTPException(403);
  });
  const res = await world.app.request("/prova-403");
  assert.equal(res.status, 403);
  assert.match(await res.text(), /Operazione non consentita/);
});
