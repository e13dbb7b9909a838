/**
 * The two references the kiosk's search must beat, built in-process from the same DB:
 * a naive Orama index (lean public fields, Italian stemming and stopwords, limit 20, a type
 * facet) and libSQL FTS5 (bm25, LIMIT 20) in a separate temp DB file, as issue 3 measured
 * them. Neither touches the app's schema.
 */
import { createClient } from "@libsql/client";
import { create, insertMultiple, search } from "@orama/orama";
import { language, stemmer } from "@orama/stemmers/italian";
import { stopwords } from "@orama/stopwords/italian";
import type { Db } from "../db/client.ts";
import { pageRecords } from "../db/records.ts";
import { type PublicAct, type PublicDossier, publicView } from "../domain/public_record.ts";
import type { QueryCase } from "./_queries.ts";
import { fold, isStopword } from "./_words.ts";

/** A reference engine: build once, then answer one query with up to 20 hits. */
export interface Reference {
  name: string;
  buildMs: number;
  query(c: QueryCase): Promise<{ kind: "dossier" | "act"; id: string }[] | undefined>;
  close(): void;
}

/** The lean public fields both references index. */
interface LeanDoc {
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

/** The naive Orama index over the lean public fields. */
export async function buildNaiveOrama(db: Db): Promise<Reference> {
  const started = performance.now();
  const orama = create({
    schema: {
      kind: "string",
      protocol: "string",
      number: "string",
      year: "number",
      type: "string",
      status: "string",
      description: "string",
      address: "string",
      cadastral: "string",
    } as const,
    components: { tokenizer: { language, stemming: true, stemmer, stopWords: stopwords } },
  });
  for await (const page of leanDocs(db)) {
    await insertMultiple(orama, page.map((d) => ({ ...d, id: `${d.kind}:${d.id}` })), 500);
  }
  return {
    name: "Orama naive",
    buildMs: performance.now() - started,
    async query(c) {
      const decade = c.filters.decade ? Number(c.filters.decade) : undefined;
      const result = await search(orama, {
        term: c.q,
        limit: 20,
        facets: { type: {} },
        ...(c.filters.type || c.filters.status || decade !== undefined
          ? {
            where: {
              ...(c.filters.type ? { type: c.filters.type } : {}),
              ...(c.filters.status ? { status: c.filters.status } : {}),
              ...(decade !== undefined ? { year: { between: [decade, decade + 9] } } : {}),
            },
          }
          : {}),
      });
      return result.hits.map((h) => {
        // Orama ids are "kind:id"; the kind ends at the first colon (ids may hold more).
        const [kind = "", ...rest] = String(h.id).split(":");
        return { kind: kind === "act" ? "act" : "dossier", id: rest.join(":") };
      });
    },
    close() {},
  };
}

/** The words of `q` as an FTS5 query: each quoted (no operators), stopwords dropped. */
export function ftsMatch(q: string): string {
  return (fold(q).match(/[a-z0-9]+/g) ?? []).filter((w) => !isStopword(w)).map((w) => `"${w}"`)
    .join(" ");
}

/** libSQL FTS5 with bm25 over the lean public fields, in its own DB file at `path`. */
export async function buildFts5(db: Db, path: string): Promise<Reference> {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    await Deno.remove(path + suffix).catch(() => {});
  }
  const started = performance.now();
  const client = createClient({ url: `file:${path}` });
  await client.execute(`CREATE VIRTUAL TABLE r USING fts5(rid UNINDEXED, kind UNINDEXED,
    protocol, number, year UNINDEXED, type, status, description, address, cadastral,
    tokenize = "unicode61 remove_diacritics 2")`);
  for await (const page of leanDocs(db)) {
    // One statement per page, the rows passed as one JSON array: a statement per row
    // through the client cost ten times more than FTS5's own indexing.
    await client.execute({
      sql: `INSERT INTO r SELECT j.value ->> 'id', j.value ->> 'kind', j.value ->> 'protocol',
        j.value ->> 'number', j.value ->> 'year', j.value ->> 'type', j.value ->> 'status',
        j.value ->> 'description', j.value ->> 'address', j.value ->> 'cadastral'
        FROM json_each(?) AS j`,
      args: [JSON.stringify(page)],
    });
  }
  return {
    name: "FTS5 bm25",
    buildMs: performance.now() - started,
    async query(c) {
      const match = ftsMatch(c.q);
      if (match === "") return undefined;
      const where: string[] = [];
      const args: (string | number)[] = [match];
      if (c.filters.type) {
        where.push("AND type = ?");
        args.push(c.filters.type);
      }
      if (c.filters.status) {
        where.push("AND status = ?");
        args.push(c.filters.status);
      }
      if (c.filters.decade) {
        where.push("AND year BETWEEN ? AND ?");
        args.push(Number(c.filters.decade), Number(c.filters.decade) + 9);
      }
      const rs = await client.execute({
        sql: `SELECT rid, kind FROM r WHERE r MATCH ? ${where.join(" ")} ORDER BY bm25(r) LIMIT 20`,
        args,
      });
      return rs.rows.map((row) => ({
        kind: row.kind === "act" ? "act" : "dossier",
        id: String(row.rid),
      }));
    },
    close() {
      client.close();
    },
  };
}
