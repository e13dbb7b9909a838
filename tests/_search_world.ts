/**
 * A search test world: a real libSQL file DB in a temp dir through openDb (real
 * migrations), seeded with upsertRecords, the record index built from it, and a search
 * helper with a fixed clock. Disposed with `await using`.
 */
import type { Client } from "@libsql/client";
import { type Db, openDb } from "../db/client.ts";
import { upsertRecords } from "../db/records.ts";
import type { ActDoc, DossierDoc, RecordDoc } from "../domain/records.ts";
import { buildRecordIndex, createRecordIndex, type RecordIndex } from "../search/record_index.ts";
import { searchRecords } from "../search/search_records.ts";
import { parseSearchParams, type SearchResult } from "../search/types.ts";

/** The instant the search clock returns (2026: "26" reads as 2026, "27" as 1927). */
export const SEARCH_NOW = new Date("2026-06-15T10:00:00.000Z");

/** Dossier types and act kinds the tests validate filters against. */
export const VOCAB = {
  types: ["LE", "CE", "AUT", "PDC", "DIA", "SCIA", "CILA", "COND", "SAN", "AGI", "ABUSI"],
  actKinds: ["delibera_consiglio", "delibera_giunta", "determina", "verbale"],
};

/** A minimal valid dossier; fields override. */
export function dossier(fields: Partial<DossierDoc> & { id: string }): DossierDoc {
  return {
    record: "dossier",
    series: "STORICO",
    type: "CE",
    number: "1",
    year: 1987,
    aliases: [],
    addresses: [],
    cadastral: [],
    people: [],
    status: "issued",
    documents: [],
    restricted: false,
    ...fields,
  };
}

/** A minimal valid act; fields override. */
export function act(fields: Partial<ActDoc> & { id: string }): ActDoc {
  return {
    record: "act",
    kind: "delibera_consiglio",
    number: "1",
    year: 2019,
    date: "2019-07-22",
    subject: "Atto",
    attachments: [],
    restricted: false,
    ...fields,
  };
}

/** Everything a search test touches. */
export interface SearchWorld extends AsyncDisposable {
  db: Db;
  client: Client;
  /** The DB file's URL, for a second connection (the index build's worker). */
  url: string;
  index: RecordIndex;
  /** Runs a search from URL-style parameters, as the routes do. */
  search(
    q: string,
    extra?: Record<string, string>,
    audience?: "public" | "clerk",
  ): Promise<SearchResult>;
  /** Ids of the hits of a search, best first. */
  ids(q: string, extra?: Record<string, string>, audience?: "public" | "clerk"): Promise<string[]>;
}

/** A fresh DB seeded with `records` and an index built from it. */
export async function createSearchWorld(
  records: RecordDoc[],
  options: { build?: boolean; orderedAtOnce?: number } = {},
): Promise<SearchWorld> {
  const dir = await Deno.makeTempDir({ prefix: "faldone-search-" });
  const { db, client } = await openDb(`${dir}/faldone.db`);
  if (records.length > 0) await db.transaction((tx) => upsertRecords(tx, records, SEARCH_NOW));
  const index = createRecordIndex(
    options.orderedAtOnce === undefined ? {} : { orderedAtOnce: options.orderedAtOnce },
  );
  if (options.build ?? true) await buildRecordIndex(db, index);
  const search = (
    q: string,
    extra: Record<string, string> = {},
    audience: "public" | "clerk" = "public",
  ) =>
    searchRecords(
      db,
      index,
      parseSearchParams(new URLSearchParams({ q, per_page: "100", ...extra }), VOCAB),
      audience,
      () => new Date(SEARCH_NOW),
    );
  return {
    db,
    client,
    url: `file:${dir}/faldone.db`,
    index,
    search: (q, extra, audience) => search(q, extra, audience ?? "public"),
    ids: async (q, extra, audience) =>
      (await search(q, extra, audience ?? "public")).hits.map((h) => h.id),
    async [Symbol.asyncDispose]() {
      client.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
