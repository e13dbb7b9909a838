/** `/atti/:id`: a council act's public page. */
import { Hono } from "hono";
import type { AppDeps } from "../app_deps.ts";
import { readVocabularies, recentVocabularies, titleOf } from "../db/vocabularies.ts";
import { ActPage } from "../views/act.tsx";
import { dataUpdatedAt } from "./_freshness.ts";
import { cameFrom, findPublicRecord, recordNotFound } from "./_public_record.ts";
import { recordSheet } from "./_record_sheet.ts";

/** The act pages. */
export function actRoutes({ db, clock, config }: AppDeps): Hono {
  const vocabularies = recentVocabularies(db, clock);
  return new Hono().get("/:id", async (c) => {
    const act = await findPublicRecord(db, "act", c.req.param("id"));
    if (act?.record !== "act") throw recordNotFound();
    const vocab = await readVocabularies(db);
    return c.html(
      <ActPage
        act={act}
        kindTitle={titleOf(vocab.actKinds, act.kind)}
        dataUpdatedAt={await dataUpdatedAt(db)}
        from={await cameFrom(vocabularies, c.req.url)}
        sheet={await recordSheet(c, config, clock, "act", act.id)}
      />,
    );
  });
}
