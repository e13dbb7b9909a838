/**
 * The public JSON API: the same search and the same privacy rule as the pages.
 * Errors come back as `{ error: { message, field } }` from the one error handler.
 */
import { Hono } from "hono";
import type { AppDeps } from "../app.ts";
import type { RecordKind } from "../domain/records.ts";
import { recentVocabularies, titleOf } from "../db/vocabularies.ts";
import { searchRecords } from "../search/search_records.ts";
import { ValidationError } from "./_validate.ts";
import { findPublicRecord, recordNotFound } from "./_public_record.ts";
import { readSearchInput } from "./search.tsx";

function kindsOf(raw: string | undefined): RecordKind[] {
  if (raw === undefined || raw === "") return ["dossier", "act"];
  if (raw === "dossier" || raw === "act") return [raw];
  throw new ValidationError("Tipo di record non valido: usare kind=dossier oppure kind=act", {
    field: "kind",
    status: 400,
  });
}

/** `/api/search` and `/api/records/:id`. */
export function apiRoutes({ db, index, clock }: AppDeps): Hono {
  const vocabularies = recentVocabularies(db, clock);
  return new Hono()
    .get("/search", async (c) => {
      const { params, vocab } = await readSearchInput(vocabularies, c.req.url);
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
    .get("/records/:id", async (c) => {
      for (const kind of kindsOf(c.req.query("kind"))) {
        const view = await findPublicRecord(db, kind, c.req.param("id"));
        if (view) return c.json(view);
      }
      throw recordNotFound();
    });
}
