/**
 * Record documents ⇄ table rows. Both directions live together so that reading back a
 * stored record gives the very document that was written (same canonical JSON, same hash).
 */
import type {
  ActDoc,
  Address,
  Alias,
  CadastralRef,
  DocumentRef,
  DossierDoc,
  DossierStatus,
  Location,
  Person,
} from "../domain/records.ts";
import { DOSSIER_STATUSES } from "../domain/records.ts";
import { mimeOfName } from "../documents/file_type.ts";
import type {
  acts,
  documents,
  dossierAddresses,
  dossierAliases,
  dossierCadastral,
  dossierPeople,
  dossiers,
} from "./schema.ts";

type DossierRow = typeof dossiers.$inferSelect;
type ActRow = typeof acts.$inferSelect;
type AliasRow = typeof dossierAliases.$inferSelect;
type AddressRow = typeof dossierAddresses.$inferSelect;
type CadastralRow = typeof dossierCadastral.$inferSelect;
type PersonRow = typeof dossierPeople.$inferSelect;
type DocumentRow = typeof documents.$inferSelect;

/** The child rows of one dossier, each list in position order. */
export interface DossierChildren {
  aliases: AliasRow[];
  addresses: AddressRow[];
  cadastral: CadastralRow[];
  people: PersonRow[];
  documents: DocumentRow[];
}

/** Every row a dossier document is stored as. */
export interface DossierRows extends DossierChildren {
  main: DossierRow;
}

/** Every row an act document is stored as. */
export interface ActRows {
  main: ActRow;
  documents: DocumentRow[];
}

/** Stamp written on each row: hash of the canonical doc, time and change number. */
export interface RowStamp {
  contentHash: string;
  updatedAt: string;
  seq: number;
}

function documentRows(kind: "dossier" | "act", id: string, docs: DocumentRef[]): DocumentRow[] {
  return docs.map((d, position) => ({
    recordKind: kind,
    recordId: id,
    position,
    file: d.file,
    title: d.title ?? null,
    pages: d.pages,
    bytes: d.bytes,
    sha256: d.sha256,
    public: d.public,
    mime: mimeOfName(d.file) ?? null,
  }));
}

/** The rows of a dossier document. */
export function dossierToRows(doc: DossierDoc, stamp: RowStamp): DossierRows {
  const id = doc.id;
  return {
    main: {
      id,
      series: doc.series,
      type: doc.type,
      number: doc.number,
      year: doc.year,
      protocolNumber: doc.protocolNumber ?? null,
      protocolDate: doc.protocolDate ?? null,
      parentId: doc.parentId ?? null,
      subject: doc.subject ?? null,
      subjectPublic: doc.subjectPublic ?? null,
      status: doc.status,
      submittedOn: doc.submittedOn ?? null,
      issuedOn: doc.issuedOn ?? null,
      worksStartedOn: doc.worksStartedOn ?? null,
      worksEndedOn: doc.worksEndedOn ?? null,
      locationBox: doc.location?.box ?? null,
      locationShelf: doc.location?.shelf ?? null,
      locationRoom: doc.location?.room ?? null,
      restricted: doc.restricted,
      source: doc.source ?? null,
      ...stamp,
    },
    aliases: doc.aliases.map((a, position) => ({
      dossierId: id,
      position,
      indexName: a.index,
      key: a.key,
    })),
    addresses: doc.addresses.map((a, position) => ({
      dossierId: id,
      position,
      street: a.street,
      civic: a.civic ?? null,
      locality: a.locality ?? null,
      historic: a.historic ?? false,
    })),
    cadastral: doc.cadastral.map((c, position) => ({
      dossierId: id,
      position,
      register: c.register,
      section: c.section ?? null,
      sheet: c.sheet,
      parcel: c.parcel,
      sub: c.sub ?? null,
    })),
    people: doc.people.map((p, position) => ({
      dossierId: id,
      position,
      role: p.role,
      surname: p.surname ?? null,
      name: p.name ?? null,
      company: p.company ?? null,
      taxCode: p.taxCode ?? null,
      taxCodeVerified: p.taxCodeVerified ?? null,
      email: p.email ?? null,
      phone: p.phone ?? null,
    })),
    documents: documentRows("dossier", id, doc.documents),
  };
}

