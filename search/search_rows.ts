/**
 * Records as search reads them: only the fields it uses, one query for a whole page. The
 * build reads 300k dossiers in keyset pages, a result page reads its 20 by id. Reading whole
 * documents (six queries, every column mapped) took most of the build and 10–25 ms per
 * uncached result page on a busy machine.
 *
 * Each record comes back as ONE JSON text built by SQLite (json_object, children by
 * json_group_array) and parsed once: libSQL builds a JS object per row and a property per
 * column, which cost more. JSON quotes whatever the data holds. The reader used to join the
 * fields with char(31)/char(30)/char(29) and split on them in JS: a subject holding one of
 * those bytes shifted the fields, `restricted` read false and a restricted dossier became
 * public (issue 9).
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { Address, CadastralRef, DossierStatus, Person } from "../domain/records.ts";
import { DOSSIER_STATUSES } from "../domain/records.ts";

/** What the index reads of a dossier: its words, facets, streets and public redaction. */
export interface SearchDossierRow {
  record: "dossier";
  id: string;
  series: string;
  type: string;
  number: string;
  year: number;
  protocolNumber?: string;
  protocolDate?: string;
  subject?: string;
  subjectPublic?: string;
  addresses: Address[];
  /** For the clerk's words and to blank the dossier's own people out of the public subject. */
  people: Person[];
  status: DossierStatus;
  restricted: boolean;
}

/** What a result card shows of a dossier: the index's fields and its cadastral references. */
export interface HitDossierRow extends SearchDossierRow {
  cadastral: CadastralRef[];
}

/** What a result card shows of an act. */
export interface HitActRow {
  record: "act";
  id: string;
  kind: string;
  number: string;
  year: number;
  date: string;
  office?: string;
  subject: string;
  restricted: boolean;
}

/** What the index reads of an act: the card's fields and its published text. */
export interface SearchActRow extends HitActRow {
  text?: string;
}

/** A record as the index reads it (a whole RecordDoc fits too). */
export type SearchRow = SearchDossierRow | SearchActRow;
/** A record as a result card reads it (a whole RecordDoc fits too). */
export type HitRow = HitDossierRow | HitActRow;

/** Which records: the next keyset page after an id (the build), or these ids (a result page). */
export type Which = { after: string; limit: number } | { ids: string[] };

function where(which: Which, id: SQL): SQL {
  return "ids" in which
    ? sql`${id} IN (SELECT value FROM json_each(${JSON.stringify(which.ids)}))`
    : sql`${id} > ${which.after} ORDER BY ${id} LIMIT ${which.limit}`;
}

/**
 * Restricted unless the column holds exactly 0: a row written around the import (legacy
 * sync data, a hand edit) with NULL, 2 or text in it stays out of public view.
 */
export function restrictedFlag(value: unknown): boolean {
  return value !== 0;
}

function statusOf(v: unknown): DossierStatus {
  return DOSSIER_STATUSES.find((s) => s === v) ?? "unknown";
}

// The JSON as SQLite writes it: NULL columns come as null, numbers as numbers. A record is
// an object; its child rows are arrays of cells in the order the query lists them (no key
// names: a dossier has about five children, and naming each cell cost 10 % of the build).
type Raw = Record<string, unknown>;
type Cells = unknown[];

function str(v: unknown): string {
  return typeof v === "string" ? v : v === null || v === undefined ? "" : String(v);
}

function opt(v: unknown): string | undefined {
  return v === null || v === undefined || v === "" ? undefined : str(v);
}

function rowsOf(v: unknown): Cells[] {
  return Array.isArray(v) ? v : [];
}

function toAddress(a: Cells): Address {
  const out: Address = { street: str(a[0]) };
  const civic = opt(a[1]), locality = opt(a[2]);
  if (civic !== undefined) out.civic = civic;
  if (locality !== undefined) out.locality = locality;
  if (a[3] === 1) out.historic = true;
  return out;
}

