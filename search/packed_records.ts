/**
 * Records as search reads them: only the fields it uses, one query for a whole page. The
 * build reads 300k dossiers in keyset pages, a result page reads its 20 by id. Reading whole
 * documents (six queries, every column mapped) took most of the build and 10–25 ms per
 * uncached result page on a busy machine.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { ActDoc, Address, CadastralRef, DossierDoc, Person } from "../domain/records.ts";
import { DOSSIER_STATUSES } from "../domain/records.ts";

/** Which records: the next keyset page after an id (the build), or these ids (a result page). */
export type Which = { after: string; limit: number } | { ids: string[] };

function where(which: Which, id: SQL): SQL {
  return "ids" in which
    ? sql`${id} IN (SELECT value FROM json_each(${JSON.stringify(which.ids)}))`
    : sql`${id} > ${which.after} ORDER BY ${id} LIMIT ${which.limit}`;
}

// Each dossier comes back as ONE text column: libSQL builds a JS object per row and a
// property per column, which cost more than splitting one string; child rows come
// concatenated by group_concat, since a dossier has about five of them.
const US = "\u001f"; // between the fields of one child row
const RS = "\u001e"; // between child rows
const GS = "\u001d"; // between the dossier and each list of its children

function children(value: string): string[][] {
  return value === "" ? [] : value.split(RS).map((r) => r.split(US));
}

function field(parts: string[], i: number): string | undefined {
  const v = parts[i];
  return v === undefined || v === "" ? undefined : v;
}

function statusOf(v: string | undefined): DossierDoc["status"] {
  return DOSSIER_STATUSES.find((s) => s === v) ?? "unknown";
}

function toAddress(a: string[]): Address {
  const out: Address = { street: a[0] ?? "" };
  if (a[1]) out.civic = a[1];
  if (a[2]) out.locality = a[2];
  if (a[3] === "1") out.historic = true;
  return out;
}

function toPerson(p: string[]): Person {
  const out: Person = { role: p[0] ?? "" };
  if (p[1]) out.surname = p[1];
  if (p[2]) out.name = p[2];
  if (p[3]) out.company = p[3];
  if (p[4]) out.taxCode = p[4];
  if (p[5]) out.email = p[5];
  if (p[6]) out.phone = p[6];
  return out;
}

function toCadastral(c: string[]): CadastralRef {
  const out: CadastralRef = {
    register: c[0] === "NCT" ? "NCT" : "NCEU",
    sheet: c[2] ?? "",
    parcel: c[3] ?? "",
  };
  if (c[1]) out.section = c[1];
  if (c[4]) out.sub = c[4];
  return out;
}

// Result cards show cadastral references; the build does not index them (identifiers are
// looked up in search_keys), so it spares a subquery per dossier.
const CADASTRAL = sql`|| char(29) ||
  ifnull((SELECT group_concat(c.register || char(31) || ifnull(c.section, '') || char(31) ||
     c.sheet || char(31) || c.parcel || char(31) || ifnull(c.sub, ''), char(30))
   FROM dossier_cadastral c WHERE c.dossier_id = d.id), '')`;

/**
 * Dossiers with their main fields, addresses and people (for the clerk's words and the
 * public redaction), and cadastral references when asked; no aliases, no documents.
 */
export async function readSearchDossiers(
  db: Db,
  which: Which,
  options: { cadastral: boolean },
): Promise<DossierDoc[]> {
  const rows: { r: string }[] = await db.all(sql`SELECT d.id || char(31) || d.series ||
    char(31) || d.type || char(31) || d.number || char(31) || d.year || char(31) ||
    ifnull(d.subject, '') || char(31) || ifnull(d.subject_public, '') || char(31) ||
    d.status || char(31) || d.restricted || char(31) || ifnull(d.protocol_number, '') ||
    char(31) || ifnull(d.protocol_date, '') || char(29) ||
    ifnull((SELECT group_concat(a.street || char(31) || ifnull(a.civic, '') || char(31) ||
       ifnull(a.locality, '') || char(31) || a.historic, char(30))
     FROM dossier_addresses a WHERE a.dossier_id = d.id), '') || char(29) ||
    ifnull((SELECT group_concat(p.role || char(31) || ifnull(p.surname, '') || char(31) ||
       ifnull(p.name, '') || char(31) || ifnull(p.company, '') || char(31) ||
       ifnull(p.tax_code, '') || char(31) || ifnull(p.email, '') || char(31) ||
       ifnull(p.phone, ''), char(30))
     FROM dossier_people p WHERE p.dossier_id = d.id), '')
    ${options.cadastral ? CADASTRAL : sql``} AS r
    FROM dossiers d WHERE ${where(which, sql`d.id`)}`);
  // Plain assignments, not spreads: the build maps 300 pages of these.
  return rows.map(({ r }): DossierDoc => {
    const [main = "", addresses = "", people = "", cadastral = ""] = r.split(GS);
    const m = main.split(US);
    const doc: DossierDoc = {
      record: "dossier",
      id: m[0] ?? "",
      series: m[1] ?? "",
      type: m[2] ?? "",
      number: m[3] ?? "",
      year: Number(m[4]),
      status: statusOf(m[7]),
      restricted: m[8] === "1",
      addresses: children(addresses).map(toAddress),
      people: children(people).map(toPerson),
      cadastral: children(cadastral).map(toCadastral),
      // Neither is searched nor shown on a card: the record page reads the whole document.
      aliases: [],
      documents: [],
    };
    const subject = field(m, 5), subjectPublic = field(m, 6);
    const protocolNumber = field(m, 9), protocolDate = field(m, 10);
    if (subject !== undefined) doc.subject = subject;
    if (subjectPublic !== undefined) doc.subjectPublic = subjectPublic;
    if (protocolNumber !== undefined) doc.protocolNumber = protocolNumber;
    if (protocolDate !== undefined) doc.protocolDate = protocolDate;
    return doc;
  });
}

/** Acts with their main fields, and their published text when asked (the build indexes it). */
export async function readSearchActs(
  db: Db,
  which: Which,
  options: { text: boolean },
): Promise<ActDoc[]> {
  const rows: {
    id: string;
    kind: string;
    number: string;
    year: number;
    date: string;
    office: string | null;
    subject: string;
    text: string | null;
    restricted: number;
  }[] = await db.all(sql`SELECT id, kind, number, year, date, office, subject,
    ${options.text ? sql`text` : sql`NULL`} AS text, restricted
    FROM acts WHERE ${where(which, sql`id`)}`);
  return rows.map((a): ActDoc => {
    const doc: ActDoc = {
      record: "act",
      id: a.id,
      kind: a.kind,
      number: a.number,
      year: Number(a.year),
      date: a.date,
      subject: a.subject,
      restricted: Number(a.restricted) === 1,
      attachments: [],
    };
    if (a.office !== null) doc.office = a.office;
    if (a.text !== null) doc.text = a.text;
    return doc;
  });
}
