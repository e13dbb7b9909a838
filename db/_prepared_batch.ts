/**
 * Records turned into what their upsert needs (content hash, identifier keys, the JSON
 * text of every row) away from the thread that writes: the import's worker builds these,
 * the main thread only runs SQL on them (db/_prepared_write.ts). Everything is strings and
 * flat arrays so a batch crosses threads cheaply.
 */
import type { RecordDoc, RecordKind } from "../domain/records.ts";
import { identifierKeysOf } from "../domain/identifier_keys.ts";
import { jsonColumns, rowJson } from "./_json_rows.ts";
import { actToRows, dossierToRows } from "./_record_rows.ts";
import { contentHash } from "./records.ts";
import * as schema from "./schema.ts";

/** The tables whose rows a prepared record carries, each as one JSON text per record. */
export const CHILD_TABLES = {
  aliases: schema.dossierAliases,
  addresses: schema.dossierAddresses,
  cadastral: schema.dossierCadastral,
  people: schema.dossierPeople,
  documents: schema.documents,
  keys: schema.searchKeys,
} as const;

/** Name of a child table in a prepared batch. */
export type ChildTable = keyof typeof CHILD_TABLES;

/** The child tables in the order they are written. */
export const CHILD_ORDER = [
  "aliases",
  "addresses",
  "cadastral",
  "people",
  "documents",
  "keys",
] as const satisfies readonly ChildTable[];

/** Columns a main row (dossiers, acts) gets in the writing transaction, not in its JSON. */
export const STAMP_COLUMNS: ReadonlySet<string> = new Set(["seq", "updatedAt"]);

/** Records prepared for upsert, as parallel arrays indexed by position in the batch. */
export interface PreparedRecords {
  kinds: RecordKind[];
  ids: string[];
  hashes: string[];
  /** Line number of each record in the imported file. */
  lines: number[];
  /** JSON `[series, year, number]` of a dossier, "" for an act. */
  triples: string[];
  /** JSON array of the main row's columns without seq and updated_at. */
  mains: string[];
  /** Per table, the record's rows as comma-joined JSON arrays ("" when it has none). */
  children: Record<ChildTable, string[]>;
  /**
   * Per record, the files its documents name as JSON `[[field, file, sha256, bytes], …]`
   * ("" when none, or when the import stores no files).
   */
  files: string[];
}

/** JSON `[series, year, number]`: the unique triple of a dossier. */
export function tripleJson(series: string, year: number, number: string): string {
  return JSON.stringify([series, year, number]);
}

/** An empty prepared batch. */
export function emptyPrepared(): PreparedRecords {
  return {
    kinds: [],
    ids: [],
    hashes: [],
    lines: [],
    triples: [],
    mains: [],
    children: {
      aliases: [],
      addresses: [],
      cadastral: [],
      people: [],
      documents: [],
      keys: [],
    },
    files: [],
  };
}

const DOSSIER_MAIN = jsonColumns(schema.dossiers, STAMP_COLUMNS);
const ACT_MAIN = jsonColumns(schema.acts, STAMP_COLUMNS);
const CHILD_COLUMNS = {
  aliases: jsonColumns(CHILD_TABLES.aliases),
  addresses: jsonColumns(CHILD_TABLES.addresses),
  cadastral: jsonColumns(CHILD_TABLES.cadastral),
  people: jsonColumns(CHILD_TABLES.people),
  documents: jsonColumns(CHILD_TABLES.documents),
  keys: jsonColumns(CHILD_TABLES.keys),
} as const;

function rowsJson(table: ChildTable, rows: object[]): string {
  const columns = CHILD_COLUMNS[table];
  return rows.map((row) => rowJson(columns, row)).join(",");
}

/** Appends `doc` (read at `line`) to `out`. */
export function prepareRecord(
  out: PreparedRecords,
  doc: RecordDoc,
  line: number,
  withFiles = false,
): void {
  const hash = contentHash(doc);
  // Stamp placeholders: seq and updated_at are not in the JSON (STAMP_COLUMNS).
  const stamp = { contentHash: hash, updatedAt: "", seq: 0 };
  const c = out.children;
  out.kinds.push(doc.record);
  out.ids.push(doc.id);
  out.hashes.push(hash);
  out.lines.push(line);
  if (doc.record === "dossier") {
    const rows = dossierToRows(doc, stamp);
    out.triples.push(tripleJson(doc.series, doc.year, doc.number));
    out.mains.push(rowJson(DOSSIER_MAIN, rows.main));
    c.aliases.push(rowsJson("aliases", rows.aliases));
    c.addresses.push(rowsJson("addresses", rows.addresses));
    c.cadastral.push(rowsJson("cadastral", rows.cadastral));
    c.people.push(rowsJson("people", rows.people));
    c.documents.push(rowsJson("documents", rows.documents));
  } else {
    const rows = actToRows(doc, stamp);
    out.triples.push("");
    out.mains.push(rowJson(ACT_MAIN, rows.main));
    c.aliases.push("");
    c.addresses.push("");
    c.cadastral.push("");
    c.people.push("");
    c.documents.push(rowsJson("documents", rows.documents));
  }
  const keys = identifierKeysOf(doc).map((key) => ({
    key,
    recordKind: doc.record,
    recordId: doc.id,
  }));
  c.keys.push(rowsJson("keys", keys));
  out.files.push(withFiles ? namedFilesJson(doc) : "");
}

/** One file a record's line names, as the import checks it. */
export interface NamedFile {
  /** Where in the line: `documents[0].file`, `attachments[1].file`. */
  field: string;
  file: string;
  sha256: string;
  bytes: number;
}

function namedFilesJson(doc: RecordDoc): string {
  const [list, name] = doc.record === "dossier"
    ? [doc.documents, "documents"]
    : [doc.attachments, "attachments"];
  if (list.length === 0) return "";
  return JSON.stringify(list.map((d, i) => [`${name}[${i}].file`, d.file, d.sha256, d.bytes]));
}

/** The files a prepared record names (see `PreparedRecords.files`). */
export function namedFiles(p: PreparedRecords, i: number): NamedFile[] {
  const text = p.files[i];
  if (!text) return [];
  const rows: [string, string, string, number][] = JSON.parse(text);
  return rows.map(([field, file, sha256, bytes]) => ({ field, file, sha256, bytes }));
}

/** The refusal of a dossier whose (series, year, number) another id already holds. */
export function takenMessage(line: number, triple: string, owner: string): string {
  const [series, year, number] = JSON.parse(triple);
  return `riga ${line}: number: ${series} ${number}/${year} già usato dalla pratica ${owner}`;
}
