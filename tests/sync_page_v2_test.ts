/**
 * Pull page encoding v2 between a real archive and branches on loopback (docs/SYNC.md):
 * who gets which encoding, that a branch ends with the same DB either way, that a cut v2
 * page applies nothing and the next run resumes, that pages keep their byte budget, and
 * that an incremental page is never larger than in v1.
 */
import assert from "node:assert/strict";
import { readRecord } from "../db/records.ts";
import { generateArchive } from "../demo/demo_archive.ts";
import type { DossierDoc, RecordDoc } from "../domain/records.ts";
import { createPageSizer } from "../sync/backoff.ts";
import { recordsDigest } from "../sync/content_hash.ts";
import { cleanIncoming } from "../sync/incoming_text.ts";
import { ACCEPT_V2, decodePageV2, PAGE_V2_TYPE } from "../sync/page_encoding.ts";
import {
  type ChangesPage,
  parseChangesPage,
  PROTOCOL_HEADER,
  RAW_LENGTH_HEADER,
} from "../sync/protocol.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { readCursor } from "../sync/sync_state.ts";
import { createSyncPair, type SyncPair } from "./_sync_setup.ts";
import { type Fault, startFaultProxy } from "./fault_proxy.ts";

const NO_WAIT = { sleep: () => Promise.resolve() };

function demoRecords(dossiers: number, seed = 11): RecordDoc[] {
  return [...generateArchive({ seed, dossiers, acts: Math.ceil(dossiers / 30) })];
}

function kindOf(entity: string): "dossier" | "act" {
  return entity === "act" ? "act" : "dossier";
}

/** A fetch that notes the Content-Type of every changes page it receives. */
function watching(types: string[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (String(input instanceof Request ? input.url : input).includes("/changes")) {
      types.push(res.headers.get("Content-Type") ?? "");
    }
    return res;
  };
}

