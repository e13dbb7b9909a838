import assert from "node:assert/strict";
import { tempDb } from "./_temp_db.ts";
import { eq } from "drizzle-orm";
import { importJsonl } from "../db/import.ts";
import { readRecord } from "../db/records.ts";
import { counters, dossiers } from "../db/schema.ts";

const clock = () => new Date("2025-06-01T09:00:00Z");

function streamOf(text: string | Uint8Array): ReadableStream<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  // Small chunks so lines and multi-byte characters straddle chunk boundaries.
  return ReadableStream.from((function* () {
    for (let i = 0; i < bytes.length; i += 7) yield bytes.slice(i, i + 7);
  })());
}

const DOSSIER = {
  record: "dossier",
  id: "pe-ce-1987-452",
  series: "STORICO",
  type: "CE",
  number: "452",
  year: 1987,
  protocol_number: "8713",
  protocol_date: "1987-05-12",
  aliases: [{ index: "schedario-B", key: "C.E. 452/87" }],
  subject: "AMPLIAMENTO FABBRICATO DI CIVILE ABITAZIONE E COSTRUZIONE AUTORIMESSA",
  status: "issued",
  submitted_on: "1987-05-12",
  issued_on: "1987-11-03",
  addresses: [{ street: "Via Vittorio Veneto", civic: "14/A", locality: "Case Nuove" }, {
    street: "Via del Molino",
    civic: "6",
    historic: true,
  }],
  cadastral: [{ register: "NCEU", sheet: "12", parcel: "345", sub: "6" }],
  people: [
    { role: "richiedente", surname: "Bianchi", name: "Giulia", tax_code: "bncgli50c54h501k" },
    { role: "impresa", company: "Edil Arno s.n.c.", tax_code: "01587900505" },
  ],
  documents: [{
    file: "scans/STORICO/1987/452/tav01.pdf",
    title: "Tavola 1",
    pages: 3,
    bytes: 2480331,
    sha256: "156f193bc6f5ba4535022ae73811fe9b781a9c7eacaa24f24d6043d5cb4d2065",
  }],
  location: { box: "F-1987-031", shelf: "B4", room: "Deposito 2" },
};

const ACT = {
  record: "act",
  id: "dcc-2019-34",
  kind: "delibera_consiglio",
  number: "34",
  year: 2019,
  date: "2019-07-22",
  office: "Consiglio comunale",
  subject: "Approvazione variante al regolamento edilizio",
  published_from: "2019-07-26",
  published_to: "2019-08-10",
};

const jsonl = (...lines: unknown[]) =>
  lines.map((l) => typeof l === "string" ? l : JSON.stringify(l)).join("\n") + "\n";

async function seqOf(db: Awaited<ReturnType<typeof tempDb>>["db"]): Promise<number> {
  const [row] = await db.select().from(counters).where(eq(counters.name, "change_seq"));
  return row?.value ?? -1;
}

Deno.test("a good file is imported with snake_case fields mapped and defaults applied", async () => {
  await using t = await tempDb("import");
  const summary = await importJsonl(t.db, streamOf(jsonl(DOSSIER, "", "   ", ACT)), { clock });
  assert.deepEqual(
    [summary.inserted, summary.updated, summary.unchanged, summary.rejected, summary.warnings],
    [2, 0, 0, 0, 0],
    summary.errors.join("\n"),
  );
  const doc = await readRecord(t.db, "dossier", "pe-ce-1987-452");
  assert.ok(doc?.record === "dossier");
  assert.equal(doc.protocolNumber, "8713");
  assert.equal(doc.issuedOn, "1987-11-03");
  assert.equal(doc.restricted, false);
  assert.deepEqual(doc.people[0], {
    role: "richiedente",
    surname: "Bianchi",
    name: "Giulia",
    taxCode: "BNCGLI50C54H501K",
    taxCodeVerified: true,
  });
  assert.equal(doc.documents[0]?.public, false);
  assert.deepEqual(doc.location, { box: "F-1987-031", shelf: "B4", room: "Deposito 2" });
  const act = await readRecord(t.db, "act", "dcc-2019-34");
  assert.equal(act?.record === "act" && act.publishedTo, "2019-08-10");
  assert.deepEqual(summary.changed, [
    { kind: "dossier", id: "pe-ce-1987-452" },
    { kind: "act", id: "dcc-2019-34" },
  ]);
});

