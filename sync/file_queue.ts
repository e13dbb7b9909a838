/**
 * Branch side: which document bytes this branch should hold and move (docs/SYNC.md "Files").
 * Wanted: every pinned file not here (a clerk's "Scarica in sede", queued even offline), and
 * the public attachments of public acts, newest acts first, while they fit in the byte budget
 * together with the pinned files. Uploads: a counter scan is queued in the transaction that
 * added it. The disk budget evicts the least recently used files that are neither pinned,
 * nor wanted, nor still waiting to go up.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { acts, documentFiles, documents, fileTransfers } from "../db/schema.ts";
import type { FileStore } from "../documents/file_store.ts";
import type { DbOrTx } from "../db/outbox.ts";
import { keptPinned } from "../db/document_files.ts";
import { syncReason } from "./reasons.ts";

const NO_PROGRESS = syncReason((r) => r.noProgress);

/** A transfer as the admin page shows it. */
export type FileTransferRow = typeof fileTransfers.$inferSelect;

/** Queues the upload of a file made at this branch; joins the caller's transaction. */
export async function enqueueUpload(
  tx: DbOrTx,
  file: { sha256: string; bytes: number },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await tx.insert(fileTransfers).values({
    sha256: file.sha256,
    direction: "up",
    total: file.bytes,
    createdAt: at,
    updatedAt: at,
  }).onConflictDoNothing();
}

/** The files the branch should hold, pinned first, then public attachments newest first. */
export async function wantedFiles(
  db: DbOrTx,
  budgetBytes: number,
): Promise<{ pinned: Map<string, number>; automatic: Map<string, number> }> {
  const pinned = new Map<string, number>();
  for (
    const r of await db.select({ sha256: documentFiles.sha256, bytes: documentFiles.bytes })
      .from(documentFiles).where(sql`${keptPinned}`)
  ) pinned.set(r.sha256, r.bytes);
  let used = [...pinned.values()].reduce((a, b) => a + b, 0);
  const automatic = new Map<string, number>();
  const publicFiles = await db.select({ sha256: documents.sha256, bytes: documents.bytes })
    .from(documents).innerJoin(acts, eq(acts.id, documents.recordId))
    .where(and(
      eq(documents.recordKind, "act"),
      eq(documents.public, true),
      eq(acts.restricted, false),
    ))
    .orderBy(desc(acts.date), desc(acts.id), asc(documents.position));
  for (const f of publicFiles) {
    if (pinned.has(f.sha256) || automatic.has(f.sha256)) continue;
    // Newest acts first until the budget is full: an older act never displaces a newer one.
    if (used + f.bytes > budgetBytes) break;
    used += f.bytes;
    automatic.set(f.sha256, f.bytes);
  }
  return { pinned, automatic };
}

/**
 * Brings the download queue in line with what is wanted: queues wanted files not here,
 * drops queued downloads no longer wanted (unpinned, out of budget) with their partial files.
 * Returns the wanted set, for eviction.
 */
export async function planDownloads(
  db: Db,
  store: FileStore,
  budgetBytes: number,
  now: Date,
): Promise<Set<string>> {
  const { pinned, automatic } = await wantedFiles(db, budgetBytes);
  const wanted = new Map([...pinned, ...automatic]);
  const present = new Set(
    (await db.select({ sha256: documentFiles.sha256 }).from(documentFiles)
      .where(eq(documentFiles.present, true))).map((r) => r.sha256),
  );
  const queued = await db.select().from(fileTransfers).where(eq(fileTransfers.direction, "down"));
  const at = now.toISOString();
  for (const [sha256, bytes] of wanted) {
    if (present.has(sha256) || queued.some((q) => q.sha256 === sha256)) continue;
    await db.insert(fileTransfers).values({
      sha256,
      direction: "down",
      total: bytes,
      createdAt: at,
      updatedAt: at,
    }).onConflictDoNothing();
  }
  for (const q of queued) {
    if (wanted.has(q.sha256) && !present.has(q.sha256)) continue;
    await db.delete(fileTransfers).where(
      and(eq(fileTransfers.sha256, q.sha256), eq(fileTransfers.direction, "down")),
    );
    await Deno.remove(downloadPartialPath(store, q.sha256)).catch(() => {});
  }
  return new Set(wanted.keys());
}

