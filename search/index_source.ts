/**
 * The build's reader: every record in keyset pages of `size`, with only the fields the
 * index uses (search_rows.ts), worked out into what the index files (indexed_record.ts).
 */
import type { Db } from "../db/client.ts";
import { analyseRecord, type IndexedRecord } from "./indexed_record.ts";
import { readSearchActs, readSearchDossiers, type SearchRow } from "./search_rows.ts";

/** Records of a kind in id order, in pages, holding the fields the index reads. */
export async function* indexPages(
  db: Db,
  kind: "dossier" | "act",
  size: number,
): AsyncGenerator<SearchRow[]> {
  let after = "";
  while (true) {
    const which = { after, limit: size };
    const page = kind === "dossier"
      ? await readSearchDossiers(db, which)
      : await readSearchActs(db, which);
    const last = page.at(-1);
    if (!last) return;
    yield page;
    if (page.length < size) return;
    after = last.id;
  }
}

/** Every record, dossiers then acts, worked out for the index, read on this thread. */
export async function* indexedPagesInThread(
  db: Db,
  size: number,
): AsyncGenerator<IndexedRecord[]> {
  for (const kind of ["dossier", "act"] as const) {
    for await (const page of indexPages(db, kind, size)) yield page.map(analyseRecord);
  }
}