function toPerson(p: Cells): Person {
  const out: Person = { role: str(p[0]) };
  const surname = opt(p[1]), name = opt(p[2]), company = opt(p[3]);
  const taxCode = opt(p[4]), email = opt(p[5]), phone = opt(p[6]);
  if (surname !== undefined) out.surname = surname;
  if (name !== undefined) out.name = name;
  if (company !== undefined) out.company = company;
  if (taxCode !== undefined) out.taxCode = taxCode;
  if (email !== undefined) out.email = email;
  if (phone !== undefined) out.phone = phone;
  return out;
}

function toCadastral(c: Cells): CadastralRef {
  const out: CadastralRef = {
    register: c[0] === "NCT" ? "NCT" : "NCEU",
    sheet: str(c[2]),
    parcel: str(c[3]),
  };
  const section = opt(c[1]), sub = opt(c[4]);
  if (section !== undefined) out.section = section;
  if (sub !== undefined) out.sub = sub;
  return out;
}

// json() keeps a subquery's JSON as JSON inside json_object (a subquery drops the subtype and
// the list would come back as a quoted string).
const ADDRESSES = sql`json((SELECT json_group_array(
    json_array(a.street, a.civic, a.locality, a.historic))
  FROM dossier_addresses a WHERE a.dossier_id = d.id))`;
const PEOPLE = sql`json((SELECT json_group_array(
    json_array(p.role, p.surname, p.name, p.company, p.tax_code, p.email, p.phone))
  FROM dossier_people p WHERE p.dossier_id = d.id))`;
// Result cards show cadastral references; the build does not index them (identifiers are
// looked up in search_keys), so it spares a subquery per dossier.
const CADASTRAL = sql`, 'cadastral', json((SELECT json_group_array(
    json_array(c.register, c.section, c.sheet, c.parcel, c.sub))
  FROM dossier_cadastral c WHERE c.dossier_id = d.id))`;

async function dossierRows(db: Db, which: Which, cadastral: boolean): Promise<Raw[]> {
  const rows: { r: string }[] = await db.all(sql`SELECT json_object('id', d.id,
    'series', d.series, 'type', d.type, 'number', d.number, 'year', d.year,
    'subject', d.subject, 'subjectPublic', d.subject_public, 'status', d.status,
    'restricted', d.restricted, 'protocolNumber', d.protocol_number,
    'protocolDate', d.protocol_date, 'addresses', ${ADDRESSES}, 'people', ${PEOPLE}
    ${cadastral ? CADASTRAL : sql``}) AS r
    FROM dossiers d WHERE ${where(which, sql`d.id`)}`);
  return rows.map((row) => JSON.parse(row.r));
}

// Plain assignments, not spreads: the build maps 300 pages of these.
function toDossier(m: Raw): SearchDossierRow {
  const doc: SearchDossierRow = {
    record: "dossier",
    id: str(m.id),
    series: str(m.series),
    type: str(m.type),
    number: str(m.number),
    year: Number(m.year),
    status: statusOf(m.status),
    restricted: restrictedFlag(m.restricted),
    addresses: rowsOf(m.addresses).map(toAddress),
    people: rowsOf(m.people).map(toPerson),
  };
  const subject = opt(m.subject), subjectPublic = opt(m.subjectPublic);
  const protocolNumber = opt(m.protocolNumber), protocolDate = opt(m.protocolDate);
  if (subject !== undefined) doc.subject = subject;
  if (subjectPublic !== undefined) doc.subjectPublic = subjectPublic;
  if (protocolNumber !== undefined) doc.protocolNumber = protocolNumber;
  if (protocolDate !== undefined) doc.protocolDate = protocolDate;
  return doc;
}

// The build's keyset page reads each child table once, as one JSON text over the page's id
// range, instead of a correlated subquery per dossier (a B-tree descent per dossier and child
// table): in the sqlite3 shell up to 0.3 s less CPU per 200,000 dossiers (of about 2.5 s), and
// the build's worker about 4 % less CPU at 1M relative to the main thread. Rows in the primary
// key's order (dossier, position), as the subqueries returned them.
const PAGE_ADDRESSES = sql`json_array(a.dossier_id, a.street, a.civic, a.locality, a.historic)`;
const PAGE_PEOPLE =
  sql`json_array(a.dossier_id, a.role, a.surname, a.name, a.company, a.tax_code, a.email, a.phone)`;

