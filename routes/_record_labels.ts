/** Public labels of records named in a request ("CE 452/1987 — subject"). */
import type { Db } from "../db/client.ts";
import { readRecord } from "../db/records.ts";
import type { RequestedRecord } from "../db/access_requests.ts";
import { publicView } from "../domain/public_record.ts";
import { readVocabularies, titleOf } from "../db/vocabularies.ts";

/** A record as a person reads it; `found` false for unknown or restricted ones. */
export interface RecordLabel {
  ref: string;
  label: string;
  subject?: string | undefined;
  found: boolean;
}

/** Labels for each reference, public fields only (restricted records look unknown). */
export async function labelRecords(db: Db, refs: RequestedRecord[]): Promise<RecordLabel[]> {
  const out: RecordLabel[] = [];
  const vocab = await readVocabularies(db);
  for (const r of refs) {
    const ref = `${r.kind}:${r.id}`;
    const doc = await readRecord(db, r.kind, r.id);
    const view = doc ? publicView(doc) : undefined;
    if (!view) {
      out.push({ ref, label: "Pratica non disponibile", found: false });
    } else if (view.record === "dossier") {
      out.push({
        ref,
        label: `${view.type} ${view.number}/${view.year}`,
        subject: view.subject,
        found: true,
      });
    } else {
      const kind = titleOf(vocab.actKinds, view.kind);
      out.push({
        ref,
        label: `${kind} n. ${view.number}/${view.year}`,
        subject: view.subject,
        found: true,
      });
    }
  }
  return out;
}
