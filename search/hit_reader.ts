/**
 * Reads the records of a result page in one query per kind, with what a hit shows
 * (addresses, cadastral references, people for the redaction) packed into one text column
 * a row. The record store's whole-document read takes six queries, 10–25 ms for 20
 * scattered dossiers on a busy machine: the larger part of an uncached answer.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { ActDoc, CadastralRef, DossierDoc, RecordDoc } from "../domain/records.ts";
import { children, field, statusOf, toAddress, toPerson } from "./index_source.ts";

const US = "\u001f";
const GS = "\u001d";

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

async function dossiers(db: Db, ids: string[]): Promise<DossierDoc[]> {
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
     FROM dossier_people p WHERE p.dossier_id = d.id), '') || char(29) ||
    ifnull((SELECT group_concat(c.register || char(31) || ifnull(c.section, '') || char(31) ||
       c.sheet || char(31) || c.parcel || char(31) || ifnull(c.sub, ''), char(30))
     FROM dossier_cadastral c WHERE c.dossier_id = d.id), '') AS r
    FROM dossiers d WHERE d.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
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
      // A hit shows neither: the record page reads the whole document.
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

async function acts(db: Db, ids: string[]): Promise<ActDoc[]> {
  const rows: {
    id: string;
    kind: string;
    number: string;
    year: number;
    date: string;
    office: string | null;
    subject: string;
    restricted: number;
  }[] = await db.all(sql`SELECT id, kind, number, year, date, office, subject, restricted
    FROM acts WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
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
    return doc;
  });
}

/** The records with these ids, holding what a hit shows (any order; missing ids skipped). */
export function readHitRecords(
  db: Db,
  kind: "dossier" | "act",
  ids: string[],
): Promise<RecordDoc[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return kind === "dossier" ? dossiers(db, ids) : acts(db, ids);
}
