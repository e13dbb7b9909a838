/** Links between dossiers (variante, proroga, voltura… point at their main dossier). */
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "./records.ts";
import { dossiers } from "./schema.ts";

/** A linked dossier, with just enough to name it. */
export interface DossierLink {
  id: string;
  type: string;
  number: string;
  year: number;
}

/** Public (not restricted) dossiers whose parent is `parentId`, oldest first. */
export function publicChildDossiers(db: DbOrTx, parentId: string): Promise<DossierLink[]> {
  return db.select({
    id: dossiers.id,
    type: dossiers.type,
    number: dossiers.number,
    year: dossiers.year,
  }).from(dossiers)
    .where(and(eq(dossiers.parentId, parentId), eq(dossiers.restricted, false)))
    .orderBy(asc(dossiers.year), asc(dossiers.id));
}