/** One changes request as a branch of either build makes it. */
async function getPage(
  pair: SyncPair,
  after: number,
  maxBytes: number,
  accept: string,
): Promise<{ res: Response; page: ChangesPage; wire: number }> {
  const res = await fetch(
    `${pair.archiveUrl}/sync/v1/changes?after=${after}&max_bytes=${maxBytes}`,
    {
      headers: {
        "Authorization": `Bearer ${pair.token}`,
        [PROTOCOL_HEADER]: "1",
        "Accept": accept,
        // Identity, so the wire size of a v1 page is measured here as gzip would be below.
        "Accept-Encoding": "identity",
      },
    },
  );
  assert.equal(res.status, 200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.headers.get("Content-Type") === PAGE_V2_TYPE) {
    return { res, page: parseChangesPage(await decodePageV2(bytes)), wire: bytes.byteLength };
  }
  const gzip = await new Response(
    new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer();
  const page = parseChangesPage(JSON.parse(new TextDecoder().decode(bytes)));
  return { res, page, wire: gzip.byteLength };
}

Deno.test("the archive answers v2 pages only to a branch that asks, and JSON to an old one", async () => {
  await using pair = await createSyncPair({ archiveRecords: demoRecords(300) });
  // A branch built before v2 sends exactly these headers.
  const old = await fetch(`${pair.archiveUrl}/sync/v1/changes?after=0&max_bytes=100000`, {
    headers: {
      "Authorization": `Bearer ${pair.token}`,
      [PROTOCOL_HEADER]: "1",
      "Accept": "application/json",
      "Accept-Encoding": "gzip",
    },
  });
  assert.equal(old.status, 200);
  assert.equal(old.headers.get("Content-Type"), "application/json");
  assert.equal(old.headers.get(PROTOCOL_HEADER), "1");
  const v1 = parseChangesPage(await old.json());
  assert.ok(v1.changes.length > 20);

  const asked = await getPage(pair, 0, 100_000, ACCEPT_V2);
  assert.equal(asked.res.headers.get("Content-Type"), PAGE_V2_TYPE);
  assert.match(asked.res.headers.get("Vary") ?? "", /Accept/);
  // The raw length is the JSON page's, the unit of max_bytes, so the branch sizes alike.
  assert.equal(
    Number(asked.res.headers.get(RAW_LENGTH_HEADER)),
    new TextEncoder().encode(JSON.stringify(v1)).byteLength,
  );
  assert.equal(JSON.stringify(asked.page), JSON.stringify(v1));

  // Refusing v2 with q=0 is asking for JSON.
  const refused = await getPage(pair, 0, 100_000, `${PAGE_V2_TYPE};q=0, application/json`);
  assert.equal(refused.res.headers.get("Content-Type"), "application/json");
});

Deno.test("a full sync with v2 pages gives the same branch as v1, control characters cleaned alike", async () => {
  const dirty: DossierDoc = {
    record: "dossier",
    id: "pe-sporco-1899-1",
    series: "SPORCO",
    type: "CE",
    number: "1",
    year: 1899,
    aliases: [],
    subject: "ampliamento\u001fvilla\u0085 con\u2028portico",
    addresses: [{ street: "Via\u0001 Roma", civic: "12\u007f" }],
    cadastral: [],
    people: [{ role: "richiedente", surname: "Rossi\ufeff", name: "Anna\u001e" }],
    status: "issued",
    documents: [],
    restricted: false,
  };
  const records = [...demoRecords(400), dirty];
  const branches: Record<string, string> = {};
  for (const pageEncoding of [1, 2] as const) {
    await using pair = await createSyncPair({ archiveRecords: records });
    const types: string[] = [];
    const deps = pair.clientDeps({ fetchFn: watching(types) });
    await syncOnce({ ...deps, transport: { ...deps.transport, pageEncoding } }, NO_WAIT);
    if (pageEncoding === 1) assert.ok(types.every((t) => t === "application/json"), `${types}`);
    else assert.ok(types.includes(PAGE_V2_TYPE), `${types}`);
    // What the import's rule makes of the dirty record, whichever encoding carried it.
    const got = await readRecord(pair.branch.db, "dossier", dirty.id);
    assert.deepEqual(got, cleanIncoming(dirty));
    assert.equal(got?.record === "dossier" ? got.subject : "", "ampliamento villa con portico");
    branches[`v${pageEncoding}`] = await recordsDigest(pair.branch.db);
  }
  assert.equal(branches.v2, branches.v1);
});

Deno.test("a new branch falls back to JSON pages from an archive built before v2", async () => {
  await using pair = await createSyncPair({
    archiveRecords: demoRecords(200),
    api: { pageV2: false },
  });
  const types: string[] = [];
  const report = await syncOnce(pair.clientDeps({ fetchFn: watching(types) }), NO_WAIT);
  assert.ok(report.pages > 0);
  assert.ok(types.length > 0 && types.every((t) => t === "application/json"), `${types}`);
  assert.equal(await recordsDigest(pair.branch.db), await recordsDigest(pair.archive.db));
});

Deno.test("a v2 page cut, truncated or damaged in transit applies nothing, and the next run resumes", async () => {
  const faults: Fault[] = [
    { kind: "drop_mid_body" },
    { kind: "truncate" },
    { kind: "corrupt", at: 200 },
  ];
  for (const fault of faults) {
    await using pair = await createSyncPair({ archiveRecords: demoRecords(300) });
    const types: string[] = [];
    // Request 2 is the third page: two pages are in when it breaks.
    await using proxy = await startFaultProxy(
      pair.archiveUrl,
      (n) => n === 2 ? fault : { kind: "pass" },
    );
    const deps = pair.clientDeps({ url: proxy.url, fetchFn: watching(types) });
    const small = () => createPageSizer({ initial: 32 * 1024, max: 32 * 1024 });
    await assert.rejects(
      () => syncOnce(deps, { ...NO_WAIT, maxAttempts: 1, pullSizer: small() }),
      `${fault.kind}`,
    );
    assert.equal(types[2], PAGE_V2_TYPE, `${fault.kind}: the broken page was a v2 page`);
    // Exactly the two whole pages: the cursor is on their boundary, their records are in.
    const first = await getPage(pair, 0, 32 * 1024, ACCEPT_V2);
    const second = await getPage(pair, first.page.cursor, 32 * 1024, ACCEPT_V2);
    assert.equal(await readCursor(pair.branch.db), second.page.cursor, fault.kind);
    for (const c of [...first.page.changes, ...second.page.changes]) {
      assert.ok(await readRecord(pair.branch.db, kindOf(c.entity), c.id), `${fault.kind}: ${c.id}`);
    }
    const third = await getPage(pair, second.page.cursor, 32 * 1024, ACCEPT_V2);
    for (const c of third.page.changes) {
      assert.equal(
        await readRecord(pair.branch.db, kindOf(c.entity), c.id),
        undefined,
        `${fault.kind}: ${c.id}`,
      );
    }
    await syncOnce(deps, { ...NO_WAIT, pullSizer: small() });
    assert.equal(await recordsDigest(pair.branch.db), await recordsDigest(pair.archive.db));
  }
});

Deno.test("v2 pages keep the byte budget and hold the very changes of the v1 pages", async () => {
  await using pair = await createSyncPair({ archiveRecords: demoRecords(120) });
  for (const budget of [4096, 30_000]) {
    let after = 0;
    for (let pages = 0;; pages++) {
      assert.ok(pages < 500);
      const v2 = await getPage(pair, after, budget, ACCEPT_V2);
      const v1 = await getPage(pair, after, budget, "application/json");
      assert.equal(JSON.stringify(v2.page), JSON.stringify(v1.page), `after ${after}`);
      const sizes = v2.page.changes.map((c) => JSON.stringify(c).length + 1);
      const total = sizes.reduce((a, b) => a + b, 0);
      assert.ok(sizes.length === 1 || total <= budget, `${total} B in a ${budget} B page`);
      assert.ok(v2.wire <= v1.wire, `v2 ${v2.wire} B > v1 ${v1.wire} B`);
      after = v2.page.cursor;
      if (!v2.page.more) break;
    }
  }
});

Deno.test("an incremental page is never larger on the wire in v2 than in v1", async () => {
  await using pair = await createSyncPair({ archiveRecords: demoRecords(500, 3) });
  const all = await getPage(pair, 0, 8 * 1024 * 1024, "application/json");
  const seqs = all.page.changes.map((c) => c.seq);
  const sizes: string[] = [];
  for (const n of [1, 2, 5, 20, 100, 350]) {
    // The last n changes, as a branch that is n changes behind asks for them.
    const after = seqs[seqs.length - n - 1] ?? 0;
    const v1 = await getPage(pair, after, 8 * 1024 * 1024, "application/json");
    const v2 = await getPage(pair, after, 8 * 1024 * 1024, ACCEPT_V2);
    assert.equal(v2.page.changes.length, n);
    assert.ok(v2.wire <= v1.wire, `${n} changes: v2 ${v2.wire} B, v1 ${v1.wire} B`);
    sizes.push(`${n}: ${v2.wire}/${v1.wire}`);
  }
  // From a few dozen records on, v2 is clearly smaller, not merely no larger.
  const last = await getPage(pair, seqs[seqs.length - 101] ?? 0, 8 << 20, ACCEPT_V2);
  const lastV1 = await getPage(pair, seqs[seqs.length - 101] ?? 0, 8 << 20, "application/json");
  assert.ok(last.wire < lastV1.wire * 0.8, sizes.join(", "));
});
