/** Reading one record for the public: unknown, malformed and restricted ids look the same. */
import { HTTPException } from "hono/http-exception";
import type { Db } from "../db/client.ts";
import { readRecord } from "../db/records.ts";
import { type PublicAct, type PublicDossier, publicView } from "../domain/public_record.ts";
import type { RecordKind } from "../domain/records.ts";
import { NOT_FOUND_MESSAGE } from "./errors.tsx";
import type { Vocabularies } from "../db/vocabularies.ts";
import type { CameFrom } from "../views/record_nav.tsx";
import { hasFilters, searchUrl } from "../views/search_url.ts";
import { readSearchInput } from "./search.tsx";

// The import's id rule (DOMAIN §4): anything else cannot exist, so skip the query.
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** The public view of a record of `kind`, or undefined (unknown, malformed or restricted id). */
export async function findPublicRecord(
  db: Db,
  kind: RecordKind,
  id: string,
): Promise<PublicDossier | PublicAct | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  const doc = await readRecord(db, kind, id);
  return doc ? publicView(doc) : undefined;
}

/** The same 404 for every record the public may not see, so restricted ids are not revealed. */
export function recordNotFound(): HTTPException {
  return new HTTPException(404, { message: NOT_FOUND_MESSAGE });
}

/**
 * The search a record page was opened from (its query string rides on the record's URL), as
 * the URL of those results; undefined when there was none or it does not parse.
 */
export async function cameFrom(
  vocabularies: () => Promise<Vocabularies>,
  url: string,
): Promise<CameFrom | undefined> {
  if (!new URL(url).search) return undefined;
  try {
    const { params } = await readSearchInput(vocabularies, url);
    if (!params.q && !hasFilters(params)) return undefined;
    return { resultsUrl: searchUrl(params), q: params.q };
  } catch {
    return undefined; // a mangled link still shows the record, just without the way back
  }
}
