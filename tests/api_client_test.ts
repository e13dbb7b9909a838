/**
 * A professional's script against a real server on loopback: it reads /api/openapi.json,
 * generates its types with openapi-typescript, and finds a dossier through an openapi-fetch
 * client typed by them. The script is type-checked and run as a separate Deno process, so the
 * generated types must fit what it does and the server must answer what they say.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { createTestWorld } from "./_world.ts";
import { act, dossier } from "./fixtures.ts";

const CONFIG = fileURLToPath(new URL("../deno.json", import.meta.url));

// What a surveyor would write: search by the dossier's identifier, open the first dossier.
const SCRIPT = `
import createClient from "openapi-fetch";
import type { paths } from "./faldone.d.ts";

const client = createClient<paths>({ baseUrl: Deno.args[0] ?? "" });
const found = await client.GET("/api/search", {
  params: { query: { q: "CE 452/1987", per_page: "5" } },
});
if (!found.data) throw new Error(found.error?.error.message ?? "search failed");
const hit = found.data.hits.find((h) => h.kind === "dossier");
if (!hit) throw new Error("no dossier found");
const { data, error, response } = await client.GET("/api/dossiers/{id}", {
  params: { path: { id: hit.id } },
});
if (!data) throw new Error(error?.error.message ?? "dossier failed");
// The generated types know no people: reading them is a type error.
// @ts-expect-error \`people\` is not part of the public dossier
void data.people;
const missing = await client.GET("/api/dossiers/{id}", { params: { path: { id: "nessuno" } } });
console.log(JSON.stringify({
  status: response.status,
  title: hit.title,
  id: data.id,
  year: data.year,
  outcome: data.status,
  roles: data.roles,
  street: data.addresses[0]?.street,
  total: found.data.total,
  missing: [missing.response.status, missing.error?.error.message ?? ""],
}));
`;

async function deno(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder();
  return { code, out: text.decode(stdout), err: text.decode(stderr) };
}

Deno.test("a script with a client generated from /api/openapi.json finds a dossier", async () => {
  await using world = await createTestWorld({
    records: [
      dossier({ id: "pe-ce-1987-452", number: "452", year: 1987 }),
      dossier({ number: "453", year: 1987 }),
      act(),
    ],
  });
  const { url } = await world.serve();
  const dir = await Deno.makeTempDir({ prefix: "faldone-api-client-" });
  try {
    const doc = await (await fetch(`${url}/api/openapi.json`)).text();
    const types = astToString(await openapiTS(doc));
    assert.match(types, /"\/api\/dossiers\/\{id\}"/);
    await Deno.writeTextFile(`${dir}/faldone.d.ts`, types);
    await Deno.writeTextFile(`${dir}/find_dossier.ts`, SCRIPT);
    const checked = await deno(["check", "--config", CONFIG, `${dir}/find_dossier.ts`]);
    assert.equal(checked.code, 0, `the script does not fit the generated types:\n${checked.err}`);
    const run = await deno([
      "run",
      "--config",
      CONFIG,
      "--no-check",
      "--allow-net=127.0.0.1",
      `${dir}/find_dossier.ts`,
      url,
    ]);
    assert.equal(run.code, 0, run.err);
    const got = JSON.parse(run.out);
    assert.equal(got.status, 200);
    assert.equal(got.id, "pe-ce-1987-452");
    assert.equal(got.title, "CE 452/1987");
    assert.equal(got.year, 1987);
    assert.equal(got.outcome, "issued");
    assert.deepEqual(got.roles, ["richiedente", "progettista"]);
    assert.equal(got.street, "Via Roma");
    assert.equal(got.missing[0], 404);
    assert.match(got.missing[1], /non esiste/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
