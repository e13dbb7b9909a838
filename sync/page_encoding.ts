/**
 * Pull page encoding v2 (docs/SYNC.md): the same changes page as v1, written as columns
 * (`sync/columns.ts`) and gzip-compressed inside the body. A branch asks for it with
 * `Accept: PAGE_V2_TYPE`; the archive answers it only then, and only when it is smaller
 * than the v1 JSON page would be gzipped, so an old branch, an old archive and a tiny
 * incremental page all keep the v1 form.
 */
import { ColumnError, decodeColumn, encodeColumn } from "./columns.ts";
import type { ChangesPage } from "./protocol.ts";

/** Media type of a v2 page: gzip of the JSON of the columnar page. */
export const PAGE_V2_TYPE = "application/vnd.faldone.changes.v2";

/** The Accept header of a branch that reads v2 pages (and v1 JSON, from an older archive). */
export const ACCEPT_V2 = `${PAGE_V2_TYPE}, application/json;q=0.5`;

/** The columnar page inside the gzip. */
interface WirePageV2 {
  v: 2;
  cursor: number;
  more: boolean;
  remaining: number;
  count: number;
  changes: unknown;
}

/** True when the request's Accept header names the v2 page type. */
export function acceptsPageV2(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const [type, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    // `q=0` means "not this one".
    return type === PAGE_V2_TYPE && !params.some((p) => /^q=0(?:\.0*)?$/.test(p));
  });
}

/** The v2 body of a page. */
export async function encodePageV2(page: ChangesPage): Promise<Uint8Array<ArrayBuffer>> {
  // A record's document repeats its id; the change then leaves it out and takes it back.
  const rows = page.changes.map((c) =>
    c.doc !== undefined && ownId(c.doc) === c.id
      ? { entity: c.entity, seq: c.seq, deleted: c.deleted, doc: c.doc }
      : c
  );
  const wire: WirePageV2 = {
    v: 2,
    cursor: page.cursor,
    more: page.more,
    remaining: page.remaining,
    count: rows.length,
    changes: encodeColumn(rows),
  };
  return await gzip(new TextEncoder().encode(JSON.stringify(wire)));
}

/**
 * The page a v2 body holds, in the v1 shape for `parseChangesPage`; throws when the body
 * is not a whole v2 page (cut, corrupt, another format).
 */
export async function decodePageV2(body: Uint8Array<ArrayBuffer>): Promise<unknown> {
  let wire: unknown;
  try {
    wire = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await gunzip(body)));
  } catch {
    throw new ColumnError("not a gzip of JSON");
  }
  if (
    typeof wire !== "object" || wire === null || !("v" in wire) || wire.v !== 2 ||
    !("count" in wire) || typeof wire.count !== "number" || !Number.isInteger(wire.count) ||
    wire.count < 0 || !("changes" in wire)
  ) {
    throw new ColumnError("not a v2 page");
  }
  const rows = wire.count === 0 ? [] : decodeColumn(wire.changes, wire.count);
  const changes = rows.map((row) => {
    if (typeof row !== "object" || row === null || "id" in row) return row;
    const id = "doc" in row ? ownId(row.doc) : undefined;
    if (id === undefined) return row;
    // Back in its v1 place, after the entity: the page reads exactly as v1 would.
    const { entity, ...rest } = { entity: undefined, ...row };
    return entity === undefined ? { id, ...rest } : { entity, id, ...rest };
  });
  // parseChangesPage checks these as it checks a v1 page.
  return {
    changes,
    cursor: "cursor" in wire ? wire.cursor : undefined,
    more: "more" in wire ? wire.more : undefined,
    remaining: "remaining" in wire ? wire.remaining : undefined,
  };
}

function ownId(doc: unknown): string | undefined {
  if (typeof doc !== "object" || doc === null || !Object.hasOwn(doc, "id")) return undefined;
  const id: unknown = Reflect.get(doc, "id");
  return typeof id === "string" ? id : undefined;
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
