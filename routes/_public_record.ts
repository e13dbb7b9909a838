/** Reading one record for the public: unknown, malformed and restricted ids look the same. */
import { UserFacingError } from "../domain/user_facing_error.ts";
import type { Db } from "../db/client.ts";
import { readRecord } from "../db/records.ts";
import { type PublicAct, type PublicDossier, publicView } from "../domain/public_record.ts";
import type { RecordKind } from "../domain/records.ts";
import type { Vocabularies } from "../db/vocabularies.ts";
import type { CameFrom } from "../views/record_nav.tsx";
import { hasFilters, searchUrl } from "../views/search_url.ts";
import { searchQuery } from "./_search_query.ts";

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
export function recordNotFound(): UserFacingError {
  return new UserFacingError((t) => t.errors.notFound, { status: 404 });
}

/**
 * The search a record page was opened from (its query string rides on the record's URL), as
 * the URL of those results; undefined when there was none or it does not parse.
 */
export async function cameFrom(
  vocabularies: () => Promise<Vocabularies>,
  url: string,
): Promise<CameFrom | undefined> {
  const query = new URL(url).searchParams;
  if (query.size === 0) return undefined;
  // The same schema as the search's own edge, read leniently: a bad link only loses the way back.
  const raw: Record<string, string | string[]> = {};
  for (const name of new Set(query.keys())) {
    const all = query.getAll(name);
    raw[name] = all.length === 1 ? all[0] ?? "" : all;
  }
  try {
    const parsed = await searchQuery(vocabularies).safeParseAsync(raw);
    if (!parsed.success) return undefined;
    const { params } = parsed.data;
    if (!params.q && !hasFilters(params)) return undefined;
    return { resultsUrl: searchUrl(params), q: params.q };
  } catch {
    return undefined; // a mangled link still shows the record, just without the way back
  }
}
