/** The admin-edited vocabularies with their titles, for labels and for validating filters. */
import { asc } from "drizzle-orm";
import type { DbOrTx } from "./records.ts";
import { actKinds, recordTypes } from "./schema.ts";

/** Codes and their Italian titles, in a stable order. */
export interface Vocabularies {
  types: { code: string; title: string }[];
  actKinds: { code: string; title: string }[];
}

/** Dossier types and act kinds as they are now in the database. */
export async function readVocabularies(db: DbOrTx): Promise<Vocabularies> {
  const types = await db.select({ code: recordTypes.code, title: recordTypes.title })
    .from(recordTypes).orderBy(asc(recordTypes.code));
  const kinds = await db.select({ code: actKinds.code, title: actKinds.title })
    .from(actKinds).orderBy(asc(actKinds.code));
  return { types, actKinds: kinds };
}

/**
 * readVocabularies, re-read at most every `maxAgeMs`: every search request validates its
 * filters against them, and two queries per keystroke cost more than the search itself
 * once its answer is cached. They change only with a migration, so a few seconds of
 * staleness after one is harmless.
 */
export function recentVocabularies(
  db: DbOrTx,
  clock: () => Date,
  maxAgeMs = 10_000,
): () => Promise<Vocabularies> {
  let kept: { at: number; value: Promise<Vocabularies> } | undefined;
  return () => {
    const now = clock().getTime();
    if (!kept || now - kept.at > maxAgeMs || now < kept.at) {
      const value = readVocabularies(db);
      // A failed read is not kept: the next request tries again.
      value.catch(() => kept = undefined);
      kept = { at: now, value };
    }
    return kept.value;
  };
}

/** The title of a code, or the code itself when the vocabulary does not know it. */
export function titleOf(list: { code: string; title: string }[], code: string): string {
  return list.find((entry) => entry.code === code)?.title ?? code;
}
