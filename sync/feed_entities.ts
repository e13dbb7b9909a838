/**
 * The kinds of rows the archive → branch feed carries, each with how the archive finds and
 * reads its changed rows and how a branch applies them. Records come first; another kind
 * (access requests coming back down with their decided state) is one more entry in
 * `FEED_ENTITIES`, and its deletes travel as rows of `tombstones` with the same entity name.
 */
import { asc, count, gt } from "drizzle-orm";
import { deleteRecord, deleteRecords, readRecords, upsertRecords } from "../db/records.ts";
import { acts, dossiers } from "../db/schema.ts";
import type { RecordDoc, RecordKind } from "../domain/records.ts";
import type { DbOrTx, Tx } from "../db/outbox.ts";
import { accessRequestFeedEntity } from "../db/access_request_sync.ts";
import { feeExemptionFeedEntity, feeRuleFeedEntity } from "../db/fees.ts";
import { paymentNoticeFeedEntity } from "../db/payment_notices.ts";
import { bookingConfigFeedEntity } from "../db/booking_config.ts";
import { bookingFeedEntity, bookingReleaseFeedEntity } from "../db/booking_sync.ts";
import { accessGrantFeedEntity } from "../db/access_grant_sync.ts";

/** A changed row: its id and the seq of its last change. */
export interface ChangedRow {
  id: string;
  seq: number;
}

/** Everything sync needs to know about one kind of row travelling down. */
export interface FeedEntity {
  entity: string;
  /** Archive: rows changed after `after`, by seq, at most `limit`. */
  changedSince(db: DbOrTx, after: number, limit: number): Promise<ChangedRow[]>;
  /** Archive: how many rows changed after `after` (progress only). */
  countSince(db: DbOrTx, after: number): Promise<number>;
  /** Archive: the current documents of these rows, keyed by id (missing ids left out). */
  read(db: DbOrTx, ids: string[]): Promise<Map<string, unknown>>;
  /** Branch: writes received documents (in feed order); throws when one is not valid. */
  apply(tx: Tx, items: { id: string; doc: unknown }[], now: Date): Promise<void>;
  /** Branch: removes a row the archive deleted. */
  remove(tx: Tx, id: string, now: Date): Promise<void>;
  /** Branch: removes many rows the archive deleted, as `remove` one by one would. */
  removeMany?(tx: Tx, ids: string[], now: Date): Promise<void>;
  /** True for records: the search index follows their changes. */
  indexed: boolean;
}

function isRecordDoc(kind: RecordKind, id: string, doc: unknown): doc is RecordDoc {
  // The archive is authenticated and trusted; this guards against a mixed-up page, not forgery.
  return typeof doc === "object" && doc !== null && "record" in doc && doc.record === kind &&
    "id" in doc && doc.id === id;
}

function recordEntity(kind: RecordKind): FeedEntity {
  const table = kind === "dossier" ? dossiers : acts;
  return {
    entity: kind,
    indexed: true,
    async changedSince(db, after, limit) {
      return await db.select({ id: table.id, seq: table.seq }).from(table)
        .where(gt(table.seq, after)).orderBy(asc(table.seq)).limit(limit);
    },
    async countSince(db, after) {
      const [row] = await db.select({ n: count() }).from(table).where(gt(table.seq, after));
      return row?.n ?? 0;
    },
    async read(db, ids) {
      const docs = await readRecords(db, kind, ids);
      return new Map(docs.map((d) => [d.id, d]));
    },
    async apply(tx, items, now) {
      const docs: RecordDoc[] = [];
      for (const { id, doc } of items) {
        if (!isRecordDoc(kind, id, doc)) throw new Error(`change ${kind} ${id}: not a ${kind}`);
        docs.push(doc);
      }
      // One batched upsert per run of same-kind changes: a 300k first sync stays fast.
      await upsertRecords(tx, docs, now);
    },
    async remove(tx, id, now) {
      await deleteRecord(tx, kind, id, now);
    },
    async removeMany(tx, ids, now) {
      await deleteRecords(tx, kind, ids, now);
    },
  };
}

/** The kinds of rows the feed carries, in the order ties are broken. */
export const FEED_ENTITIES: readonly FeedEntity[] = [
  recordEntity("dossier"),
  recordEntity("act"),
  accessRequestFeedEntity,
  // The fee table, so a branch's kiosk shows the amount the archive will ask, and the
  // notices the archive registered on pagoPA, with their paid state.
  feeRuleFeedEntity,
  feeExemptionFeedEntity,
  paymentNoticeFeedEntity,
  // Bookings: each branch's setup, the bookings (online ones for the counter's day view)
  // and the archive's release horizon, which comes after the online bookings it covers.
  bookingConfigFeedEntity,
  bookingFeedEntity,
  bookingReleaseFeedEntity,
  // Grants and their revocations, so the branch where the request was filed pins the
  // granted files and every kiosk can judge a grant offline with its own clock.
  accessGrantFeedEntity,
];

/** The feed entity of this name, or undefined for a kind this build does not know. */
export function feedEntity(name: string): FeedEntity | undefined {
  return FEED_ENTITIES.find((e) => e.entity === name);
}
