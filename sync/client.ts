/**
 * Branch side: pulls the archive's change feed page by page and pushes the outbox batch by
 * batch. Each pulled page is applied in one transaction together with its cursor, so a cut
 * transfer or a killed process leaves the branch on a page boundary and the next run resumes
 * there; each push is settled only from the archive's answer, which is idempotent.
 */
import type { Db } from "../db/client.ts";
import type { RecordKind } from "../domain/records.ts";
import type { PageSizer } from "./backoff.ts";
import { SyncProtocolError, SyncTransientError } from "./errors.ts";
import { type FeedEntity, feedEntity } from "./feed_entities.ts";
import { cleanIncoming } from "./incoming_text.ts";
import { countPendingMutations, pendingMutations, settlePushed } from "../db/outbox.ts";
import { type ChangesPage, parseChangesPage, parsePushResponse } from "./protocol.ts";
import { addTraffic, readCursor, writeCursor } from "./sync_state.ts";
import { exchange, type Transport } from "./transport.ts";
import { ACCEPT_V2 } from "./page_encoding.ts";

/** A record changed by a pull, for the search index to follow. */
export interface RecordChange {
  kind: RecordKind;
  id: string;
}

/** Live progress of the transfer under way. */
export interface SyncProgress {
  phase: "pull" | "push";
  /** Changes applied (pull) or mutations settled (push) in this run. */
  done: number;
  /** done + what is still waiting, as far as known. */
  total: number;
  bytesReceived: number;
  bytesSent: number;
}

/** What a branch sync needs: its DB, the link, a clock and what to tell about progress. */
export interface SyncClientDeps {
  db: Db;
  transport: Transport;
  clock: () => Date;
  /** Called after each committed page with the records it changed (search index update). */
  onRecordsChanged: (changes: RecordChange[]) => Promise<void>;
  onProgress?: (progress: SyncProgress) => void;
  /**
   * This branch's name (as on the requests it files): after a pull, the files of the active
   * grants that concern it are pinned and those of ended ones unpinned (db/grant_pins.ts).
   */
  branchName?: string | undefined;
}

/** What one pulled page did. */
export interface PullStep {
  applied: number;
  remaining: number;
  more: boolean;
  wireBytes: number;
  rawBytes: number;
  /** Branch time for this page: decoding and checking it, then applying it. */
  applyMs: number;
}

/** A page received but not yet applied. */
export interface FetchedPage {
  after: number;
  page: ChangesPage;
  wireBytes: number;
  rawBytes: number;
  elapsedMs: number;
  /** Time spent decoding and checking the body once it had arrived. */
  decodeMs: number;
}

/** Asks the archive for the page after `after`, at most about `maxBytes` of JSON. */
export async function fetchPage(
  deps: SyncClientDeps,
  after: number,
  maxBytes: number,
): Promise<FetchedPage> {
  const started = performance.now();
  const res = await exchange(deps.transport, `/changes?after=${after}&max_bytes=${maxBytes}`, {
    method: "GET",
    // An archive built before v2 does not know the type and answers JSON, which we read too.
    ...(deps.transport.pageEncoding === 1 ? {} : { accept: ACCEPT_V2 }),
  });
  const parseStarted = performance.now();
  let page;
  try {
    page = parseChangesPage(res.body);
  } catch (err) {
    throw new SyncProtocolError(`Pagina di modifiche non valida dall'archivio: ${String(err)}`);
  }
  if (page.cursor < after) {
    throw new SyncProtocolError(
      "L'archivio ha risposto con un cursore precedente a quello chiesto",
    );
  }
  return {
    after,
    page,
    wireBytes: res.wireBytes,
    rawBytes: res.rawBytes,
    elapsedMs: performance.now() - started,
    decodeMs: res.decodeMs + performance.now() - parseStarted,
  };
}

/**
 * Applies a fetched page and its cursor in one transaction, then tells the search index.
 * Refuses (transient) when the stored cursor moved meanwhile: another sync of the same DB.
 */
