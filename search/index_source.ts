/**
 * The build's reader: every record in keyset pages of `size`, with only the fields the
 * index uses (packed_records.ts).
 */
import type { Db } from "../db/client.ts";
import type { RecordDoc } from "../domain/records.ts";
import { readSearchActs, readSearchDossiers } from "./packed_records.ts";

/** Records of a kind in id order, in pages, holding the fields the index reads. */
export async function* indexPages(
  db: Db,
  kind: "dossier" | "act",
  size: number,
): AsyncGenerator<RecordDoc[]> {
  let after = "";
  while (true) {
    const which = { after, limit: size };
    const page = kind === "dossier"
      ? await readSearchDossiers(db, which, { cadastral: false })
      : await readSearchActs(db, which, { text: true });
    const last = page.at(-1);
    if (!last) return;
    yield page;
    if (page.length < size) return;
    after = last.id;
  }
}
