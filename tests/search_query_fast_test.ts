/**
 * The search query string read without zod (routes/_search_query.ts plainSearchQuery) gives
 * exactly what the schema gives, and hands the schema whatever it would clean or refuse.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { plainSearchQuery, searchQuery } from "../routes/_search_query.ts";
import type { Vocabularies } from "../db/vocabularies.ts";

const vocab = {
  types: [{ code: "CE", title: "Concessione edilizia" }, { code: "PDC", title: "Permesso" }],
  actKinds: [{ code: "DCC", title: "Delibera" }],
} as unknown as Vocabularies;
const schema = searchQuery(() => Promise.resolve(vocab));
// The schema's first step, before the vocabulary checks: what plainSearchQuery stands for.
const shape = (schema as unknown as { _zod: { def: { in: z.ZodType } } })._zod.def.in;

/** A query string as hono's validator hands it over: one value a string, repeated a list. */
function valueOf(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const before = out[name];
    out[name] = before === undefined ? value : [...[before].flat(), value];
  }
  return out;
}

const PLAIN = [
  "",
  "q=costruzione",
  "q=  via%20delle%20fornaci 28  ",
  "q=prot.+1234%2F1987&kind=dossier",
  "q=citt%C3%A0+d%27arte&locality=Borgo+San+Paolo",
  "q=ampliamento&type=CE",
  "q=ampliamento&type=CE&type=PDC",
  "q=x&decade=1980&year_from=1950&year_to=1990&status=issued&sort=number&page=2&per_page=50",
  "q=x&act_kind=DCC&office=Ufficio+tecnico&kind=act",
  "q=%C2%A0spazio+non+separabile%C2%A0",
  "unknown=1&q=parola",
  "q=" + "a".repeat(1000),
  "page=abc&per_page=-3",
];

const NOT_PLAIN = [
  "q=a&q=b",
  "kind=dossier&kind=act",
  "q=" + "a".repeat(1001),
  "q=uno%01due",
  "q=tab%09qui",
  "q=riga%0Anuova",
  "q=%EF%BF%BD",
  "q=%E2%80%A8",
  "q=%EF%BB%BFbom",
  "q=emoji+%F0%9F%98%80",
  "type=" + Array.from({ length: 21 }, () => "CE").join("&type="),
  "type=CE&type=P%01DC",
  "locality=%C2%85",
];

Deno.test("a plain search query string reads as the schema reads it", async () => {
  for (const query of PLAIN) {
    const value = valueOf(query);
    const fast = plainSearchQuery(value);
    assert.ok(fast, `read without zod: ${query.slice(0, 60)}`);
    assert.deepEqual(fast, await shape.parseAsync(value), query.slice(0, 60));
  }
});

Deno.test("what the schema would clean or refuse is left to the schema", async () => {
  for (const query of NOT_PLAIN) {
    const value = valueOf(query);
    assert.equal(plainSearchQuery(value), undefined, query.slice(0, 60));
    // Still answered: cleaned, or refused with the schema's message.
    const parsed = await shape.safeParseAsync(value);
    assert.ok(parsed.success || parsed.error.issues.length > 0);
  }
});