export async function applyPage(deps: SyncClientDeps, fetched: FetchedPage): Promise<PullStep> {
  const { db, clock } = deps;
  const { page } = fetched;
  const started = performance.now();
  const changed: RecordChange[] = [];
  const now = clock();
  await db.transaction(async (tx) => {
    if (await readCursor(tx) !== fetched.after) {
      throw new SyncTransientError("un'altra sincronizzazione della stessa sede è in corso");
    }
    // Consecutive upserts of one kind go in one batch, and so do consecutive deletions (a 2 %
    // sync at 1M deletes thousands); a change of kind or of operation ends the run, so the
    // order of changes to the same id is kept.
    let run: {
      entity: FeedEntity;
      deleted: boolean;
      items: { id: string; doc: unknown }[];
    } | undefined;
    const flush = async () => {
      if (!run) return;
      const { entity, deleted, items } = run;
      run = undefined;
      if (!deleted) await entity.apply(tx, items, now);
      else if (entity.removeMany) await entity.removeMany(tx, items.map((i) => i.id), now);
      else for (const i of items) await entity.remove(tx, i.id, now);
    };
    for (const c of page.changes) {
      const entity = feedEntity(c.entity);
      // A kind added to the archive later is skipped: this build has nowhere to store it.
      if (!entity) continue;
      const deleted = Boolean(c.deleted);
      if (run && (run.entity !== entity || run.deleted !== deleted)) await flush();
      run ??= { entity, deleted, items: [] };
      run.items.push({ id: c.id, doc: deleted ? undefined : cleanIncoming(c.doc) });
      if (entity.indexed && (c.entity === "dossier" || c.entity === "act")) {
        changed.push({ kind: c.entity, id: c.id });
      }
    }
    await flush();
    await writeCursor(tx, page.cursor, now);
  });
  await addTraffic(db, fetched.wireBytes, 0, now);
  if (changed.length > 0) await deps.onRecordsChanged(changed);
  return {
    applied: page.changes.length,
    remaining: page.remaining,
    more: page.more,
    wireBytes: fetched.wireBytes,
    rawBytes: fetched.rawBytes,
    applyMs: fetched.decodeMs + performance.now() - started,
  };
}

/** What one pushed batch did. */
export interface PushStep {
  sent: number;
  rejected: number;
  remaining: number;
  wireBytes: number;
  sentBytes: number;
}

/** Pushes the oldest pending mutations, at most about `sizer.next()` bytes of them. */
export async function pushBatch(deps: SyncClientDeps, sizer: PageSizer): Promise<PushStep> {
  const { db, clock } = deps;
  const candidates = await pendingMutations(db, 2000);
  if (candidates.length === 0) {
    return { sent: 0, rejected: 0, remaining: 0, wireBytes: 0, sentBytes: 0 };
  }
  const batch = [];
  let bytes = 0;
  for (const m of candidates) {
    const size = JSON.stringify(m).length + 1;
    if (batch.length > 0 && bytes + size > sizer.next()) break;
    batch.push(m);
    bytes += size;
  }
  const body = JSON.stringify({ mutations: batch });
  const started = performance.now();
  const res = await exchange(deps.transport, "/mutations", { method: "POST", body });
  sizer.record(body.length, performance.now() - started, batch.length < candidates.length);
  let answer;
  try {
    answer = parsePushResponse(res.body);
  } catch (err) {
    throw new SyncProtocolError(`Risposta non valida dall'archivio a un invio: ${String(err)}`);
  }
  const rejected = answer.results.filter((r) => r.status === "rejected")
    .map((r) => ({ number: r.number, reason: r.reason ?? "rifiutata dall'archivio" }));
  const now = clock();
  // Settle only this batch: rows past it may have been rejected in an answer that was lost,
  // and only resending them brings their reason back.
  const settledUpTo = Math.min(answer.lastAppliedNumber, batch[batch.length - 1]?.number ?? 0);
  await db.transaction((tx) => settlePushed(tx, settledUpTo, rejected));
  await addTraffic(db, res.wireBytes, body.length, now);
  return {
    sent: batch.length,
    rejected: rejected.length,
    remaining: await countPendingMutations(db),
    wireBytes: res.wireBytes,
    sentBytes: body.length,
  };
}
