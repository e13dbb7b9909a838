/**
 * The deterministic demo archive: a seeded generator of realistic dossiers (1950–2025) and
 * council acts (1995–2025), used for a newcomer's first start, the tests and the benchmark.
 * Same seed and sizes → the very same records, on any machine.
 */
import { countRecords, type DbOrTx, upsertRecords } from "../db/records.ts";
import { recordDocumentFiles } from "../db/document_files.ts";
import type { DemoDocumentsOptions } from "./demo_documents.ts";
import type { Db } from "../db/client.ts";
import type { ActDoc, DocumentRef, DossierDoc, RecordDoc } from "../domain/records.ts";
import { demoDossier, type DossierState, isoDay } from "./_dossiers.ts";
import { createRng, type Rng } from "./_prng.ts";
import { ACT_OFFICES, ACT_SUBJECTS } from "./_vocab.ts";

/** Sizes and seed of a generated archive. */
export interface ArchiveOptions {
  seed: number;
  dossiers: number;
  acts: number;
  /** Put the showcase dossier in (the demo does; benchmarks at other sizes do not). */
  showcase?: boolean;
}

/** The archive a new kiosk shows: a few thousand dossiers and a few hundred acts. */
export const DEMO_ARCHIVE: ArchiveOptions = {
  seed: 1977,
  dossiers: 3_000,
  acts: 300,
  showcase: true,
};

/**
 * The searches the kiosk's example links and the README offer: the showcase dossier answers
 * each of them, so a newcomer's first tap finds something.
 */
export const SHOWCASE = {
  id: "pe-storico-1987-452",
  type: "CE",
  number: "452",
  year: 1987,
  protocolNumber: "1234",
  street: "Via Roma",
  civic: "12",
  sheet: "12",
  parcel: "345",
  subject: "AMPLIAMENTO FABBRICATO E COSTRUZIONE AUTORIMESSA",
} as const;

// The generated dossier's people, dates and documents, with the showcase's identifiers.
function showcaseOf(generated: DossierDoc): DossierDoc {
  const { parentId: _parent, ...rest } = generated;
  const s = SHOWCASE;
  return {
    ...rest,
    id: s.id,
    series: "STORICO",
    type: s.type,
    number: s.number,
    year: s.year,
    protocolNumber: s.protocolNumber,
    aliases: [{ index: "schedario-A", key: `C.E. ${s.number}/87` }],
    subject: s.subject,
    addresses: [{ street: s.street, civic: s.civic }],
    cadastral: [{ register: "NCEU", sheet: s.sheet, parcel: s.parcel, sub: "3" }],
    status: "issued",
    issuedOn: generated.issuedOn ?? generated.submittedOn ?? "1987-06-15",
    restricted: false,
  };
}

const FIRST_YEAR = 1950;
const LAST_YEAR = 2025;

/** Relative filing volume of a year: the building boom of the 1960s–80s files most. */
function yearWeight(year: number): number {
  return 1 + (year >= 1960 && year <= 1985 ? 1.5 : 0) + (year >= 2000 && year <= 2008 ? 0.5 : 0);
}

/** How many of `total` fall in each year, summing exactly to `total`. */
function perYear(total: number, from: number, to: number, weight: (y: number) => number) {
  const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const sum = years.reduce((s, y) => s + weight(y), 0);
  let given = 0;
  return years.map((year, i) => {
    const share = i === years.length - 1 ? total - given : Math.floor((total * weight(year)) / sum);
    given += share;
    return { year, count: share };
  });
}

const ACT_KINDS = [
  ["determina", "det", 0.5],
  ["delibera_giunta", "dgc", 0.25],
  ["delibera_consiglio", "dcc", 0.1],
  ["verbale", "verb", 0.15],
] as const;

function attachments(rng: Rng, year: number, id: string): DocumentRef[] {
  return Array.from({ length: rng.int(0, 2) }, (_, i) => {
    const pages = rng.int(1, 30);
    return {
      file: `atti/${year}/${id}-all-${String.fromCharCode(97 + i)}.pdf`,
      title: `Allegato ${String.fromCharCode(65 + i)}`,
      pages,
      bytes: pages * rng.int(30_000, 120_000),
      sha256: rng.hex(64),
      public: rng.chance(0.8),
    };
  });
}

