/**
 * Branch side: the bytes of granted documents are pinned while their grant is active, so the
 * branch fetches them first and never evicts them, and a citizen can consult them offline.
 *
 * Grant pins live in `file_pins` (one row per file and grant, holder `grant:<id>`), apart from
 * `document_files.pinned`, the node's own pin (a clerk's "Scarica in sede", an unsent upload):
 * a grant ending deletes its rows only, so it can never drop a clerk's pin, and a file two
 * grants name stays pinned until both end. The rows are derived state: `reconcileGrantPins`
 * recomputes them from the grants and the clock, after a grant is made or revoked here, after
 * each pull, and before each file run (which is how an expiry unpins, offline too).
 *
 * Which grants pin here: those made at this branch and those of requests filed here (the
 * citizen comes back to the kiosk where they filed). Every branch receives every grant; the
 * others need not hold the bytes.
 */
import { and, eq, gte, inArray, isNull, like, or } from "drizzle-orm";
import type { DbOrTx } from "./outbox.ts";
import {
  accessGrantDocuments,
  accessGrants,
  accessRequestRecords,
  accessRequests,
  documentFiles,
  documents,
  filePins,
} from "./schema.ts";
import { localDate } from "../domain/access_deadline.ts";

const HOLDER_PREFIX = "grant:";
const FALLBACK_MIME = "application/octet-stream";

/** The holder name of a grant's pins. */
export function grantHolder(grantId: string): string {
  return `${HOLDER_PREFIX}${grantId}`;
}

interface WantedFile {
  sha256: string;
  bytes: number;
  mime: string | null;
}

/**
 * Brings the grant pins in line with the grants active at `now` that concern `branch`:
 * missing pins are added (with a `document_files` row, not present, for bytes never seen
 * here, so the file queue fetches them), pins of grants that ended are removed. Joins the
 * caller's transaction. Returns how many pins were added and removed.
 */
export async function reconcileGrantPins(
  db: DbOrTx,
  branch: string,
  now: Date,
): Promise<{ added: number; removed: number }> {
  const today = localDate(now);
  const grants = await db.select({ id: accessGrants.id, requestId: accessGrants.requestId })
    .from(accessGrants)
    .leftJoin(accessRequests, eq(accessRequests.id, accessGrants.requestId))
    .where(and(
      isNull(accessGrants.revokedAt),
      gte(accessGrants.validUntil, today),
      or(eq(accessGrants.branch, branch), eq(accessRequests.branch, branch)),
    ));
  const wanted = new Map<string, WantedFile[]>();
  for (const g of grants) wanted.set(grantHolder(g.id), await filesOfGrant(db, g.id, g.requestId));
  const current = await db.select().from(filePins).where(
    like(filePins.holder, `${HOLDER_PREFIX}%`),
  );
  const have = new Set(current.map((p) => `${p.holder}\u0000${p.sha256}`));
  const want = new Set<string>();
  const at = now.toISOString();
  let added = 0;
  for (const [holder, files] of wanted) {
    for (const f of files) {
      const key = `${holder}\u0000${f.sha256}`;
      if (want.has(key)) continue;
      want.add(key);
      if (have.has(key)) continue;
      // The file queue looks for pinned rows of document_files: bytes never seen here get one.
      await db.insert(documentFiles).values({
        sha256: f.sha256,
        mime: f.mime ?? FALLBACK_MIME,
        bytes: f.bytes,
        present: false,
        createdAt: at,
        updatedAt: at,
      }).onConflictDoNothing();
      await db.insert(filePins).values({ sha256: f.sha256, holder, createdAt: at })
        .onConflictDoNothing();
      added++;
    }
  }
  let removed = 0;
  for (const p of current) {
    if (want.has(`${p.holder}\u0000${p.sha256}`)) continue;
    await db.delete(filePins).where(
      and(eq(filePins.sha256, p.sha256), eq(filePins.holder, p.holder)),
    );
    removed++;
  }
  return { added, removed };
}

async function filesOfGrant(db: DbOrTx, grantId: string, requestId: string) {
  const all = await db.select({
    recordKind: documents.recordKind,
    recordId: documents.recordId,
    sha256: documents.sha256,
    bytes: documents.bytes,
    mime: documents.mime,
  }).from(accessRequestRecords)
    .innerJoin(
      documents,
      and(
        eq(documents.recordKind, accessRequestRecords.recordKind),
        eq(documents.recordId, accessRequestRecords.recordId),
      ),
    )
    .where(eq(accessRequestRecords.requestId, requestId));
  const grant = await db.select({ scope: accessGrants.scope }).from(accessGrants)
    .where(eq(accessGrants.id, grantId)).get();
  if (grant?.scope === "whole") return all;
  const listed = await db.select().from(accessGrantDocuments)
    .where(eq(accessGrantDocuments.grantId, grantId));
  const named = new Set(listed.map((d) => `${d.recordKind}\u0000${d.recordId}\u0000${d.sha256}`));
  return all.filter((d) => named.has(`${d.recordKind}\u0000${d.recordId}\u0000${d.sha256}`));
}

/** The files pinned by grants, and by which grants (tests, the admin's view). */
export async function grantPinsOf(
  db: DbOrTx,
  shas: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (shas.length === 0) return out;
  for (
    const p of await db.select().from(filePins).where(inArray(filePins.sha256, shas))
  ) {
    if (!p.holder.startsWith(HOLDER_PREFIX)) continue;
    out.set(p.sha256, [...out.get(p.sha256) ?? [], p.holder.slice(HOLDER_PREFIX.length)]);
  }
  return out;
}