Deno.test("each kind of bad line is skipped and reported with its number and field", async () => {
  await using t = await tempDb("import");
  const lines = [
    DOSSIER, // 1 good
    "{not json", // 2
    { ...DOSSIER, id: "pe-2", number: "2", year: "87" }, // 3
    { ...DOSSIER, id: "pe-3", number: "3", type: "XYZ" }, // 4
    { ...DOSSIER, id: "pe-4", number: "4", issued_on: "1987-02-30" }, // 5
    { ...DOSSIER, id: "pe 5", number: "5" }, // 6
    { ...DOSSIER, id: "pe-6", number: "452" }, // 7: number taken by pe-ce-1987-452
    { ...DOSSIER, id: "pe-7", number: "7", cadastral: [{ register: "NCX", sheet: "1" }] }, // 8
    { ...DOSSIER, id: "pe-8", number: "8", people: [{ role: "proprietario" }] }, // 9
    {
      ...DOSSIER,
      id: "pe-9",
      number: "9",
      documents: [{ file: "a.pdf", pages: -1, bytes: 1, sha256: "zz" }],
    }, // 10
    { ...DOSSIER, id: "pe-10", number: "10", status: "done" }, // 11
    { ...ACT, id: "a-1", kind: "ordinanza" }, // 12
    { ...ACT, id: "a-2", date: undefined }, // 13
    { record: "deleted", id: "x" }, // 14
    { ...DOSSIER, id: "pe-11", number: "11", year: 1700 }, // 15
    [1, 2], // 16
  ];
  const summary = await importJsonl(t.db, streamOf(jsonl(...lines)), { clock });
  assert.equal(summary.inserted, 1);
  assert.equal(summary.rejected, 15, summary.errors.join("\n"));
  const expect = [
    /^riga 2: json: testo JSON non valido/,
    /^riga 3: year: deve essere un anno di 4 cifre, trovato "87"$/,
    /^riga 4: type: tipo di pratica "XYZ" sconosciuto/,
    /^riga 5: issued_on: deve essere una data esistente scritta AAAA-MM-GG, trovato "1987-02-30"$/,
    /^riga 6: id: deve avere da 1 a 64 caratteri/,
    /^riga 7: number: STORICO 452\/1987 già usato dalla pratica pe-ce-1987-452$/,
    /^riga 8: cadastral\[0\]\.register: deve essere "NCEU" \(fabbricati\) o "NCT" \(terreni\), trovato "NCX"$/,
    /^riga 8: cadastral\[0\]\.parcel: obbligatorio, manca o è vuoto$/,
    /^riga 9: people\[0\]\.surname: indicare il cognome \(surname\) o la ditta \(company\)$/,
    /^riga 10: documents\[0\]\.pages: deve essere un numero intero da 0 in su, trovato -1$/,
    /^riga 10: documents\[0\]\.sha256: deve essere di 64 caratteri esadecimali/,
    /^riga 11: status: deve essere uno tra: in_progress, /,
    /^riga 12: kind: tipo di atto "ordinanza" sconosciuto/,
    /^riga 13: date: obbligatorio, manca o è vuoto$/,
    /^riga 14: record: deve essere "dossier" \(pratica\) o "act" \(atto\), trovato "deleted"$/,
    /^riga 15: year: deve essere compreso tra 1850 e 2026, trovato 1700$/,
    /^riga 16: record: la riga deve essere un oggetto tra parentesi graffe \{ \}$/,
  ];
  for (const re of expect) {
    assert.ok(summary.errors.some((e) => re.test(e)), `${re} in\n${summary.errors.join("\n")}`);
  }
  assert.equal((await t.db.select().from(dossiers)).length, 1);
});

Deno.test("unknown fields and a failing tax code are warnings and the line is kept", async () => {
  await using t = await tempDb("import");
  const line = {
    ...DOSSIER,
    colour: "blue",
    people: [{ role: "richiedente", surname: "Rossi", tax_code: "RSSMRA85T10A562A", age: 3 }],
  };
  const summary = await importJsonl(t.db, streamOf(jsonl(line)), { clock });
  assert.equal(summary.inserted, 1);
  assert.equal(summary.warnings, 3);
  assert.ok(summary.warningMessages.includes("riga 1: colour: campo sconosciuto, ignorato"));
  assert.ok(summary.warningMessages.includes("riga 1: people[0].age: campo sconosciuto, ignorato"));
  assert.ok(
    summary.warningMessages.some((w) =>
      w.startsWith("riga 1: people[0].tax_code: conservato senza verifica:")
    ),
  );
  const doc = await readRecord(t.db, "dossier", DOSSIER.id);
  assert.ok(doc?.record === "dossier");
  assert.deepEqual(doc.people[0], {
    role: "richiedente",
    surname: "Rossi",
    taxCode: "RSSMRA85T10A562A",
    taxCodeVerified: false,
  });
});

Deno.test("an ABUSI dossier is restricted unless the line says otherwise", async () => {
  await using t = await tempDb("import");
  const abuse = { ...DOSSIER, id: "ab-1", series: "ABUSI", type: "ABUSI", number: "1" };
  await importJsonl(t.db, streamOf(jsonl(abuse)), { clock });
  assert.equal((await readRecord(t.db, "dossier", "ab-1"))?.restricted, true);
});

Deno.test("re-importing the same file changes nothing and takes no change number", async () => {
  await using t = await tempDb("import");
  const file = jsonl(DOSSIER, ACT);
  await importJsonl(t.db, streamOf(file), { clock });
  const seq = await seqOf(t.db);
  const committed: number[] = [];
  const again = await importJsonl(t.db, streamOf(file), {
    clock,
    onBatchCommitted: (changed) => {
      committed.push(changed.length);
    },
  });
  assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 2]);
  assert.equal(await seqOf(t.db), seq);
  assert.deepEqual(committed, []);
});

