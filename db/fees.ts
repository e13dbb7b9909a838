/**
 * The fee table in the DB: read by the kiosk (the amount shown before filing) and by the
 * archive (the amount of the notice); edited by admins with an audit entry in the same
 * transaction. Rows carry a `seq` and deletes leave a tombstone, so the feed brings the
 * archive's table down to every branch (`feeRuleFeedEntity`, `feeExemptionFeedEntity`).
 */
import { asc, count, eq, gt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "./client.ts";
import { auditActionIn, type AuditedBy } from "./audit.ts";
import { nextSeq } from "./access_requests.ts";
import { feeExemptions, feeRules, tombstones } from "./schema.ts";
import { FEE_ITEMS, type FeeExemption, type FeeRule } from "../domain/fees.ts";
import type { DbOrTx, Tx } from "./outbox.ts";
import type { FeedEntity } from "../sync/feed_entities.ts";
import { localMessage } from "../i18n/local_message.ts";

/** Feed entity names. */
export const FEE_RULE_ENTITY = "fee_rule";
export const FEE_EXEMPTION_ENTITY = "fee_exemption";

/** The whole table: rules by item and age band, and the exemptions. */
export interface FeeTable {
  rules: FeeRule[];
  exemptions: FeeExemption[];
}

/** A rule as the admin form gives it. */
export type NewFeeRule = Omit<FeeRule, "id">;

/** A change the table refuses: an Italian message for the admin. */
export class FeeTableError extends Error {}

/** The current fee table. */
export async function readFeeTable(db: DbOrTx): Promise<FeeTable> {
  const rules = await db.select().from(feeRules)
    .orderBy(asc(feeRules.item), asc(feeRules.yearFrom), asc(feeRules.yearTo));
  const exemptions = await db.select().from(feeExemptions).orderBy(asc(feeExemptions.reason));
  return {
    rules: rules.map(({ id, item, yearFrom, yearTo, amountCents }) => ({
      id,
      item,
      yearFrom,
      yearTo,
      amountCents,
    })),
    exemptions: exemptions.map(({ id, reason }) => ({ id, reason })),
  };
}

function bandsOverlap(a: NewFeeRule, b: NewFeeRule): boolean {
  const aFrom = a.yearFrom ?? -Infinity, aTo = a.yearTo ?? Infinity;
  const bFrom = b.yearFrom ?? -Infinity, bTo = b.yearTo ?? Infinity;
  const banded = (r: NewFeeRule) => r.yearFrom !== null || r.yearTo !== null;
  // A band-less rule is the fallback of banded ones; two band-less rules clash.
  if (banded(a) !== banded(b)) return false;
  return aFrom <= bTo && bFrom <= aTo;
}

function euro(cents: number): string {
  return (cents / 100).toFixed(2).replace(".", ",");
}

/** Adds a rule; refuses one whose age band overlaps another of the same item. */
export async function addFeeRule(db: Db, rule: NewFeeRule, by: AuditedBy): Promise<FeeRule> {
  return await db.transaction(async (tx) => {
    const same = await tx.select().from(feeRules).where(eq(feeRules.item, rule.item));
    if (same.some((r) => bandsOverlap(r, rule))) {
      throw new FeeTableError(localMessage((t) => t.feesAdmin.overlap));
    }
    const row = {
      id: crypto.randomUUID(),
      ...rule,
      updatedAt: by.now.toISOString(),
      seq: await nextSeq(tx),
    };
    await tx.insert(feeRules).values(row);
    await auditActionIn(tx, by, {
      action: "fee_rule_add",
      recordKind: FEE_RULE_ENTITY,
      recordId: row.id,
      detail: `${rule.item} ${rule.yearFrom ?? "…"}-${rule.yearTo ?? "…"} € ${
        euro(rule.amountCents)
      }`,
    });
    return { id: row.id, ...rule };
  });
}

/** Adds an exemption with its reason. */
export async function addFeeExemption(
  db: Db,
  reason: string,
  by: AuditedBy,
): Promise<FeeExemption> {
  return await db.transaction(async (tx) => {
    const row = { id: crypto.randomUUID(), reason, updatedAt: by.now.toISOString() };
    await tx.insert(feeExemptions).values({ ...row, seq: await nextSeq(tx) });
    await auditActionIn(tx, by, {
      action: "fee_exemption_add",
      recordKind: FEE_EXEMPTION_ENTITY,
      recordId: row.id,
      detail: reason.slice(0, 120),
    });
    return { id: row.id, reason };
  });
}

/** Removes a rule or an exemption, leaving a tombstone for the feed; false when unknown. */
export async function removeFeeEntry(
  db: Db,
  entity: typeof FEE_RULE_ENTITY | typeof FEE_EXEMPTION_ENTITY,
  id: string,
  by: AuditedBy,
): Promise<boolean> {
  const table = entity === FEE_RULE_ENTITY ? feeRules : feeExemptions;
  return await db.transaction(async (tx) => {
    const gone = await tx.delete(table).where(eq(table.id, id)).returning({ id: table.id });
    if (gone.length === 0) return false;
    const seq = await nextSeq(tx);
    const deletedAt = by.now.toISOString();
    await tx.insert(tombstones).values({ entity, id, deletedAt, seq }).onConflictDoUpdate({
      target: [tombstones.entity, tombstones.id],
      set: { deletedAt, seq },
    });
    await auditActionIn(tx, by, { action: `${entity}_remove`, recordKind: entity, recordId: id });
    return true;
  });
}

const ruleDoc = z.object({
  id: z.string().min(1).max(100),
  item: z.enum(FEE_ITEMS),
  yearFrom: z.number().int().nullable(),
  yearTo: z.number().int().nullable(),
  amountCents: z.number().int().min(0),
  updatedAt: z.string(),
});
const exemptionDoc = z.object({
  id: z.string().min(1).max(100),
  reason: z.string().min(1).max(500),
  updatedAt: z.string(),
});

/** A feed entity for one of the two fee tables. */
function feeFeedEntity<T extends { id: string }>(
  entity: string,
  table: typeof feeRules | typeof feeExemptions,
  parse: (doc: unknown) => T | undefined,
  upsert: (tx: Tx, row: T) => Promise<void>,
): FeedEntity {
  return {
    entity,
    indexed: false,
    async changedSince(db, after, limit) {
      return await db.select({ id: table.id, seq: table.seq }).from(table)
        .where(gt(table.seq, after)).orderBy(asc(table.seq)).limit(limit);
    },
    async countSince(db, after) {
      const [row] = await db.select({ n: count() }).from(table).where(gt(table.seq, after));
      return row?.n ?? 0;
    },
    async read(db, ids) {
      const out = new Map<string, unknown>();
      for (const id of ids) {
        const row = await db.select().from(table).where(eq(table.id, id)).get();
        if (row) {
          const { seq: _seq, ...doc } = row;
          out.set(id, doc);
        }
      }
      return out;
    },
    async apply(tx, items) {
      for (const { id, doc } of items) {
        const row = parse(doc);
        if (!row || row.id !== id) throw new Error(`change ${entity} ${id}: not a ${entity}`);
        await upsert(tx, row);
      }
    },
    async remove(tx, id) {
      await tx.delete(table).where(eq(table.id, id));
    },
  };
}

// A branch keeps the archive's rows as they are; seq 0, since no feed is read from a branch.
/** Brings the archive's fee rules down to the branches. */
export const feeRuleFeedEntity = feeFeedEntity(
  FEE_RULE_ENTITY,
  feeRules,
  (doc) => ruleDoc.safeParse(doc).data,
  async (tx, row) => {
    await tx.insert(feeRules).values({ ...row, seq: 0 }).onConflictDoUpdate({
      target: feeRules.id,
      set: { ...row, seq: 0 },
    });
  },
);

/** Brings the archive's exemptions down to the branches. */
export const feeExemptionFeedEntity = feeFeedEntity(
  FEE_EXEMPTION_ENTITY,
  feeExemptions,
  (doc) => exemptionDoc.safeParse(doc).data,
  async (tx, row) => {
    await tx.insert(feeExemptions).values({ ...row, seq: 0 }).onConflictDoUpdate({
      target: feeExemptions.id,
      set: { ...row, seq: 0 },
    });
  },
);
