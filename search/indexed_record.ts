/**
 * What the index files of one record, worked out from its row alone: the public and clerk
 * words (redaction, Italian analysis), the facet values, the number's sort forms and the
 * addresses. A pure function of the row, so the build can work it out in a worker
 * (index_source.ts) while the main thread files the page before (record_index.ts addIndexed):
 * at 1M dossiers reading the rows and this analysis were about 60 % of the build's CPU.
 */
import { isPublicRecord, publicSubject } from "../domain/public_record.ts";
import type { Address } from "../domain/records.ts";
import { indexWords } from "./italian_text.ts";
import type { SearchRow } from "./search_rows.ts";

/** One record as the index files it; every field a plain value (it crosses to a worker). */
export interface IndexedRecord {
  record: "dossier" | "act";
  id: string;
  /** The number lowercased (sorting and exact match), and its leading integer. */
  number: string;
  numberInt: number;
  year: number;
  /** Not restricted: the record is in public search. */
  visible: boolean;
  /** Facet values (undefined: none). An act's kind is its series too. */
  type?: string | undefined;
  status?: string | undefined;
  series?: string | undefined;
  locality?: string | undefined;
  actKind?: string | undefined;
  office?: string | undefined;
  /** A dossier's addresses, for the street dictionary. */
  addresses: Address[];
  /**
   * Texts publicView shows (none for a restricted record), split into words where they are
   * filed (indexWords): a text crosses from the worker cheaper than its words, and the
   * splitting evens out the two threads' shares.
   */
  publicTexts: string[];
  /** The subject as written when the public one differs: the clerk's words, split likewise. */
  clerkText: string;
  /** The clerk's words of the people (names split, e-mails and tax codes whole). */
  peopleWords: string[];
}

function personWords(doc: SearchRow): string[] {
  if (doc.record === "act") return [];
  const words: string[] = [];
  for (const p of doc.people) {
    for (const field of [p.surname, p.name, p.company]) if (field) words.push(...indexWords(field));
    if (p.email) words.push(p.email.toLowerCase(), ...indexWords(p.email));
    if (p.taxCode) words.push(p.taxCode.toLowerCase().replace(/\s+/g, ""));
  }
  return words;
}

/** What the index files of `doc` (a whole RecordDoc fits too). */
export function analyseRecord(doc: SearchRow): IndexedRecord {
  // The public text is exactly what publicView shows (publicSubject is its subject), and
  // restricted records get none: nothing else of the record enters publicText.
  const visible = isPublicRecord(doc);
  const shown = !visible ? undefined : doc.record === "act" ? doc.subject : publicSubject(doc);
  const publicTexts = shown ? [shown] : [];
  // An act's text is published with personal data already left out (omissis, DOMAIN §2.2):
  // citizens search it too. Its words rank like the subject's.
  if (shown && doc.record === "act" && doc.text) publicTexts.push(doc.text);
  // The clerk searches the public postings plus these: people, and the subject as written
  // when the public one differs (redacted, replaced or restricted).
  const out: IndexedRecord = {
    record: doc.record,
    id: doc.id,
    number: doc.number.toLowerCase(),
    numberInt: parseInt(doc.number, 10) || 0,
    year: doc.year,
    visible,
    addresses: [],
    publicTexts,
    clerkText: shown === doc.subject ? "" : doc.subject ?? "",
    peopleWords: personWords(doc),
  };
  if (doc.record === "dossier") {
    out.type = doc.type;
    out.status = doc.status;
    out.series = doc.series;
    const current = doc.addresses.find((a) => !a.historic) ?? doc.addresses[0];
    out.locality = current?.locality;
    out.addresses = doc.addresses;
  } else {
    out.series = doc.kind;
    out.actKind = doc.kind;
    out.office = doc.office;
  }
  return out;
}
