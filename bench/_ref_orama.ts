/**
 * The naive Orama reference of issue 3: the lean public fields, Italian stemming and
 * stopwords, limit 20 and a type facet, searched with Orama's defaults.
 */
import { create, insertMultiple, search } from "@orama/orama";
import { language, stemmer } from "@orama/stemmers/italian";
import { stopwords } from "@orama/stopwords/italian";
import type { ReferenceBuilder } from "./_references.ts";

/** An empty naive Orama index to fill page by page. */
export function naiveOramaBuilder(): ReferenceBuilder {
  const orama = create({
    schema: {
      kind: "string",
      protocol: "string",
      number: "string",
      year: "number",
      type: "string",
      status: "string",
      description: "string",
      address: "string",
      cadastral: "string",
    } as const,
    components: { tokenizer: { language, stemming: true, stemmer, stopWords: stopwords } },
  });
  return {
    name: "Orama naive",
    async add(page) {
      await insertMultiple(orama, page.map((d) => ({ ...d, id: `${d.kind}:${d.id}` })), 500);
    },
    done: (buildMs, indexed) => ({
      name: "Orama naive",
      buildMs,
      indexed,
      async query(c) {
        const decade = c.filters.decade ? Number(c.filters.decade) : undefined;
        const result = await search(orama, {
          term: c.q,
          limit: 20,
          facets: { type: {} },
          ...(c.filters.type || c.filters.status || decade !== undefined
            ? {
              where: {
                ...(c.filters.type ? { type: c.filters.type } : {}),
                ...(c.filters.status ? { status: c.filters.status } : {}),
                ...(decade !== undefined ? { year: { between: [decade, decade + 9] } } : {}),
              },
            }
            : {}),
        });
        return result.hits.map((h) => {
          // Orama ids are "kind:id"; the kind ends at the first colon (ids may hold more).
          const [kind = "", ...rest] = String(h.id).split(":");
          return { kind: kind === "act" ? "act" : "dossier", id: rest.join(":") };
        });
      },
      close() {},
    }),
  };
}
