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

/** The search parameters checked against the vocabularies `vocabularies()` returns. */
export function searchQuery(vocabularies: () => Promise<Vocabularies>) {
  return shape.transform(async (raw): Promise<SearchInput> => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(raw)) {
      for (const one of Array.isArray(value) ? value : [value ?? ""]) {
        if (one !== "") query.append(name, one);
      }
    }
    const vocab = await vocabularies();
    return { params: searchParamsOf(query, vocab), vocab };
  });
}

/** Parameters of a query string already checked for shape (the home page: none). */
export function searchParamsOf(query: URLSearchParams, vocab: Vocabularies): SearchParams {
  return parseSearchParams(query, {
    types: vocab.types.map((t) => t.code),
    actKinds: vocab.actKinds.map((k) => k.code),
  });
}
