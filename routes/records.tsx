/** `/pratiche/:id`: a dossier's public page, with links to its main dossier and its children. */
import { Hono } from "hono";
import type { AppDeps } from "../app_deps.ts";
import { publicChildDossiers } from "../db/record_links.ts";
import { readVocabularies, recentVocabularies, titleOf } from "../db/vocabularies.ts";
import { DossierPage } from "../views/record.tsx";
import { dataUpdatedAt } from "./_freshness.ts";
import { cameFrom, findPublicRecord, recordNotFound } from "./_public_record.ts";
import { recordSheet } from "./_record_sheet.ts";

/** The dossier pages. */
export function recordRoutes({ db, clock, config }: AppDeps): Hono {
  const vocabularies = recentVocabularies(db, clock);
  return new Hono().get("/:id", async (c) => {
    const dossier = await findPublicRecord(db, "dossier", c.req.param("id"));
    if (dossier?.record !== "dossier") throw recordNotFound();
    const parent = dossier.parentId
      ? await findPublicRecord(db, "dossier", dossier.parentId)
      : undefined;
    const children = await publicChildDossiers(db, dossier.id);
    const vocab = await readVocabularies(db);
    return c.html(
      <DossierPage
        dossier={dossier}
        typeTitle={titleOf(vocab.types, dossier.type)}
        parent={parent?.record === "dossier" ? parent : undefined}
        childDossiers={children}
        dataUpdatedAt={await dataUpdatedAt(db)}
        from={await cameFrom(vocabularies, c.req.url)}
        sheet={await recordSheet(c, config, clock, "dossier", dossier.id)}
      />,
    );
  });
}
