/**
 * Pull page encoding v2 on its own (sync/page_encoding.ts, sync/columns.ts): a v2 page
 * decodes to exactly the v1 page, whatever its values, and it is much smaller than the
 * gzipped JSON of the same records.
 */
import assert from "node:assert/strict";
import { generateArchive } from "../demo/demo_archive.ts";
import { decodeColumn, encodeColumn } from "../sync/columns.ts";
import { decodePageV2, encodePageV2 } from "../sync/page_encoding.ts";
import { type ChangesPage, parseChangesPage } from "../sync/protocol.ts";

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Strings chosen to hit every string form and its edges: repeats (table), decimal text
// (with and without leading zeros), ISO dates (real and impossible), hex digests (lower
// and upper case), shared starts (file names), unicode, emoji split at any point, lone
// surrogates and control characters.
const STRINGS = [
  "",
  "Via Roma",
  "Via Roma",
  "Piazza Garibaldi",
  "richiedente",
  "0",
  "7",
  "452",
  "007",
  "-3",
  "1e3",
  "999999999999999",
  "9999999999999999",
  "1987-05-17",
  "2024-02-29",
  "2023-02-29",
  "0999-01-01",
  "1987-5-17",
  "2f665328515f805d9182cdf9e9677656173ea3420c176e9ca7141e5f8736ebe4",
  "2F665328515F805D9182CDF9E9677656173EA3420C176E9CA7141E5F8736EBE4",
  "abc",
  "scans/STORICO/1981/storico-1981-1/01.pdf",
  "scans/STORICO/1981/storico-1981-2/01.pdf",
  "città – perché “così”",
  "😀😀😀",
  "😀😁",
  "\ud83d",
  "x\udc00y",
  "ampliamento\u001fvilla",
  "riga uno\nriga due\r\n\ttab",
  "\u2028\u2029\ufeff\u007f\u0085",
  "__proto__",
  "constructor",
];

const KEYS = ["street", "civic", "role", "date", "n", "__proto__", "toString", "", "è", "a b"];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  const v = list[Math.floor(rnd() * list.length)];
  if (v === undefined) throw new Error("empty list");
  return v;
}

/** A random JSON-ish value, `undefined` fields and non-finite numbers included. */
function value(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.35) {
    return pick(rnd, [
      () => null,
      () => true,
      () => false,
      () => Math.floor(rnd() * 2000) - 1000,
      () => rnd() * 1e6,
      () => -0,
      () => Number.MAX_SAFE_INTEGER,
      () => -(2 ** 60),
      () => 1e300,
      () => NaN,
      () => pick(rnd, STRINGS),
      () => pick(rnd, STRINGS),
      () => pick(rnd, STRINGS),
    ])();
  }
  if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(rnd, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 5); i > 0; i--) {
    const key = pick(rnd, KEYS);
    const v = rnd() < 0.1 ? undefined : value(rnd, depth + 1);
    if (key === "__proto__") {
      Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true });
    } else obj[key] = v;
  }
  return obj;
}

/** A page of changes with documents of every kind, deletes, and ids that differ from docs. */
function randomPage(seed: number): ChangesPage {
  const rnd = random(seed);
  const changes = Array.from({ length: 1 + Math.floor(rnd() * 40) }, (_, i) => {
    const id = `r-${seed}-${i % 7}`;
    if (rnd() < 0.15) return { entity: pick(rnd, ["dossier", "act"]), id, seq: i, deleted: true };
    const doc = value(rnd, 0);
    // Most docs carry their own id, as records do; some carry another one, or none.
    const withId = typeof doc === "object" && doc !== null && !Array.isArray(doc) && rnd() < 0.7
      ? { record: "dossier", id: rnd() < 0.9 ? id : `${id}-other`, ...doc }
      : doc;
    return {
      entity: pick(rnd, ["dossier", "act", "access_request"]),
      id,
      seq: i,
      deleted: false,
      doc: withId,
    };
  });
  return { changes, cursor: changes.length, more: rnd() < 0.5, remaining: Math.floor(rnd() * 9) };
}