Deno.test("changing one field updates that record only, with a new change number", async () => {
  await using t = await tempDb("import");
  await importJsonl(t.db, streamOf(jsonl(DOSSIER, ACT)), { clock });
  const seq = await seqOf(t.db);
  const committed: { kind: string; id: string }[] = [];
  const again = await importJsonl(
    t.db,
    streamOf(jsonl({ ...DOSSIER, status: "archived" }, ACT)),
    { clock, onBatchCommitted: (changed) => void committed.push(...changed) },
  );
  assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 1, 1]);
  assert.equal(await seqOf(t.db), seq + 1);
  assert.deepEqual(committed, [{ kind: "dossier", id: DOSSIER.id }]);
  const [row] = await t.db.select().from(dossiers);
  assert.equal(row?.status, "archived");
  assert.equal(row?.seq, seq + 1);
});

Deno.test("malformed UTF-8, CRLF line ends and a repeated id are survived", async () => {
  await using t = await tempDb("import");
  const good = new TextEncoder().encode(JSON.stringify(DOSSIER) + "\r\n");
  const bad = new TextEncoder().encode(
    JSON.stringify({ ...DOSSIER, id: "pe-x", number: "9", subject: "CAFFÈ ??" }) + "\n",
  );
  bad[bad.indexOf(63)] = 0xff; // a lone byte that is not UTF-8
  const later = new TextEncoder().encode(JSON.stringify({ ...DOSSIER, status: "refused" }));
  const summary = await importJsonl(t.db, streamOf(new Uint8Array([...good, ...bad, ...later])), {
    clock,
  });
  assert.deepEqual([summary.inserted, summary.updated, summary.rejected], [2, 1, 0]);
  assert.ok(
    summary.warningMessages.some((w) => w.startsWith("riga 2: text: caratteri non leggibili")),
  );
  const replaced = await readRecord(t.db, "dossier", "pe-x");
  assert.equal(replaced?.record === "dossier" && replaced.subject, "CAFFÈ \uFFFD?");
  const [row] = await t.db.select().from(dossiers).where(eq(dossiers.id, DOSSIER.id));
  assert.equal(row?.status, "refused");
});

Deno.test("the import command prints the summary and exits 0, 1 or 2", async () => {
  await using t = await tempDb("import");
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname, "import", ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { code: out.code, text };
  };
  const good = `${t.dir}/good.jsonl`;
  await Deno.writeTextFile(good, jsonl(DOSSIER, ACT));
  const db = `${t.dir}/cli.db`;
  const first = await run(good, "--db", db);
  assert.equal(first.code, 0, first.text);
  assert.match(first.text, /Nuove: 2 {2}Aggiornate: 0 {2}Invariate: 0 {2}Rifiutate: 0/);
  const bad = `${t.dir}/bad.jsonl`;
  const badLines = Array.from({ length: 25 }, (_, i) => ({ ...ACT, id: `x-${i}`, year: 87 }));
  await Deno.writeTextFile(bad, jsonl(ACT, ...badLines));
  const second = await run(bad, "--db", db);
  assert.equal(second.code, 1, second.text);
  assert.match(second.text, /Invariate: 1 {2}Rifiutate: 25/);
  assert.match(second.text, /riga 2: year: deve essere un anno di 4 cifre, trovato 87/);
  assert.match(second.text, /… e altre 5/);
  const missing = await run(`${t.dir}/missing.jsonl`, "--db", db);
  assert.equal(missing.code, 2);
  assert.match(missing.text, /Impossibile leggere .*missing\.jsonl: il file non esiste\n/);
  // A folder is refused up front, in Italian, not by a crash in the import's worker.
  const folder = await run(t.dir, "--db", db);
  assert.equal(folder.code, 2, folder.text);
  assert.match(folder.text, /Impossibile leggere .*: è una cartella, non un file\n/);
  assert.doesNotMatch(folder.text, /os error|Uncaught|\s+at /);
});

Deno.test("a line too long to be a record is refused and the next lines still import", async () => {
  await using t = await tempDb("import");
  const huge = JSON.stringify({ ...ACT, id: "huge", text: "x".repeat(5 * 1024 * 1024) });
  const summary = await importJsonl(
    t.db,
    ReadableStream.from([
      new TextEncoder().encode(`${huge}\n${JSON.stringify(ACT)}\n`),
    ]),
    { clock },
  );
  assert.equal(summary.rejected, 1);
  assert.match(
    summary.errors[0] ?? "",
    /^riga 1: json: riga più lunga di \d+ caratteri, scartata$/,
  );
  assert.equal(summary.inserted, 1);
  assert.equal((await readRecord(t.db, "act", ACT.id))?.id, ACT.id);
});
