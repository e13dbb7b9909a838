/**
 * Builders of valid record documents for tests: sensible defaults, override what the test is
 * about. Each call gets a fresh id and number so records never collide within a world.
 */
import type { ActDoc, DocumentRef, DossierDoc, Person } from "../domain/records.ts";

// A counter rather than random ids: failures print the same ids on every run.
let serial = 0;
function next(): number {
  serial += 1;
  return serial;
}

/** A person on a dossier (personal data: never public). */
export function person(overrides: Partial<Person> = {}): Person {
  return {
    role: "richiedente",
    surname: "Bianchi",
    name: "Giulia",
    taxCode: "BNCGLI50C54H501K",
    email: "giulia.bianchi@example.it",
    ...overrides,
  };
}

/** A scanned document reference (not public by default, as in the domain). */
export function documentRef(overrides: Partial<DocumentRef> = {}): DocumentRef {
  return {
    file: `scans/test/${next()}.pdf`,
    title: "Tavola 1",
    pages: 3,
    bytes: 2_480_331,
    sha256: "156f193bc6f5ba4535022ae73811fe9b781a9c7eacaa24f24d6043d5cb4d2065",
    public: false,
    ...overrides,
  };
}

/** A concessione edilizia of 1987 at Via Roma 12, with a richiedente and a progettista. */
export function dossier(overrides: Partial<Omit<DossierDoc, "record">> = {}): DossierDoc {
  const n = next();
  return {
    record: "dossier",
    id: `pe-test-${n}`,
    series: "STORICO",
    type: "CE",
    number: String(1000 + n),
    year: 1987,
    protocolNumber: String(8000 + n),
    protocolDate: "1987-05-12",
    aliases: [],
    subject: "AMPLIAMENTO FABBRICATO DI CIVILE ABITAZIONE",
    addresses: [{ street: "Via Roma", civic: "12", locality: "Capoluogo" }],
    cadastral: [{ register: "NCEU", sheet: "12", parcel: "345" }],
    people: [
      person(),
      person({
        role: "progettista",
        surname: "Conti",
        name: "Paolo",
        taxCode: "CNTPLA48L02F205W",
        email: "studio.conti@example.it",
      }),
    ],
    submittedOn: "1987-05-12",
    issuedOn: "1987-11-03",
    status: "issued",
    documents: [documentRef()],
    location: { box: "F-1987-031", shelf: "B4", room: "Deposito 2" },
    restricted: false,
    ...overrides,
  };
}

/** A delibera di consiglio of 2019, public, with one public attachment. */
export function act(overrides: Partial<Omit<ActDoc, "record">> = {}): ActDoc {
  const n = next();
  return {
    record: "act",
    id: `atto-test-${n}`,
    kind: "delibera_consiglio",
    number: String(n),
    year: 2019,
    date: "2019-07-22",
    office: "Consiglio comunale",
    subject: "Approvazione variante al regolamento edilizio",
    text: "IL CONSIGLIO COMUNALE ... DELIBERA ...",
    publishedFrom: "2019-07-26",
    publishedTo: "2019-08-10",
    attachments: [documentRef({ title: "Allegato A", pages: 18, public: true })],
    restricted: false,
    ...overrides,
  };
}
