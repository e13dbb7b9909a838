/**
 * The public API's OpenAPI document, served by a real server on loopback: a valid OpenAPI 3.1
 * document (checked by an npm validator), covering every /api route the app mounts, whose
 * response schemas hold public fields only; errors, pagination and the rate limit as it says.
 */
import assert from "node:assert/strict";
import { validate } from "@readme/openapi-parser";
import { ACT_FIELD_RULES, DOSSIER_FIELD_RULES } from "../domain/public_record.ts";
import { createAccessRequest } from "../db/access_requests.ts";
import { readDeadlineSettings } from "../db/access_settings.ts";
import { createTestWorld } from "./_world.ts";
import { act, dossier } from "./fixtures.ts";

type Json = Record<string, unknown>;

const CF = "RSSMRA85T10A562S";

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null;

/** Fields of the record model no public answer may carry, under any name of a schema. */
const PERSONAL_FIELDS = [
  "people",
  "person",
  "surname",
  "name",
  "company",
  "taxCode",
  "taxCodeVerified",
  "email",
  "phone",
  "requesterName",
  "requester",
  "applicant",
  "location",
  "box",
  "shelf",
  "room",
  "restricted",
  "source",
  "subjectPublic",
  "bytes",
  "sha256",
];

/** Every property name declared anywhere inside `schema`, with the path it was found at. */
function propertyNames(schema: unknown, path: string, out: [string, string][] = []) {
  if (Array.isArray(schema)) schema.forEach((s, i) => propertyNames(s, `${path}[${i}]`, out));
  if (!isObject(schema)) return out;
  if (isObject(schema.properties)) {
    for (const name of Object.keys(schema.properties)) out.push([name, `${path}.${name}`]);
  }
  for (const [k, v] of Object.entries(schema)) propertyNames(v, `${path}/${k}`, out);
  return out;
}

/** The 2xx response schemas of every operation, as the document declares them. */
function responseSchemas(doc: Json): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [path, methods] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(methods as Json)) {
      for (const [status, r] of Object.entries((op as Json).responses as Json)) {
        const content = isObject(r) && isObject(r.content) ? r.content : {};
        out.push([`${method} ${path} ${status}`, content]);
      }
    }
  }
  return out;
}

async function servedDocument() {
  const world = await createTestWorld({ records: [dossier({ id: "pe-ce-1987-452" }), act()] });
  const served = await world.serve();
  const res = await fetch(`${served.url}/api/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  return { world, url: served.url, doc: (await res.json()) as Json };
}

Deno.test("/api/openapi.json is a valid OpenAPI 3.1 document of every /api route", async () => {
  const { world, doc } = await servedDocument();
  await using _ = world;
  assert.equal(doc.openapi, "3.1.0");
  // The validator dereferences in place: it gets its own copy of what the server sent.
  const result = await validate(structuredClone(doc) as unknown as Parameters<typeof validate>[0]);
  assert.ok(
    result.valid,
    `invalid OpenAPI document: ${JSON.stringify("errors" in result ? result.errors : [])}`,
  );
  assert.equal(result.specification, "OpenAPI");
  // The validator does refuse: the same document with a parameter missing its place.
  const broken = JSON.parse(JSON.stringify(doc).replace('"in":"query"', '"in":"corpo"'));
  const refused = await validate(broken as unknown as Parameters<typeof validate>[0]);
  assert.equal(refused.valid, false);
  const documented = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths as Json)) {
    for (const method of Object.keys(methods as Json)) {
      documented.add(`${method.toUpperCase()} ${path}`);
    }
  }
  // The app's own route table, path parameters written the OpenAPI way.
  const served = world.app.routes
    .filter((r) => r.path.startsWith("/api/") && r.method !== "ALL")
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`)
    .filter((k) => !["GET /api/openapi.json", "GET /api/docs"].includes(k));
  assert.deepEqual([...new Set(served)].sort(), [...documented].sort());
  for (
    const k of [
      "GET /api/search",
      "GET /api/records/{id}",
      "GET /api/dossiers/{id}",
      "GET /api/acts/{id}",
      "POST /api/requests/status",
    ]
  ) assert.ok(documented.has(k), `${k} not documented`);
});

Deno.test("every response schema of the API holds public fields only", async () => {
  const { world, doc } = await servedDocument();
  await using _ = world;
  const schemas = (doc.components as Json).schemas as Json;
  // The record schemas: exactly the fields the public projection copies or rewrites into.
  const allowed = (rules: Record<string, string>, rewrittenInto: string[]) =>
    [...Object.keys(rules).filter((k) => rules[k] === "copied"), ...rewrittenInto].sort();
  const fieldsOf = (name: string) => Object.keys((schemas[name] as Json).properties as Json).sort();
  assert.deepEqual(
    fieldsOf("Dossier"),
    allowed(DOSSIER_FIELD_RULES, ["subject", "roles", "documents"]),
  );
  assert.deepEqual(fieldsOf("Act"), allowed(ACT_FIELD_RULES, ["attachments"]));
  // Nothing private is ever declared, in the records or anywhere an answer reaches.
  const found = [
    ...propertyNames(schemas, "components.schemas"),
    ...responseSchemas(doc).flatMap(([where, s]) => propertyNames(s, where)),
  ];
  assert.ok(found.length > 60, `only ${found.length} fields walked`);
  const personal = found.filter(([name]) => PERSONAL_FIELDS.includes(name));
  assert.deepEqual(personal, [], "personal-data fields in response schemas");
  // A document's file is named only for public ones: the schema says so, the rule enforces it.
  assert.deepEqual(fieldsOf("DocumentRef"), ["file", "pages", "public", "title"]);
});