function* demoActs(rng: Rng, total: number): Generator<ActDoc> {
  const numbers = new Map<string, number>();
  for (const { year, count } of perYear(total, 1995, LAST_YEAR, () => 1)) {
    for (let k = 0; k < count; k++) {
      let r = rng.next();
      const [kind, abbr] = ACT_KINDS.find((t) => (r -= t[2]) < 0) ?? ACT_KINDS[0];
      const number = (numbers.get(`${kind}:${year}`) ?? 0) + 1;
      numbers.set(`${kind}:${year}`, number);
      const id = `${abbr}-${year}-${number}`;
      const date = isoDay(year, Math.floor((k * 360) / Math.max(count, 1)));
      const subject = rng.pick(ACT_SUBJECTS[kind] ?? ["Atto"]);
      const office = rng.pick(ACT_OFFICES[kind] ?? ["Segreteria generale"]);
      const act: ActDoc = {
        record: "act",
        id,
        kind,
        number: String(number),
        year,
        date,
        office,
        subject,
        text: `${office.toUpperCase()} ... omissis ... ${
          kind === "determina" ? "DETERMINA" : "DELIBERA"
        } ${subject.toLowerCase()}.`,
        attachments: attachments(rng, year, id),
        restricted: false,
      };
      if (kind !== "verbale") {
        // Albo pretorio: 15 days from publication (d.lgs. 267/2000 art. 124).
        const from = isoDay(year, Math.floor((k * 360) / Math.max(count, 1)) + rng.int(1, 5));
        act.publishedFrom = from;
        act.publishedTo = isoDay(Number(from.slice(0, 4)), dayOfYear(from) + 15);
      }
      yield act;
    }
  }
}

function dayOfYear(iso: string): number {
  const d = Date.parse(`${iso}T00:00:00Z`);
  return Math.round((d - Date.UTC(Number(iso.slice(0, 4)), 0, 1)) / 86_400_000);
}

/** Yields `dossiers` dossiers (by year, 1950–2025) then `acts` acts, deterministically. */
export function* generateArchive(options: ArchiveOptions): Generator<RecordDoc> {
  const rng = createRng(options.seed);
  const state: DossierState = { numbers: new Map(), bisTaken: new Set(), protocol: 0, recent: [] };
  for (const { year, count } of perYear(options.dossiers, FIRST_YEAR, LAST_YEAR, yearWeight)) {
    // The protocollo restarts every 1 January (DPR 445/2000 art. 57).
    state.protocol = 0;
    for (let k = 0; k < count; k++) {
      const doc = demoDossier(rng, state, year, k, count);
      // The showcase takes the first 1987 slot, so the random stream and the count stay.
      yield options.showcase && year === SHOWCASE.year && k === 0 ? showcaseOf(doc) : doc;
    }
  }
  yield* demoActs(rng, options.acts);
}

/**
 * Loads the demo archive into an EMPTY database through the import's upsert path, in
 * batched transactions; does nothing (and returns zeros) when records already exist. With
 * `files`, a few records get real documents, stored as they come (demo/demo_documents.ts);
 * without, every document is metadata only, as in the benchmark's archive.
 */
export async function loadDemoArchive(
  db: Db,
  clock: () => Date,
  options: ArchiveOptions = DEMO_ARCHIVE,
  files?: DemoDocumentsOptions,
): Promise<{ dossiers: number; acts: number; files: number }> {
  const existing = await countRecords(db);
  if (existing.dossiers + existing.acts > 0) return { dossiers: 0, acts: 0, files: 0 };
  // Loaded only here: pdf-lib and the PKI code cost a start that makes no demo documents.
  const real = files
    ? new (await import("./demo_documents.ts")).DemoDocuments(files, options.dossiers)
    : undefined;
  let batch: RecordDoc[] = [];
  // Each batch commits with the state of the files its records name.
  const write = (docs: RecordDoc[]) =>
    db.transaction(async (tx: DbOrTx) => {
      await upsertRecords(tx, docs, clock());
      if (real) await recordDocumentFiles(tx, real.rows.splice(0));
    });
  for (const generated of generateArchive(options)) {
    const doc = real ? await real.apply(generated) : generated;
    batch.push(doc);
    if (batch.length >= 1_000) {
      await write(batch);
      batch = [];
    }
  }
  if (batch.length) await write(batch);
  return { dossiers: options.dossiers, acts: options.acts, files: real?.stored ?? 0 };
}
