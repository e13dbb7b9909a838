/**
 * The libSQL FTS5 reference of issue 3: bm25, LIMIT 20, over the lean public fields, in
 * its own temp DB file so the app's schema stays untouched.
 */
import { createClient } from "@libsql/client";
import type { ReferenceBuilder } from "./_references.ts";
import { fold, isStopword } from "./_words.ts";

/** The words of `q` as an FTS5 query: each quoted (no operators), stopwords dropped. */
export function ftsMatch(q: string): string {
  return (fold(q).match(/[a-z0-9]+/g) ?? []).filter((w) => !isStopword(w)).map((w) => `"${w}"`)
    .join(" ");
}

/** An empty FTS5 table in a new DB file at `path`, to fill page by page. */
export async function fts5Builder(path: string): Promise<ReferenceBuilder> {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    await Deno.remove(path + suffix).catch(() => {});
  }
  const client = createClient({ url: `file:${path}` });
  await client.execute(`CREATE VIRTUAL TABLE r USING fts5(rid UNINDEXED, kind UNINDEXED,
    protocol, number, year UNINDEXED, type, status, description, address, cadastral,
    tokenize = "unicode61 remove_diacritics 2")`);
  return {
    name: "FTS5 bm25",
    async add(page) {
      // One statement per page, the rows passed as one JSON array: a statement per row
      // through the client cost ten times more than FTS5's own indexing.
      await client.execute({
        sql: `INSERT INTO r SELECT j.value ->> 'id', j.value ->> 'kind', j.value ->> 'protocol',
          j.value ->> 'number', j.value ->> 'year', j.value ->> 'type', j.value ->> 'status',
          j.value ->> 'description', j.value ->> 'address', j.value ->> 'cadastral'
          FROM json_each(?) AS j`,
        args: [JSON.stringify(page)],
      });
    },
    done: (buildMs, indexed) => ({
      name: "FTS5 bm25",
      buildMs,
      indexed,
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
          sql: `SELECT rid, kind FROM r WHERE r MATCH ? ${
            where.join(" ")
          } ORDER BY bm25(r) LIMIT 20`,
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
    }),
  };
}