Deno.test("API answers leave out what their schema does not declare, and errors have one shape", async () => {
  const { world, url } = await servedDocument();
  await using _ = world;
  const d = await (await fetch(`${url}/api/dossiers/pe-ce-1987-452`)).json();
  assert.equal(d.record, "dossier");
  for (const f of PERSONAL_FIELDS) assert.equal(d[f], undefined, f);
  assert.doesNotMatch(JSON.stringify(d), /Bianchi|Giulia|BNCGLI|scans\/test/);
  const cases: [string, RequestInit | undefined, number, string | null][] = [
    ["/api/search?page=0", undefined, 400, "page"],
    ["/api/search?per_page=500", undefined, 400, "per_page"],
    ["/api/search?q=ampliamento&page=9", undefined, 400, "page"],
    ["/api/dossiers/nessuno", undefined, 404, null],
    ["/api/acts/pe-ce-1987-452", undefined, 404, null],
    ["/api/dossiers/%3Cscript%3E", undefined, 400, "id"],
    ["/api/nulla", undefined, 404, null],
    [
      "/api/requests/status",
      { method: "POST", body: "{", headers: { "Content-Type": "application/json" } },
      400,
      null,
    ],
    [
      "/api/requests/status",
      {
        method: "POST",
        body: JSON.stringify({ code: "K2", taxCode: "RSSMRA85T10A562S" }),
        headers: { "Content-Type": "application/json" },
      },
      422,
      "code",
    ],
  ];
  for (const [path, init, status, field] of cases) {
    const res = await fetch(`${url}${path}`, init);
    assert.equal(res.status, status, path);
    const body = await res.json();
    assert.deepEqual(Object.keys(body), ["error"], path);
    assert.deepEqual(Object.keys(body.error).sort(), ["field", "fields", "message"], path);
    assert.equal(body.error.field, field, path);
    assert.ok(body.error.message.length > 10, path);
  }
});

Deno.test("a status lookup answers the state and due date of a filed request, nothing else", async () => {
  await using world = await createTestWorld({ records: [dossier({ id: "pe-ce-1987-452" })] });
  const row = await createAccessRequest(world.db, {
    regime: "documentale",
    requesterName: "Mario Rossi",
    taxCode: CF,
    motivation: "Compravendita",
    mode: "view",
    records: [{ kind: "dossier", id: "pe-ce-1987-452" }],
  }, {
    now: world.clock(),
    branch: "sede",
    branchCode: "K2",
    outbox: false,
    settings: await readDeadlineSettings(world.db),
  });
  const { url } = await world.serve();
  const lookup = (body: unknown) =>
    fetch(`${url}/api/requests/status`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const res = await lookup({ code: row.receiptCode.toLowerCase(), taxCode: CF.toLowerCase() });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), ["code", "dueOn", "overdue", "state", "stateLabel"]);
  assert.equal(body.code, row.receiptCode);
  assert.equal(body.state, "received");
  assert.equal(body.dueOn, row.dueOn);
  assert.doesNotMatch(JSON.stringify(body), /Rossi|RSSMRA/);
  // A number where the code goes: the message says what was sent.
  const number = await lookup({ code: 12345678, taxCode: CF });
  assert.equal(number.status, 400);
  assert.match((await number.json()).error.message, /un solo valore di testo, non un numero/);
  // A wrong tax code reads as an unknown code.
  const wrong = await lookup({ code: row.receiptCode, taxCode: "BNCGLI50C54H501K" });
  assert.equal(wrong.status, 404);
  assert.match((await wrong.json()).error.message, /Nessuna richiesta/);
});

Deno.test("pages say how many there are and which comes next", async () => {
  const records = Array.from({ length: 5 }, (_, i) => dossier({ year: 1980 + i }));
  await using world = await createTestWorld({ records });
  const { url } = await world.serve();
  const seen: string[] = [];
  let page: number | null = 1;
  while (page !== null) {
    const res = await fetch(`${url}/api/search?q=ampliamento&per_page=2&page=${page}`);
    const body: { total: number; pages: number; hits: { id: string }[]; next_page: number | null } =
      await res.json();
    assert.equal(body.total, 5);
    assert.equal(body.pages, 3);
    seen.push(...body.hits.map((h) => h.id));
    page = body.next_page;
  }
  assert.equal(seen.length, 5);
  assert.deepEqual([...new Set(seen)].sort(), records.map((r) => r.id).sort());
});

Deno.test("past the rate limit the API answers 429 with Retry-After in the error shape", async () => {
  await using world = await createTestWorld({ config: { apiRatePerMinute: 3 } });
  const { url } = await world.serve();
  for (let i = 0; i < 3; i++) {
    const ok = await fetch(`${url}/api/search?q=roma`);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  }
  const refused = await fetch(`${url}/api/search?q=roma`);
  assert.equal(refused.status, 429);
  const wait = Number(refused.headers.get("Retry-After"));
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
  const body = await refused.json();
  assert.match(body.error.message, /Troppe richieste.*riprova tra \d+ secondi/);
  assert.equal(body.error.field, null);
});

Deno.test("the reference page shows every operation and schema, from this server only", async () => {
  const { world, url, doc } = await servedDocument();
  await using _ = world;
  const res = await fetch(`${url}/api/docs`);
  assert.equal(res.status, 200);
  const html = await res.text();
  for (const path of Object.keys(doc.paths as Json)) assert.ok(html.includes(path), path);
  for (const name of Object.keys((doc.components as Json).schemas as Json)) {
    assert.ok(html.includes(`id="schema-${name}"`), name);
  }
  assert.ok(html.includes("Retry-After"));
  // Nothing loaded from elsewhere: every src and stylesheet is a path on this server.
  for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
    assert.doesNotMatch(m[1] ?? "", /^(https?:)?\/\//, m[1] ?? "");
  }
});