Deno.test("a v2 page decodes to exactly what the v1 JSON page parses to, for any values", async () => {
  for (let seed = 1; seed <= 300; seed++) {
    const page = randomPage(seed);
    const v1 = JSON.stringify(page);
    const back = await decodePageV2(await encodePageV2(page));
    // The same text means the same values, the same key order, the same dropped fields.
    assert.equal(JSON.stringify(back), v1, `seed ${seed}`);
    assert.deepEqual(parseChangesPage(back), parseChangesPage(JSON.parse(v1)), `seed ${seed}`);
  }
});

Deno.test('a "__proto__" field comes back as a field, as JSON.parse gives it', () => {
  const values = [JSON.parse('{"__proto__":{"polluted":1},"a":2}'), { b: 1 }];
  const back = decodeColumn(encodeColumn(values), 2);
  assert.equal(JSON.stringify(back), JSON.stringify(values));
  const first = back[0];
  assert.ok(typeof first === "object" && first !== null);
  assert.ok(Object.hasOwn(first, "__proto__"));
  assert.equal(Object.getPrototypeOf(first), Object.prototype);
  assert.equal(Reflect.get({}, "polluted"), undefined);
});

Deno.test("demo records make the round trip whole and take far fewer bytes than gzipped JSON", async () => {
  const docs = [...generateArchive({ seed: 7, dossiers: 600, acts: 30 })];
  const page: ChangesPage = {
    changes: docs.map((doc, i) => ({
      entity: doc.record,
      id: doc.id,
      seq: i + 1,
      deleted: false,
      doc,
    })),
    cursor: docs.length,
    more: false,
    remaining: 0,
  };
  const v1 = new TextEncoder().encode(JSON.stringify(page));
  const v2 = await encodePageV2(page);
  assert.equal(JSON.stringify(await decodePageV2(v2)), JSON.stringify(page));
  const gzip = await new Response(
    new Blob([v1]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer();
  // Measured: about 60 % of the gzipped JSON at this size (and less on bigger pages).
  assert.ok(
    v2.byteLength < gzip.byteLength * 0.7,
    `v2 ${v2.byteLength} B vs v1 gzip ${gzip.byteLength} B`,
  );
});

Deno.test("a cut or damaged v2 body is refused whole, never read as a shorter page", async () => {
  const page = randomPage(5);
  const body = await encodePageV2({ ...page, changes: [...page.changes, ...page.changes] });
  for (const cut of [0, 10, Math.floor(body.byteLength / 2), body.byteLength - 1]) {
    await assert.rejects(() => decodePageV2(body.slice(0, cut)), `cut at ${cut}`);
  }
  // A column that does not add up (kinds for more values than the page holds) is refused.
  const lying = await encodePageV2(page);
  const json = JSON.parse(
    new TextDecoder().decode(
      await new Response(new Blob([lying]).stream().pipeThrough(new DecompressionStream("gzip")))
        .arrayBuffer(),
    ),
  );
  json.count += 1;
  const regzipped = new Uint8Array(
    await new Response(
      new Blob([JSON.stringify(json)]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  await assert.rejects(() => decodePageV2(regzipped));
});

Deno.test("each string form is chosen where it fits and gives back the very strings", () => {
  const hash = "2f665328515f805d9182cdf9e9677656173ea3420c176e9ca7141e5f8736ebe4";
  const cases: [string, string[]][] = [
    ["int", ["1", "2", "3", "10", "0", "999999999999999"]],
    ["m", ["12", "12 bis", "7", "0", "931/4", "8"]],
    ["day", ["1987-05-17", "1987-05-18", "2024-02-29", "1000-01-01", "9999-12-31"]],
    ["x", [hash, hash.replace("2", "0"), "00".repeat(32)]],
    ["t", ["Via Roma", "Via Roma", "Piazza Garibaldi", "Via Roma", "Via Roma"]],
    ["p", [
      "scans/A/1987/a-1/01.pdf",
      "scans/A/1987/a-1/02.pdf",
      "scans/A/1987/a-2/01.pdf",
      "scans/A/1987/a-2/02.pdf",
    ]],
    // Not dates, not decimal, not lowercase hex: each stays text as it is.
    ["v", ["2023-02-29", "007", "-3", hash.toUpperCase(), "1987-5-17", "😀"]],
  ];
  for (const [form, strings] of cases) {
    const node = encodeColumn(strings);
    assert.ok(node.s && form in node.s, `${form}: ${JSON.stringify(node.s)}`);
    assert.deepEqual(decodeColumn(JSON.parse(JSON.stringify(node)), strings.length), strings);
  }
});