/** The order downloads run in: pinned (a clerk waits for them) first, then oldest queued. */
export async function downloadQueue(db: DbOrTx): Promise<FileTransferRow[]> {
  const rows = await db.select({ t: fileTransfers })
    .from(fileTransfers)
    .leftJoin(documentFiles, eq(documentFiles.sha256, fileTransfers.sha256))
    .where(eq(fileTransfers.direction, "down"))
    // Queued in wanted order (newest acts first): rowid keeps it among rows queued together.
    .orderBy(
      desc(sql`coalesce(${keptPinned}, 0)`),
      asc(fileTransfers.createdAt),
      asc(sql`${fileTransfers}.rowid`),
    );
  return rows.map((r) => r.t);
}

/** Uploads waiting, oldest first. */
export async function uploadQueue(db: DbOrTx): Promise<FileTransferRow[]> {
  return await db.select().from(fileTransfers).where(eq(fileTransfers.direction, "up"))
    .orderBy(asc(fileTransfers.createdAt));
}

/** Every unfinished transfer, for the admin page. */
export async function transferQueue(db: DbOrTx): Promise<FileTransferRow[]> {
  return [...await uploadQueue(db), ...await downloadQueue(db)];
}

/**
 * Removes least recently used files until the present files fit in `budgetBytes`; never a
 * pinned file, a wanted one, or one still waiting to go up. Returns the bytes freed.
 */
export async function evictToBudget(
  db: Db,
  store: FileStore,
  budgetBytes: number,
  keep: ReadonlySet<string>,
  now: Date,
): Promise<{ files: number; bytes: number }> {
  const [row] = await db.select({ total: sql<number>`coalesce(sum(${documentFiles.bytes}), 0)` })
    .from(documentFiles).where(eq(documentFiles.present, true));
  let used = Number(row?.total ?? 0);
  const freed = { files: 0, bytes: 0 };
  if (used <= budgetBytes) return freed;
  const uploading = (await db.select({ sha256: fileTransfers.sha256 }).from(fileTransfers)
    .where(eq(fileTransfers.direction, "up"))).map((r) => r.sha256);
  const rows = await db.select({
    sha256: documentFiles.sha256,
    bytes: documentFiles.bytes,
    pinned: keptPinned,
    contentSha256: documentFiles.contentSha256,
  }).from(documentFiles)
    .where(eq(documentFiles.present, true))
    .orderBy(asc(sql`coalesce(${documentFiles.lastUsedAt}, ${documentFiles.createdAt})`));
  // A signed envelope and the content it wraps go together: the viewer shows the content
  // beside the envelope's signatures, so the content never leaves on its own.
  const contentOf = new Map(
    rows.filter((r) => r.contentSha256).map((r) => [r.sha256, r.contentSha256!]),
  );
  const wrapped = new Set(contentOf.values());
  const bytesOf = new Map(rows.map((r) => [r.sha256, r.bytes]));
  const gone = new Set<string>();
  const remove = async (sha: string) => {
    if (gone.has(sha)) return;
    gone.add(sha);
    // The row first: a file marked absent but still on disk is only wasted space, while a
    // file gone from disk but marked present would break the viewer.
    await db.update(documentFiles).set({ present: false, updatedAt: now.toISOString() })
      .where(eq(documentFiles.sha256, sha));
    await store.remove(sha);
    const bytes = bytesOf.get(sha) ?? 0;
    used -= bytes;
    freed.files++;
    freed.bytes += bytes;
  };
  for (const c of rows) {
    if (used <= budgetBytes) break;
    if (
      c.pinned || keep.has(c.sha256) || uploading.includes(c.sha256) || wrapped.has(c.sha256) ||
      gone.has(c.sha256)
    ) continue;
    await remove(c.sha256);
    const content = contentOf.get(c.sha256);
    if (!content) continue;
    // Unless another envelope still here wraps the same content.
    if (!rows.some((r) => r.contentSha256 === content && !gone.has(r.sha256))) {
      await remove(content);
    }
  }
  return freed;
}

