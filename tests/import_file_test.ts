/** importJsonlFile (the worker reads the file) behaves exactly as importJsonl on a stream. */
import assert from "node:assert/strict";
import { openDb } from "../db/client.ts";
import { importJsonl, importJsonlFile, type ImportOptions } from "../db/import.ts";
import { countRecords, readRecord } from "../db/records.ts";
import { dossiers } from "../db/schema.ts";

const clock = () => new Date("2025-06-01T09:00:00Z");

async function tempDb(dir: string, name: string) {
  const opened = await openDb(`${dir}/${name}.db`);
  return { ...opened, [Symbol.dispose]: () => opened.client.close() };
}

function dossier(id: string, number: string, extra: Record<string, unknown> = {}) {
  return {
    record: "dossier",
    id,
    series: "STORICO",
    type: "CE",
    number,
    year: 1987,
    protocol_number: `${number}0`,
    aliases: [{ index: "schedario-B", key: `C.E. ${number}/87` }],
    addresses: [{ street: "Via del Molino", civic: number }],
    cadastral: [{ register: "NCEU", sheet: "12", parcel: number }],
    people: [{ role: "richiedente", surname: "Bianchi" }],
    ...extra,
  };
}

const ACT = {
  record: "act",
  id: "dcc-2019-34",
  kind: "delibera_consiglio",
  number: "34",
  year: 2019,
  date: "2019-07-22",
  subject: "Approvazione variante",
  attachments: [{ file: "a.pdf", pages: 1, bytes: 10, sha256: "ab".repeat(32), public: true }],
};

const jsonl = (...lines: unknown[]) =>
  lines.map((l) => typeof l === "string" ? l : JSON.stringify(l)).join("\n") + "\n";

// Already in the database: a holds STORICO 1/1987, b 2/1987, z 9/1987.
const FIRST = jsonl(dossier("a", "1"), dossier("b", "2"), dossier("z", "9"), ACT);
const SECOND = jsonl(
  dossier("a", "3"), // 1: a moves to 3
  dossier("e", "1"), // 2: takes the 1 that a leaves in this same batch
  dossier("b", "2", { status: "archived" }), // 3: updated
  dossier("d", "2"), // 4: refused, b holds 2 in the file
  "{broken", // 5
  dossier("h", "9"), // 6: refused, z holds 9 in the database
  { ...ACT, unknown_field: 1 }, // 7: unchanged, with a warning
  dossier("f", "5"), // 8
  dossier("f", "5", { subject: "SECONDA" }), // 9: the same id again: applied after line 8
  dossier("g", "5"), // 10: refused, f holds 5 in the file
);

async function importBoth(dir: string, options: Partial<ImportOptions>) {
  const path = `${dir}/second.jsonl`;
  await Deno.writeTextFile(path, SECOND);
  const results = [];
  for (const how of ["stream", "file"] as const) {
    using t = await tempDb(dir, `${how}-${options.batchSize ?? 0}`);
    await importJsonl(t.db, ReadableStream.from([new TextEncoder().encode(FIRST)]), { clock });
    const all = { clock, ...options };
    const summary = how === "file"
      ? await importJsonlFile(t.db, path, all)
      : await importJsonl(t.db, (await Deno.open(path)).readable, all);
    const records = [];
    for (const id of ["a", "b", "z", "d", "e", "f", "g", "h"]) {
      records.push(await readRecord(t.db, "dossier", id));
    }
    const rows = await t.db.select({ id: dossiers.id, seq: dossiers.seq }).from(dossiers)
      .orderBy(dossiers.id);
    results.push({ summary, records, rows, counts: await countRecords(t.db) });
  }
  return results;
}

Deno.test("a file read by the worker imports exactly as the same bytes streamed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const batchSize of [2, 1_000]) {
      const [stream, file] = await importBoth(dir, { batchSize });
      assert.ok(stream && file);
      assert.deepEqual(file, stream);
      const s = file.summary;
      assert.deepEqual(
        [s.inserted, s.updated, s.unchanged, s.rejected, s.warnings],
        [2, 3, 1, 4, 1],
        `${batchSize}: ${s.errors.join("\n")}`,
      );
      const expected = [
        /^riga 4: number: STORICO 2\/1987 già usato dalla pratica b$/,
        /^riga 5: json: testo JSON non valido/,
        /^riga 6: number: STORICO 9\/1987 già usato dalla pratica z$/,
        /^riga 10: number: STORICO 5\/1987 già usato dalla pratica f$/,
      ];
      assert.equal(s.errors.length, expected.length, s.errors.join("\n"));
      expected.forEach((re, i) => assert.match(s.errors[i] ?? "", re));
      assert.deepEqual(s.warningMessages, ["riga 7: unknown_field: campo sconosciuto, ignorato"]);
      const [a, , , d, e, f, g] = file.records;
      assert.equal(a?.record === "dossier" && a.number, "3");
      assert.equal(e?.record === "dossier" && e.number, "1");
      assert.equal(f?.record === "dossier" && f.subject, "SECONDA");
      assert.equal(d, undefined);
      assert.equal(g, undefined);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unreadable file fails the import without writing anything", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using t = await tempDb(dir, "missing");
    await assert.rejects(
      importJsonlFile(t.db, `${dir}/missing.jsonl`, { clock }),
      /No such file|not found/i,
    );
    assert.deepEqual(await countRecords(t.db), { dossiers: 0, acts: 0 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
