/**
 * The public JSON API: the same search and the same privacy rule as the pages.
 * Errors come back as `{ error: { message, field } }` from the one error handler.
 */
import { Hono } from "hono";
import type { AppDeps } from "../app_deps.ts";
import type { RecordKind } from "../domain/records.ts";
import { recentVocabularies, titleOf } from "../db/vocabularies.ts";
import { searchRecords } from "../search/search_records.ts";
import { z } from "zod";
import { validate } from "./_validate.ts";
import { findPublicRecord, recordNotFound } from "./_public_record.ts";
import { searchQuery } from "./_search_query.ts";

// `kind` narrows a lookup to one kind of record; without it both are tried.
const recordQuery = z.object({
  kind: z.enum(["dossier", "act", ""], {
    error: "Tipo di record non valido: usare kind=dossier oppure kind=act",
  }).optional(),
});

const KINDS: RecordKind[] = ["dossier", "act"];

/** `/api/search` and `/api/records/:id`. */
export function apiRoutes({ db, index, clock }: AppDeps): Hono {
  const vocabularies = recentVocabularies(db, clock);
  return new Hono()
    .get("/search", validate("query", searchQuery(vocabularies)), async (c) => {
      const { params, vocab } = c.req.valid("query");
      const found = await searchRecords(db, index, params, "public", clock);
      // Type facets arrive as codes ("PDC"); the label says what the code means.
      const type = found.facets.type.map((f) => ({ ...f, label: titleOf(vocab.types, f.value) }));
      const result = { ...found, facets: { ...found.facets, type } };
      return c.json({
        total: result.total,
        page: result.page,
        per_page: result.perPage,
        interpretation: result.interpretation ?? null,
        hits: result.hits,
        facets: result.facets,
      });
    })
    .get("/records/:id", validate("query", recordQuery), async (c) => {
      const { kind } = c.req.valid("query");
      for (const one of kind ? [kind] : KINDS) {
        const view = await findPublicRecord(db, one, c.req.param("id"));
        if (view) return c.json(view);
      }
      throw recordNotFound();
    });
}
