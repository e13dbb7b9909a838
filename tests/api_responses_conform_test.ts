/**
 * The API's answers fit their schemas (routes/_api_schemas.ts): parsed against them, many
 * real answers come out unchanged, so no value is of another type and no field undeclared.
 * The server no longer parses each answer; it only drops undeclared fields
 * (routes/_projection.ts), which the last tests here check, and sends an answer that holds
 * none as it is.
 */
import { z } from "zod";
import assert from "node:assert/strict";
import { loadDemoArchive } from "../demo/demo_archive.ts";
import { buildRecordIndex } from "../search/record_index.ts";
import { publicRecordSchema, searchResponseSchema } from "../routes/_api_schemas.ts";
import { projectionOf } from "../routes/_projection.ts";
import { createTestWorld } from "./_world.ts";

type Json = Record<string, unknown>;

Deno.test("search answers and the records they list fit their schemas, over many queries", async () => {
  await using world = await createTestWorld({ buildIndex: false });
  await loadDemoArchive(world.db, world.clock, { seed: 14, dossiers: 600, acts: 80 });
  await buildRecordIndex(world.db, world.index);
  const served = await world.serve();
  const get = async (path: string): Promise<Json> => {
    const res = await fetch(`${served.url}${path}`);
    assert.equal(res.status, 200, path);
    return await res.json();
  };
  // Words and identifiers taken from the archive's own first answers, then asked with filters.
  const first = await get("/api/search?kind=dossier&per_page=100");
  const queries = new Set<string>(["q=via", "q=ampliamento", "q=costruz", "q=delibera"]);
  for (const hit of first.hits as Json[]) {
    const subjectWord = String(hit.subject).split(/\s+/).find((w) => w.length > 4);
    if (subjectWord) queries.add(`q=${encodeURIComponent(subjectWord)}`);
    queries.add(`q=${encodeURIComponent(String(hit.title))}`);
    const street = (hit.addresses as Json[])[0]?.street;
    if (street) queries.add(`q=${encodeURIComponent(String(street))}&sort=number`);
    if (hit.type) queries.add(`kind=dossier&type=${hit.type}&per_page=5&page=1`);
  }
  queries.add("kind=act&per_page=50");
  queries.add("kind=dossier&per_page=3&page=2");
  queries.add("kind=dossier&decade=1980");
  let hits = 0;
  const ids = new Set<string>();
  for (const query of queries) {
    const body = await get(`/api/search?${query}`);
    assert.deepEqual(searchResponseSchema.parse(body), body, query);
    // Nothing to drop: the answer goes out as it is, not copied.
    assert.equal(projectionOf(searchResponseSchema)(body as never), body, query);
    for (const hit of body.hits as Json[]) ids.add(String(hit.id));
    hits += (body.hits as Json[]).length;
  }
  assert.ok(queries.size > 100 && hits > 1000, `${queries.size} queries, ${hits} hits`);
  for (const id of [...ids].slice(0, 150)) {
    const record = await get(`/api/records/${encodeURIComponent(id)}`);
    assert.deepEqual(publicRecordSchema.parse(record), record, id);
    assert.equal(projectionOf(publicRecordSchema)(record as never), record, id);
  }
});

/** A search answer that fits its schema, then changed by `leak`. */
function answerWith(leak: (a: Json & { hits: Json[]; facets: Json }) => void = () => {}) {
  const answer = {
    total: 1,
    page: 1,
    per_page: 20,
    pages: 1,
    next_page: null,
    interpretation: null,
    hits: [{
      kind: "dossier",
      id: "pe-1",
      title: "CE 1/1987",
      subject: "Ampliamento",
      year: 1987,
      addresses: [{ street: "Via Roma", civic: "1" }],
      cadastral: ["NCEU Fg. 1 Part. 2"],
      highlights: [],
      matchedBy: "text",
    }],
    facets: {
      kind: [{ value: "dossier", label: "Pratiche", count: 1 }],
      type: [],
      decade: [],
      locality: [],
      status: [],
      actKind: [],
      office: [],
    },
  };
  leak(answer);
  return answer;
}