/** The rows of an act document. */
export function actToRows(doc: ActDoc, stamp: RowStamp): ActRows {
  return {
    main: {
      id: doc.id,
      kind: doc.kind,
      number: doc.number,
      year: doc.year,
      date: doc.date,
      office: doc.office ?? null,
      subject: doc.subject,
      text: doc.text ?? null,
      publishedFrom: doc.publishedFrom ?? null,
      publishedTo: doc.publishedTo ?? null,
      restricted: doc.restricted,
      ...stamp,
    },
    documents: documentRows("act", doc.id, doc.attachments),
  };
}

/** Copies the non-null fields of `from` onto a new object (optional fields stay absent). */
function present<T extends object>(
  from: {
    [K in keyof T]: T[K] | null;
  },
): Partial<T> {
  const out: Partial<T> = {};
  for (const key in from) {
    const value = from[key];
    if (value !== null && value !== undefined) out[key] = value;
  }
  return out;
}

function toDocumentRef(r: DocumentRow): DocumentRef {
  return {
    file: r.file,
    ...present<{ title: string }>({ title: r.title }),
    pages: r.pages,
    bytes: r.bytes,
    sha256: r.sha256,
    public: r.public,
  };
}

function toStatus(s: string): DossierStatus {
  return DOSSIER_STATUSES.find((x) => x === s) ?? "unknown";
}

/** The dossier document stored in these rows. */
export function rowsToDossier(main: DossierRow, c: DossierChildren): DossierDoc {
  const location: Location = present<Location>({
    box: main.locationBox,
    shelf: main.locationShelf,
    room: main.locationRoom,
  });
  return {
    record: "dossier",
    id: main.id,
    series: main.series,
    type: main.type,
    number: main.number,
    year: main.year,
    ...present<{ protocolNumber: string; protocolDate: string }>({
      protocolNumber: main.protocolNumber,
      protocolDate: main.protocolDate,
    }),
    aliases: c.aliases.map((a): Alias => ({ index: a.indexName, key: a.key })),
    ...present<{ parentId: string; subject: string; subjectPublic: string }>({
      parentId: main.parentId,
      subject: main.subject,
      subjectPublic: main.subjectPublic,
    }),
    addresses: c.addresses.map((a): Address => ({
      street: a.street,
      ...present<{ civic: string; locality: string }>({ civic: a.civic, locality: a.locality }),
      ...(a.historic ? { historic: true } : {}),
    })),
    cadastral: c.cadastral.map((r): CadastralRef => ({
      register: r.register === "NCT" ? "NCT" : "NCEU",
      ...present<{ section: string }>({ section: r.section }),
      sheet: r.sheet,
      parcel: r.parcel,
      ...present<{ sub: string }>({ sub: r.sub }),
    })),
    people: c.people.map((p): Person => ({
      role: p.role,
      ...present<Omit<Person, "role">>({
        surname: p.surname,
        name: p.name,
        company: p.company,
        taxCode: p.taxCode,
        taxCodeVerified: p.taxCodeVerified,
        email: p.email,
        phone: p.phone,
      }),
    })),
    ...present<{ submittedOn: string; issuedOn: string; worksStartedOn: string }>({
      submittedOn: main.submittedOn,
      issuedOn: main.issuedOn,
      worksStartedOn: main.worksStartedOn,
    }),
    ...present<{ worksEndedOn: string }>({ worksEndedOn: main.worksEndedOn }),
    status: toStatus(main.status),
    documents: c.documents.map(toDocumentRef),
    ...(Object.keys(location).length ? { location } : {}),
    restricted: main.restricted,
    ...present<{ source: string }>({ source: main.source }),
  };
}

/** The act document stored in these rows. */
export function rowsToAct(main: ActRow, attachments: DocumentRow[]): ActDoc {
  return {
    record: "act",
    id: main.id,
    kind: main.kind,
    number: main.number,
    year: main.year,
    date: main.date,
    ...present<{ office: string }>({ office: main.office }),
    subject: main.subject,
    ...present<{ text: string; publishedFrom: string; publishedTo: string }>({
      text: main.text,
      publishedFrom: main.publishedFrom,
      publishedTo: main.publishedTo,
    }),
    attachments: attachments.map(toDocumentRef),
    restricted: main.restricted,
  };
}
