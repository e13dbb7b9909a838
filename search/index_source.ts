/**
 * The build's reader: records in keyset pages with only the fields the index uses, in
 * three plain SQL queries a page. Reading 300k whole documents (aliases, cadastral,
 * documents, mapped column by column) took most of the build; the index needs none of
 * them (identifiers are looked up in `search_keys`), and every hit is re-read whole.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { ActDoc, Address, DossierDoc, Person, RecordDoc } from "../domain/records.ts";
import { DOSSIER_STATUSES } from "../domain/records.ts";

type Row = Record<string, unknown>;

function str(row: Row, key: string): string | undefined {
  const v = row[key];
  return typeof v === "string" ? v : undefined;
}

function num(row: Row, key: string): number {
  const v = row[key];
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : Number(v ?? 0);
}

function opt<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  const out: { [P in K]?: string } = {};
  if (v !== undefined) out[key] = v;
  return out;
}

/** A known outcome, or "unknown". */
export function statusOf(v: string | undefined): DossierDoc["status"] {
  return DOSSIER_STATUSES.find((s) => s === v) ?? "unknown";
}

// Child rows come back concatenated, one row per dossier: converting rows into JS objects
// is the costly step, and a dossier has about five child rows.
const US = "\u001f"; // between the fields of one child row
const RS = "\u001e"; // between child rows
const GS = "\u001d"; // between the dossier, its addresses and its people

/** Child rows packed by group_concat, split back into their fields. */
export function children(value: unknown): string[][] {
  if (typeof value !== "string" || value === "") return [];
  return value.split(RS).map((r) => r.split(US));
}

/** Field `i` of a split row, undefined when empty. */
export function field(parts: string[], i: number): string | undefined {
  const v = parts[i];
  return v === undefined || v === "" ? undefined : v;
}

async function dossierPage(db: Db, after: string, size: number): Promise<DossierDoc[]> {
  // One text column a row: libSQL builds a JS object per row and a property per column,
  // which cost more than splitting one string.
  const rows: Row[] = await db.all(sql`SELECT d.id || char(31) || d.series || char(31) ||
    d.type || char(31) || d.number || char(31) || d.year || char(31) ||
    ifnull(d.subject, '') || char(31) || ifnull(d.subject_public, '') || char(31) ||
    d.status || char(31) || d.restricted || char(29) ||
    ifnull((SELECT group_concat(a.street || char(31) || ifnull(a.civic, '') || char(31) ||
       ifnull(a.locality, '') || char(31) || a.historic, char(30))
     FROM dossier_addresses a WHERE a.dossier_id = d.id), '') || char(29) ||
    ifnull((SELECT group_concat(p.role || char(31) || ifnull(p.surname, '') || char(31) ||
       ifnull(p.name, '') || char(31) || ifnull(p.company, '') || char(31) ||
       ifnull(p.tax_code, '') || char(31) || ifnull(p.email, '') || char(31) ||
       ifnull(p.phone, ''), char(30))
     FROM dossier_people p WHERE p.dossier_id = d.id), '') AS r
    FROM dossiers d WHERE d.id > ${after} ORDER BY d.id LIMIT ${size}`);
  // Plain assignments, not spreads: a page is built 150 times in a 300k build.
  return rows.map((row): DossierDoc => {
    const [main = "", addresses = "", people = ""] = (str(row, "r") ?? "").split(GS);
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
      // Not read: the index looks identifiers up in search_keys and never shows these.
      aliases: [],
      cadastral: [],
      documents: [],
    };
    const subject = field(m, 5), subjectPublic = field(m, 6);
    if (subject !== undefined) doc.subject = subject;
    if (subjectPublic !== undefined) doc.subjectPublic = subjectPublic;
    return doc;
  });
}

/** An address from its packed fields (street, civic, locality, historic). */
export function toAddress(a: string[]): Address {
  const out: Address = { street: a[0] ?? "" };
  if (a[1]) out.civic = a[1];
  if (a[2]) out.locality = a[2];
  if (a[3] === "1") out.historic = true;
  return out;
}

/** A person from its packed fields (role, surname, name, company, tax code, e-mail, phone). */
export function toPerson(p: string[]): Person {
  const out: Person = { role: p[0] ?? "" };
  if (p[1]) out.surname = p[1];
  if (p[2]) out.name = p[2];
  if (p[3]) out.company = p[3];
  if (p[4]) out.taxCode = p[4];
  if (p[5]) out.email = p[5];
  if (p[6]) out.phone = p[6];
  return out;
}

async function actPage(db: Db, after: string, size: number): Promise<ActDoc[]> {
  const rows: Row[] = await db.all(sql`SELECT id, kind, number, year, date, office, subject,
    text, restricted FROM acts WHERE id > ${after} ORDER BY id LIMIT ${size}`);
  return rows.map((r): ActDoc => ({
    record: "act",
    id: str(r, "id") ?? "",
    kind: str(r, "kind") ?? "",
    number: str(r, "number") ?? "",
    year: num(r, "year"),
    date: str(r, "date") ?? "",
    ...opt("office", str(r, "office")),
    subject: str(r, "subject") ?? "",
    ...opt("text", str(r, "text")),
    restricted: num(r, "restricted") === 1,
    attachments: [],
  }));
}

/** Records of a kind in id order, in pages, holding the fields the index reads. */
export async function* indexPages(
  db: Db,
  kind: "dossier" | "act",
  size: number,
): AsyncGenerator<RecordDoc[]> {
  let after = "";
  while (true) {
    const page = kind === "dossier"
      ? await dossierPage(db, after, size)
      : await actPage(db, after, size);
    const last = page.at(-1);
    if (!last) return;
    yield page;
    if (page.length < size) return;
    after = last.id;
  }
}