/**
 * True when files wait that no run tried yet: a queued transfer, or a pinned file not here
 * and not queued (a clerk's "Scarica in sede" since the last run). Stalled ones wait for the
 * next scheduled run.
 */
export async function hasNewFileWork(db: DbOrTx): Promise<boolean> {
  const queued = await db.select({ sha256: fileTransfers.sha256 }).from(fileTransfers)
    .where(eq(fileTransfers.state, "queued")).limit(1).get();
  if (queued) return true;
  const asked = await db.select({ sha256: documentFiles.sha256 }).from(documentFiles)
    .leftJoin(
      fileTransfers,
      and(eq(fileTransfers.sha256, documentFiles.sha256), eq(fileTransfers.direction, "down")),
    )
    .where(and(
      sql`${keptPinned}`,
      eq(documentFiles.present, false),
      sql`${fileTransfers.sha256} IS NULL`,
    )).limit(1).get();
  return asked !== undefined;
}

/** One line of the admin page's file queue. */
export interface FileQueueItem {
  sha256: string;
  direction: "down" | "up";
  /** The document's title or file name, as records name it (the first that does). */
  name: string;
  bytesDone: number;
  total: number;
  state: "queued" | "running" | "stalled" | "failed";
  lastError: string | null;
  /** Bytes per second of the last chunk; null before the first. */
  rate: number | null;
  /** Seconds left at that rate; null when unknown or not moving. */
  etaSeconds: number | null;
  updatedAt: string;
}

/** A running transfer that has not moved for this long is shown as stalled. */
const STILL_MS = 60_000;

/** The file queue with names and ETA, uploads first, for `/admin/sync`. */
export async function fileQueueView(db: DbOrTx, now: Date): Promise<FileQueueItem[]> {
  const rows = await transferQueue(db);
  if (rows.length === 0) return [];
  const names = new Map<string, string>();
  for (
    const d of await db.select({
      sha256: documents.sha256,
      title: documents.title,
      file: documents.file,
    })
      .from(documents).where(inArray(documents.sha256, rows.map((r) => r.sha256)))
  ) if (!names.has(d.sha256)) names.set(d.sha256, d.title || d.file);
  return rows.map((r) => {
    const still = now.getTime() - Date.parse(r.updatedAt) > STILL_MS;
    const state = r.state === "running" && still ? "stalled" : r.state;
    const moving = state === "running" || state === "queued";
    return {
      sha256: r.sha256,
      direction: r.direction,
      name: names.get(r.sha256) ?? `${r.sha256.slice(0, 12)}…`,
      bytesDone: r.bytesDone,
      total: r.total,
      state,
      lastError: state === "stalled" && still && !r.lastError ? NO_PROGRESS : r.lastError,
      rate: r.rate,
      etaSeconds: moving && r.rate ? Math.ceil((r.total - r.bytesDone) / r.rate) : null,
      updatedAt: r.updatedAt,
    };
  });
}

/** Where a download accumulates before it is verified and enters the store. */
export function downloadPartialPath(store: FileStore, sha256: string): string {
  return `${store.root}/.tmp/transfers/${sha256}.down`;
}

/** Drops finished rows (used by tests and after a file arrived some other way). */
export async function forgetTransfers(
  db: DbOrTx,
  direction: "down" | "up",
  shas: string[],
): Promise<void> {
  if (shas.length === 0) return;
  await db.delete(fileTransfers).where(
    and(eq(fileTransfers.direction, direction), inArray(fileTransfers.sha256, shas)),
  );
}
