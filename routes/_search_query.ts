/**
 * The search parameters as a schema: the shape (one value per scalar, bounded; control
 * characters made spaces in the free text, refused in codes and numbers) first, then the
 * vocabulary checks of parseSearchParams, which throw their own SearchInputError (a 400
 * naming the parameter).
 */
import { z } from "zod";
import type { Vocabularies } from "../db/vocabularies.ts";
import type { Messages } from "../i18n/it.ts";
import { localMessage } from "../i18n/local_message.ts";
import { parseSearchParams, type SearchParams } from "../search/types.ts";
import { optionalCode, optionalText } from "./_fields.ts";

// A parameter's name in messages, in the request's language (`misc.searchLabels`).
type Label = keyof Messages["misc"]["searchLabels"];
const labelOf = (label: Label) => (t: Messages) => t.misc.searchLabels[label];
// What a person types (the box) or picks among stored values (a place, an office): cleaned.
const words = (label: Label) => optionalText(labelOf(label), { max: 1000 });
// A code, a number or a choice from a fixed list: a control character is refused.
const scalar = (label: Label) => optionalCode(labelOf(label), { max: 1000 });

/** The query parameters the search reads; anything else in the URL is ignored. */
const shape = z.object({
  q: words("q").meta({
    description: "What to look for: words of the subject, an address, an identifier " +
      '("CE 452/1987", "prot. 1234/1987", "fg 12 part 345"). At most 200 characters.',
    examples: ["ampliamento autorimessa"],
  }),
  kind: scalar("kind").meta({ description: "`dossier` or `act`." }),
  type: z.union([scalar("type"), z.array(scalar("type")).max(20)], {
    error: localMessage((t) => t.misc.searchInput.tooManyTypes(20)),
  }).optional().meta({
    description: "Dossier type code (repeat the parameter for several), see `facets.type`.",
  }),
  decade: scalar("decade").meta({ description: "First year of a decade, e.g. 1980." }),
  year_from: scalar("yearFrom").meta({ description: "From this year (4 digits)." }),
  year_to: scalar("yearTo").meta({ description: "Up to this year (4 digits)." }),
  locality: words("locality").meta({ description: "A locality, see `facets.locality`." }),
  status: scalar("status").meta({ description: "A dossier outcome, see `facets.status`." }),
  act_kind: scalar("actKind").meta({ description: "An act kind code, see `facets.actKind`." }),
  office: words("office").meta({ description: "The office of an act, see `facets.office`." }),
  sort: scalar("sort").meta({
    description: "`relevance` (default) or `number` (by year, then number).",
  }),
  page: scalar("page").meta({
    description: "Page number, from 1 (default 1). A page past the last is refused (400).",
  }),
  per_page: scalar("perPage").meta({
    description: "Results per page, 1 to 100 (default 20).",
  }),
});

/** What a search route gets from `c.req.valid(...)`. */
export interface SearchInput {
  params: SearchParams;
  vocab: Vocabularies;
}

type RawSearch = z.output<typeof shape>;

async function searchInputOf(
  raw: RawSearch,
  vocabularies: () => Promise<Vocabularies>,
): Promise<SearchInput> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(raw)) {
    for (const one of Array.isArray(value) ? value : [value ?? ""]) {
      if (one !== "") query.append(name, one);
    }
  }
  const vocab = await vocabularies();
  return { params: searchParamsOf(query, vocab), vocab };
}

/** The search parameters checked against the vocabularies `vocabularies()` returns. */
export function searchQuery(vocabularies: () => Promise<Vocabularies>) {
  return shape.transform((raw) => searchInputOf(raw, vocabularies));
}

const NAMES = Object.keys(shape.shape) as (keyof RawSearch)[];
const MAX_TYPES = 20;
const MAX_LENGTH = 1000;
// What `shape` would clean or refuse in some field: control characters, U+FFFD, surrogates.
// deno-lint-ignore no-control-regex
const NOT_PLAIN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffd\ud800-\udfff]/;

const plain = (v: unknown): v is string =>
  typeof v === "string" && v.length <= MAX_LENGTH && !NOT_PLAIN.test(v);

/**
 * The output `shape` gives for a query string whose every value is plain (one value per
 * scalar, at most 1,000 characters, no character any field cleans or refuses): each value
 * trimmed, a missing one ""; undefined for anything else, which `shape`
 * itself then reads, with its messages. Parsing the query through zod was 6 % of a 1M kiosk's
 * busy time under search load; tests/search_query_fast_test.ts checks that both agree.
 */
export function plainSearchQuery(value: Record<string, unknown>): RawSearch | undefined {
  const out: Record<string, string | string[]> = {};
  for (const name of NAMES) {
    const v = value[name];
    if (v === undefined) out[name] = "";
    else if (plain(v)) out[name] = v.trim();
    else if (name === "type" && Array.isArray(v) && v.length <= MAX_TYPES && v.every(plain)) {
      out[name] = v.map((one: string) => one.trim());
    } else return undefined;
  }
  return out as RawSearch;
}

/**
 * searchQuery's answer without zod when the query string is plain (plainSearchQuery);
 * undefined when the schema must read it.
 */
export function fastSearchQuery(vocabularies: () => Promise<Vocabularies>) {
  return (value: Record<string, unknown>): Promise<SearchInput> | undefined => {
    const raw = plainSearchQuery(value);
    return raw && searchInputOf(raw, vocabularies);
  };
}

/** Parameters of a query string already checked for shape (the home page: none). */
export function searchParamsOf(query: URLSearchParams, vocab: Vocabularies): SearchParams {
  return parseSearchParams(query, {
    types: vocab.types.map((t) => t.code),
    actKinds: vocab.actKinds.map((k) => k.code),
  });
}
