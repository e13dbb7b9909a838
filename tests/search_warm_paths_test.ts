import assert from "node:assert/strict";
import { searchesFrom, warmSearchPaths } from "../cli/_warm_paths.ts";
import { createTestWorld } from "./_world.ts";
import { act, dossier } from "./fixtures.ts";

Deno.test("a dossier gives the warm-up a search of every kind a citizen types", () => {
  const asked = searchesFrom(dossier({
    type: "PDC",
    number: "45",
    year: 1999,
    protocolNumber: "7731",
    subject: "COSTRUZIONE AUTORIMESSA INTERRATA",
    addresses: [{ street: "Via delle Fornaci", civic: "28" }],
    cadastral: [{ register: "NCEU", sheet: "32", parcel: "1220", sub: "8" }],
  })).map((p) => p.toString());
  for (
    const expected of [
      "q=costruzione", // a word
      "q=cost", // a prefix still being typed
      "q=cotsruzione", // a typo
      "q=costruzione+autorimessa", // two words
      "q=costruzione&decade=1990", // filtered
      "q=costruzione&type=PDC",
      "q=Via+delle+Fornaci+28", // an address
      "q=v.+delle+Fornaci", // an abbreviated street
      "q=fg+32+part+1220+sub+8", // a cadastral reference
      "q=PDC+45%2F1999", // type and number
      "q=7731%2F1999", // protocol
    ]
  ) assert.ok(asked.includes(expected), `${expected} in ${asked.join(" ")}`);
});

Deno.test("the warm-up never types a dossier's people, only its public subject", () => {
  const asked = searchesFrom(dossier({
    subject: "VOLTURA A FAVORE DI Bianchi Giovanna",
    people: [{ role: "intestatario", surname: "Bianchi", name: "Giovanna" }],
  })).map((p) => p.get("q") ?? "").join(" ");
  assert.match(asked, /voltura/);
  assert.doesNotMatch(asked, /bianchi|giovanna/i);
});

Deno.test("the start's warm-up asks the search pages, every answer a page, and leaves no cache behind", async () => {
  await using world = await createTestWorld({
    records: [
      ...Array.from(
        { length: 30 },
        (_, i) => dossier({ subject: `AMPLIAMENTO FABBRICATO ${["RURALE", "CIVILE"][i % 2]}` }),
      ),
      dossier({ restricted: true, subject: "SEGRETISSIMO ESPOSTO" }),
      act(),
    ],
  });
  const statuses: number[] = [];
  const paths: string[] = [];
  const asked = await warmSearchPaths(
    async (request) => {
      const res = await world.app.fetch(request);
      statuses.push(res.status);
      paths.push(new URL(request.url).search);
      return res;
    },
    world.db,
    world.index,
  );
  assert.ok(asked > 20, `only ${asked} requests`);
  assert.equal(asked, statuses.length);
  assert.deepEqual([...new Set(statuses)], [200], "every warm-up search answered with a page");
  assert.ok(!paths.some((p) => p.toLowerCase().includes("segretissimo")), "no restricted record");
  assert.equal(world.index.cache.size, 0);
  assert.equal(world.index.answers.size, 0);
  assert.equal(world.index.cards.size, 0);
});

Deno.test("a slow warm-up stops at its time budget, so ready is not held by a slow DB", async () => {
  await using world = await createTestWorld({
    records: Array.from({ length: 30 }, () => dossier()),
  });
  let asked = 0;
  const started = performance.now();
  const made = await warmSearchPaths(
    async (request) => {
      asked++;
      await new Promise((resolve) => setTimeout(resolve, 40));
      return await world.app.fetch(request);
    },
    world.db,
    world.index,
    300,
  );
  const took = performance.now() - started;
  assert.equal(made, asked);
  assert.ok(asked >= 2 && asked <= 12, `${asked} asked`);
  assert.ok(took < 1_500, `took ${took} ms`);
  assert.equal(world.index.answers.size, 0, "emptied all the same");
});

Deno.test("a warm-up that cannot read the DB gives up quietly and the kiosk starts anyway", async () => {
  await using world = await createTestWorld({ records: [dossier()] });
  const unreadable = {
    all: () => Promise.reject(new Error("disk I/O error")),
  } as unknown as typeof world.db;
  let asked = 0;
  const made = await warmSearchPaths(
    () => {
      asked++;
      return new Response("");
    },
    unreadable,
    world.index,
  );
  assert.equal(made, 0);
  assert.equal(asked, 0);
});