/** A child table's rows of the dossiers in (after, last], grouped by dossier, cells in order. */
async function childrenOf(
  db: Db,
  table: SQL,
  cells: SQL,
  after: string,
  last: string,
): Promise<Map<unknown, Cells[]>> {
  const [row] = await db.all<{ r: string | null }>(sql`SELECT json_group_array(${cells}) AS r
    FROM (SELECT * FROM ${table} WHERE dossier_id > ${after} AND dossier_id <= ${last}
      ORDER BY dossier_id, position) a`);
  const byDossier = new Map<unknown, Cells[]>();
  for (const cells of rowsOf(row?.r ? JSON.parse(row.r) : [])) {
    // A child row of no dossier on the page (an orphan between two ids) is never asked for.
    const id = cells.shift();
    const list = byDossier.get(id);
    if (list) list.push(cells);
    else byDossier.set(id, [cells]);
  }
  return byDossier;
}

/** The next keyset page of dossiers as the index reads them (no aliases, no documents). */
export async function readSearchDossiers(
  db: Db,
  which: Which,
): Promise<SearchDossierRow[]> {
  if ("ids" in which) return (await dossierRows(db, which, false)).map(toDossier);
  const rows: { r: string }[] = await db.all(sql`SELECT json_object('id', d.id,
    'series', d.series, 'type', d.type, 'number', d.number, 'year', d.year,
    'subject', d.subject, 'subjectPublic', d.subject_public, 'status', d.status,
    'restricted', d.restricted, 'protocolNumber', d.protocol_number,
    'protocolDate', d.protocol_date) AS r
    FROM dossiers d WHERE d.id > ${which.after} ORDER BY d.id LIMIT ${which.limit}`);
  if (rows.length === 0) return [];
  const page: Raw[] = rows.map((row) => JSON.parse(row.r));
  // The id column is TEXT (a BLOB would have failed json_object): its JSON is the same text.
  const last = str(page[page.length - 1]!.id);
  const addresses = await childrenOf(
    db,
    sql`dossier_addresses`,
    PAGE_ADDRESSES,
    which.after,
    last,
  );
  const people = await childrenOf(db, sql`dossier_people`, PAGE_PEOPLE, which.after, last);
  return page.map((m) => {
    m.addresses = addresses.get(m.id) ?? [];
    m.people = people.get(m.id) ?? [];
    return toDossier(m);
  });
}

/** Dossiers as result cards show them: the index's fields and cadastral references. */
export async function readHitDossiers(db: Db, which: Which): Promise<HitDossierRow[]> {
  return (await dossierRows(db, which, true)).map((m): HitDossierRow => ({
    ...toDossier(m),
    cadastral: rowsOf(m.cadastral).map(toCadastral),
  }));
}

async function actRows(db: Db, which: Which, text: boolean): Promise<Raw[]> {
  const rows: { r: string }[] = await db.all(sql`SELECT json_object('id', id, 'kind', kind,
    'number', number, 'year', year, 'date', date, 'office', office, 'subject', subject,
    'restricted', restricted ${text ? sql`, 'text', text` : sql``}) AS r
    FROM acts WHERE ${where(which, sql`id`)}`);
  return rows.map((row) => JSON.parse(row.r));
}

function toAct(a: Raw): HitActRow {
  const doc: HitActRow = {
    record: "act",
    id: str(a.id),
    kind: str(a.kind),
    number: str(a.number),
    year: Number(a.year),
    date: str(a.date),
    subject: str(a.subject),
    restricted: restrictedFlag(a.restricted),
  };
  const office = opt(a.office);
  if (office !== undefined) doc.office = office;
  return doc;
}

/** The next keyset page of acts as the index reads them, with their published text. */
export async function readSearchActs(db: Db, which: Which): Promise<SearchActRow[]> {
  return (await actRows(db, which, true)).map((a): SearchActRow => {
    const doc: SearchActRow = toAct(a);
    const text = opt(a.text);
    if (text !== undefined) doc.text = text;
    return doc;
  });
}

/** Acts as result cards show them (no text: a card shows the subject). */
export async function readHitActs(db: Db, which: Which): Promise<HitActRow[]> {
  return (await actRows(db, which, false)).map(toAct);
}
