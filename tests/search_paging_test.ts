/** Pages past the hits a query orders at once come out as a full sort would give them. */
import assert from "node:assert/strict";
import type { DossierDoc } from "../domain/records.ts";
import { createSearchWorld, dossier } from "./_search_world.ts";

const EXTRA = ["casa", "garage", "tettoia", "veranda", "soppalco"];

/** 300 dossiers that all hold "ampliamento", some twice as relevant, over many years. */
function records(): DossierDoc[] {
  return Array.from({ length: 300 }, (_, i) =>
    dossier({
      id: `d${i}`,
      type: i % 3 === 0 ? "PDC" : "CE",
      number: String(i + 1),
      year: 1950 + (i * 7) % 70,
      subject: `Ampliamento ${EXTRA[i % EXTRA.length]}${i % 4 === 0 ? " e ampliamento" : ""}`,
    }));
}

async function pages(
  search: (q: string, extra: Record<string, string>) => Promise<{ hits: { id: string }[] }>,
  q: string,
  extra: Record<string, string>,
  order: number[],
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const page of order) {
    const result = await search(q, { ...extra, per_page: "20", page: String(page) });
    out.set(page, result.hits.map((h) => h.id));
  }
  return out;
}

Deno.test("paging far past the hits ordered at once gives the pages of a full sort", async () => {
  await using partial = await createSearchWorld(records(), { orderedAtOnce: 10 });
  await using full = await createSearchWorld(records());
  const cases = [{}, { type: "PDC" }, { decade: "1970" }, { sort: "number" }].flatMap((extra) => // An empty box with filters lists every record, newest first: ordered lazily too.
  [{ q: "ampliamento", extra }, { q: "", extra: { kind: "dossier", ...extra } }]);
  for (const { q, extra } of cases) {
    // Page 1 first (within the ordered lead), then a jump far past it, then back.
    const total = (await full.search(q, extra)).total;
    const visit = [1, 2, 9, 3, 15, 1].filter((page) => (page - 1) * 20 < total);
    assert.ok(visit.includes(3), `${JSON.stringify(extra)} has at least three pages`);
    const expected = await pages(full.search, q, extra, visit);
    const got = await pages(partial.search, q, extra, visit);
    for (const page of visit) {
      assert.deepEqual(
        got.get(page),
        expected.get(page),
        `page ${page} of ${JSON.stringify(extra)}`,
      );
    }
  }
  const every = await full.search("ampliamento", { per_page: "100", page: "3" });
  assert.equal(every.hits.length, 100, "all 300 dossiers match");
});

Deno.test("a filter that leaves few of the ordered lead still fills its first page in order", async () => {
  await using partial = await createSearchWorld(records(), { orderedAtOnce: 10 });
  await using full = await createSearchWorld(records());
  const extra = { decade: "2010", per_page: "20" };
  const want = (await full.search("ampliamento soppalco", extra)).hits.map((h) => h.id);
  const got = (await partial.search("ampliamento soppalco", extra)).hits.map((h) => h.id);
  assert.ok(want.length > 0);
  assert.deepEqual(got, want);
});
