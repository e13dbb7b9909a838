/** Reading one record for the public: unknown, malformed and restricted ids look the same. */
import { UserFacingError } from "../domain/user_facing_error.ts";
import type { Db } from "../db/client.ts";
import { readRecord } from "../db/records.ts";
import { type PublicAct, type PublicDossier, publicView } from "../domain/public_record.ts";
import type { RecordKind } from "../domain/records.ts";
import { NOT_FOUND_MESSAGE } from "./errors.tsx";

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
  return new UserFacingError(NOT_FOUND_MESSAGE, { status: 404 });
}
