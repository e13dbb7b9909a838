/**
 * Archive side: reads changes pages, and reads each branch's next page ahead while the
 * current one travels. On a slow line the archive's work for page k+1 then overlaps the
 * transfer of page k instead of adding to every round trip.
 *
 * A page read ahead is still a valid answer later: every change made after it was read has
 * a higher seq than its cursor, so it comes in a later page.
 */
import type { Db } from "../db/client.ts";
import { readChangesPage } from "./change_feed.ts";
import { encodePageV2 } from "./page_encoding.ts";
import type { ChangesPage } from "./protocol.ts";

/** A page with its bodies: v1 JSON, its gzip, and the v2 body when asked for and smaller. */
export interface PreparedPage {
  page: ChangesPage;
  raw: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  v2?: Uint8Array<ArrayBuffer>;
}

/** The newest page encoding a branch reads: 1 (JSON) or 2 (`sync/page_encoding.ts`). */
export type PageEncoding = 1 | 2;

interface Ahead {
  after: number;
  maxBytes: number;
  encoding: PageEncoding;
  at: number;
  result: Promise<PreparedPage>;
}

/** Reads pages for branches, one read-ahead page per branch. */
export interface PageReader {
  read(
    branch: string,
    after: number,
    maxBytes: number,
    encoding?: PageEncoding,
  ): Promise<PreparedPage>;
}

const MAX_AGE_MS = 30_000;

async function prepare(
  db: Db,
  after: number,
  maxBytes: number,
  encoding: PageEncoding,
): Promise<PreparedPage> {
  const page = await readChangesPage(db, after, maxBytes);
  const raw = new TextEncoder().encode(JSON.stringify(page));
  const gzip = new Uint8Array(
    await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  if (encoding === 1) return { page, raw, gzip };
  // A page of a few records is smaller as gzipped JSON (the columns' own names and kinds
  // cost more than they save): a v2 branch then gets v1, never a larger page than before.
  const v2 = await encodePageV2(page);
  return v2.byteLength < gzip.byteLength ? { page, raw, gzip, v2 } : { page, raw, gzip };
}

/** A page reader over `db`; `readAhead: false` turns the read-ahead off. */
export function createPageReader(db: Db, options: { readAhead?: boolean } = {}): PageReader {
  const ahead = new Map<string, Ahead>();
  return {
    async read(branch, after, maxBytes, encoding = 1) {
      const mine = ahead.get(branch);
      ahead.delete(branch);
      let prepared: PreparedPage | undefined;
      // max_bytes is a ceiling: a page read for a smaller budget still answers (the sizer
      // sees its real size); one read for a clearly larger budget would overshoot.
      if (
        mine && mine.after === after && mine.maxBytes <= maxBytes * 1.25 &&
        mine.encoding === encoding && performance.now() - mine.at < MAX_AGE_MS
      ) {
        prepared = await mine.result.catch(() => undefined);
      }
      prepared ??= await prepare(db, after, maxBytes, encoding);
      if (prepared.page.more && options.readAhead !== false) {
        const result = prepare(db, prepared.page.cursor, maxBytes, encoding);
        result.catch(() => {});
        ahead.set(branch, {
          after: prepared.page.cursor,
          maxBytes,
          encoding,
          at: performance.now(),
          result,
        });
      }
      return prepared;
    },
  };
}