Deno.test("an answer loses every field its schema does not declare, at any depth", () => {
  const answer = answerWith((a) => {
    const hit = a.hits[0]!;
    (hit.addresses as Json[])[0]!.taxCode = "RSSMRA85T10A562S";
    hit.people = [{ surname: "Rossi" }];
    const facets = a.facets as Record<string, Json[]>;
    facets.kind![0]!.restricted = true;
    facets.extra = [{ value: "CE", label: "CE", count: 1 }];
    a.debug = { sql: "SELECT" };
  });
  const projected = projectionOf(searchResponseSchema)(answer as never);
  assert.deepEqual(projected, searchResponseSchema.parse(answer));
  const text = JSON.stringify(projected);
  for (const gone of ["taxCode", "people", "Rossi", "restricted", "extra", "debug", "SELECT"]) {
    assert.ok(!text.includes(gone), gone);
  }
});

Deno.test("one undeclared field alone, at any depth, is enough for the answer to be copied without it", () => {
  const project = projectionOf(searchResponseSchema);
  const clean = answerWith(() => {});
  assert.equal(project(clean as never), clean);
  const leaks: [string, (a: Json & { hits: Json[]; facets: Json }) => void][] = [
    ["SEGRETO-top", (a) => (a.debug = "SEGRETO-top")],
    ["SEGRETO-hit", (a) => (a.hits[0]!.taxCode = "SEGRETO-hit")],
    ["SEGRETO-address", (a) => ((a.hits[0]!.addresses as Json[])[0]!.owner = "SEGRETO-address")],
    [
      "SEGRETO-facets",
      (a) => (a.facets.people = [{ value: "SEGRETO-facets", label: "", count: 1 }]),
    ],
    ["SEGRETO-facet", (a) => ((a.facets.kind as Json[])[0]!.note = "SEGRETO-facet")],
    // A toJSON would decide what JSON writes: the copy drops it with the rest.
    ["SEGRETO-toJSON", (a) => (a.hits[0]!.toJSON = () => ({ x: "SEGRETO-toJSON" }))],
  ];
  for (const [marker, leak] of leaks) {
    const answer = answerWith(leak);
    const out = project(answer as never);
    assert.notEqual(out, answer, marker);
    assert.ok(!JSON.stringify(out).includes(marker), marker);
    assert.deepEqual(JSON.parse(JSON.stringify(out)), clean, marker);
  }
  // A field left undefined is written by neither JSON nor the copy: nothing to drop.
  const unset = answerWith((a) => (a.hits[0]!.extra = undefined));
  assert.equal(project(unset as never), unset);
});

Deno.test("a record's projection follows its kind, and an unknown kind is refused", () => {
  const project = projectionOf(publicRecordSchema);
  const act = {
    record: "act",
    id: "a-1",
    kind: "DCC",
    number: "1",
    year: 2020,
    date: "2020-01-01",
    subject: "Bilancio",
    attachments: [{ pages: 1, public: true, file: "f", sha256: "x" }],
    text: "Testo",
    people: [],
  };
  assert.deepEqual(project(act as never), publicRecordSchema.parse(act));
  assert.ok(!JSON.stringify(project(act as never)).includes("sha256"));
  assert.throws(() => project({ ...act, record: "person" } as never), TypeError);
});

Deno.test("a compiled projection copies any field name as written and refuses a non-object", () => {
  const schema = z.object({
    "a-b": z.string(),
    'q"uote\\': z.number(),
    nested: z.array(z.object({ "x y": z.boolean() })),
  });
  const project = projectionOf(schema);
  const value = {
    "a-b": "uno",
    'q"uote\\': 2,
    nested: [{ "x y": true, extra: 1 }],
    "__proto__x": "no",
  };
  assert.deepEqual(project(value as never), schema.parse(value));
  assert.deepEqual(Object.keys(project(value as never) as object), ["a-b", 'q"uote\\', "nested"]);
  for (const bad of [null, [], "testo", 3]) assert.throws(() => project(bad as never), TypeError);
});
