/**
 * RecordDoc → one JSONL import line (DOMAIN.md §4, snake_case): the inverse of
 * validate_record.ts, used to write the demo archive and any export in the import format.
 */
import type { DocumentRef, Person, RecordDoc } from "./records.ts";

type Line = Record<string, unknown>;

// The camelCase doc fields that differ in the format; a lookup beats a regex per key.
const SNAKE: Record<string, string> = {
  protocolNumber: "protocol_number",
  protocolDate: "protocol_date",
  parentId: "parent_id",
  subjectPublic: "subject_public",
  submittedOn: "submitted_on",
  issuedOn: "issued_on",
  worksStartedOn: "works_started_on",
  worksEndedOn: "works_ended_on",
  taxCode: "tax_code",
  publishedFrom: "published_from",
  publishedTo: "published_to",
};

/** Keys in camelCase → snake_case, dropping undefined values. */
function snake(o: object): Line {
  const out: Line = {};
  for (const [key, value] of Object.entries(o)) {
    if (value !== undefined) {
      out[SNAKE[key] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
    }
  }
  return out;
}

function person(p: Person): Line {
  // taxCodeVerified is derived at import, not part of the format.
  const { taxCodeVerified: _derived, ...rest } = p;
  return snake(rest);
}

function document(d: DocumentRef): Line {
  return snake(d);
}

/** The import-format object of a record (JSON.stringify it for one line). */
export function toImportJson(doc: RecordDoc): Line {
  if (doc.record === "act") {
    return snake({ ...doc, attachments: doc.attachments.map(document) });
  }
  return snake({
    ...doc,
    people: doc.people.map(person),
    documents: doc.documents.map(document),
  });
}

/** One JSONL line (no newline) of a record. */
export function toImportLine(doc: RecordDoc): string {
  return JSON.stringify(toImportJson(doc));
}
