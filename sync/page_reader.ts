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
import type { ChangesPage } from "./protocol.ts";

/** A page with its JSON and gzip bodies. */
export interface PreparedPage {
  page: ChangesPage;
  raw: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
}

interface Ahead {
  after: number;
  maxBytes: number;
  at: number;
  result: Promise<PreparedPage>;
}

/** Reads pages for branches, one read-ahead page per branch. */
export interface PageReader {
  read(branch: string, after: number, maxBytes: number): Promise<PreparedPage>;
}

const MAX_AGE_MS = 30_000;

async function prepare(db: Db, after: number, maxBytes: number): Promise<PreparedPage> {
  const page = await readChangesPage(db, after, maxBytes);
  const raw = new TextEncoder().encode(JSON.stringify(page));
  const gzip = new Uint8Array(
    await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  return { page, raw, gzip };
}

/** A page reader over `db`; `readAhead: false` turns the read-ahead off. */
export function createPageReader(db: Db, options: { readAhead?: boolean } = {}): PageReader {
  const ahead = new Map<string, Ahead>();
  return {
    async read(branch, after, maxBytes) {
      const mine = ahead.get(branch);
      ahead.delete(branch);
      let prepared: PreparedPage | undefined;
      // max_bytes is a ceiling: a page read for a smaller budget still answers (the sizer
      // sees its real size); one read for a clearly larger budget would overshoot.
      if (
        mine && mine.after === after && mine.maxBytes <= maxBytes * 1.25 &&
        performance.now() - mine.at < MAX_AGE_MS
      ) {
        prepared = await mine.result.catch(() => undefined);
      }
      prepared ??= await prepare(db, after, maxBytes);
      if (prepared.page.more && options.readAhead !== false) {
        const result = prepare(db, prepared.page.cursor, maxBytes);
        result.catch(() => {});
        ahead.set(branch, { after: prepared.page.cursor, maxBytes, at: performance.now(), result });
      }
      return prepared;
    },
  };
}
