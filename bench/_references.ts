/**
 * The two references the kiosk's search must beat, built in-process from the same DB:
 * a naive Orama index (lean public fields, Italian stemming and stopwords, limit 20, a type
 * facet) and libSQL FTS5 (bm25, LIMIT 20) in a separate temp DB file, as issue 3 measured
 * them. Neither touches the app's schema.
 */
import type { Db } from "../db/client.ts";
import { pageRecords } from "../db/records.ts";
import { type PublicAct, type PublicDossier, publicView } from "../domain/public_record.ts";
import type { QueryCase } from "./_queries.ts";
import { fts5Builder } from "./_ref_fts5.ts";
import { naiveOramaBuilder } from "./_ref_orama.ts";

/** A reference engine: build once, then answer one query with up to 20 hits. */
export interface Reference {
  name: string;
  /** Reading the records from the DB (shared by both) plus this engine's own inserts. */
  buildMs: number;
  /** Records indexed (fewer than the DB holds when the build hit its time cap). */
  indexed: number;
  query(c: QueryCase): Promise<{ kind: "dossier" | "act"; id: string }[] | undefined>;
  close(): void;
}

/** A reference being filled page by page. */
export interface ReferenceBuilder {
  name: string;
  add(page: LeanDoc[]): Promise<void>;
  done(buildMs: number, indexed: number): Reference;
}

/** The lean public fields both references index. */
export interface LeanDoc {
  id: string;
  kind: "dossier" | "act";
  protocol: string;
  number: string;
  year: number;
  type: string;
  status: string;
  description: string;
  address: string;
  cadastral: string;
}

function lean(view: PublicDossier | PublicAct): LeanDoc {
  if (view.record === "act") {
    return {
      id: view.id,
      kind: "act",
      protocol: "",
      number: `${view.kind} ${view.number}/${view.year}`,
      year: view.year,
      type: "",
      status: "",
      description: view.subject,
      address: "",
      cadastral: "",
    };
  }
  return {
    id: view.id,
    kind: "dossier",
    protocol: view.protocolNumber
      ? `${view.protocolNumber}/${view.protocolDate?.slice(0, 4) ?? ""}`
      : "",
    number: [`${view.type} ${view.number}/${view.year}`, ...view.aliases.map((a) => a.key)]
      .join(" "),
    year: view.year,
    type: view.type,
    status: view.status,
    description: view.subject ?? "",
    address: view.addresses.map((a) => `${a.street} ${a.civic ?? ""} ${a.locality ?? ""}`)
      .join(" "),
    cadastral: view.cadastral.map((c) =>
      `${c.register} fg ${c.sheet} part ${c.parcel}${c.sub ? ` sub ${c.sub}` : ""}`
    ).join(" "),
  };
}

/** Every public record of the DB in the lean form, page by page. */
async function* leanDocs(db: Db): AsyncGenerator<LeanDoc[]> {
  for (const kind of ["dossier", "act"] as const) {
    for await (const page of pageRecords(db, kind, 2_000)) {
      yield page.flatMap((doc) => {
        const view = publicView(doc);
        return view ? [lean(view)] : [];
      });
    }
  }
}

/** Options of buildReferences. */
export interface ReferenceOptions {
  ftsPath: string;
  orama: boolean;
  /** Orama stops taking records once its inserts took this long (its build is slow). */
  oramaCapMs: number;
}

/**
 * Builds both references in ONE pass over the DB (reading 300k records through the record
 * store costs more than either engine's inserts), timing each engine's inserts apart.
 */
export async function buildReferences(db: Db, o: ReferenceOptions): Promise<Reference[]> {
  const builders: ReferenceBuilder[] = [await fts5Builder(o.ftsPath)];
  if (o.orama) builders.push(naiveOramaBuilder());
  const insertMs = builders.map(() => 0);
  const indexed = builders.map(() => 0);
  let readMs = 0;
  let t = performance.now();
  for await (const page of leanDocs(db)) {
    readMs += performance.now() - t;
    for (const [i, b] of builders.entries()) {
      if (b.name.startsWith("Orama") && (insertMs[i] ?? 0) > o.oramaCapMs) continue;
      const started = performance.now();
      await b.add(page);
      insertMs[i] = (insertMs[i] ?? 0) + performance.now() - started;
      indexed[i] = (indexed[i] ?? 0) + page.length;
    }
    t = performance.now();
  }
  return builders.map((b, i) => b.done(readMs + (insertMs[i] ?? 0), indexed[i] ?? 0));
}
