/**
 * Control characters in record data never make a restricted record public nor show personal
 * data (issue 9: "ampliamento\u001fvilla" in a restricted dossier's subject shifted the
 * fields of the search row and `restricted` read false).
 *
 * One DB holds, for each of U+0000–U+001F, U+007F, U+2028, U+2029 and U+FEFF, a restricted
 * dossier and a restricted act with that character in every text field, and a public
 * dossier and act whose people carry it. Half come through the real import (normalised),
 * half are written around it with the characters kept (as a legacy archive's sync pages
 * could); plus 200 kB fields and rows whose `restricted` column holds neither 0 nor 1. The
 * index is built from that DB and the app is served on loopback: every public query kind,
 * record page and API answer is checked, and the same queries as a clerk prove that each
 * one does reach the record it is about.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { importJsonl, loadVocabulary } from "../db/import.ts";
import { readRecord, upsertRecords } from "../db/records.ts";
import { toImportLine } from "../domain/import_format.ts";
import type { ActDoc, DossierDoc, RecordDoc } from "../domain/records.ts";
import { buildRecordIndex, createRecordIndex } from "../search/record_index.ts";
import { searchRecords } from "../search/search_records.ts";
import { parseSearchParams } from "../search/types.ts";
import { tempDb } from "./_temp_db.ts";

const NOW = new Date("2026-03-03T09:00:00.000Z");
const CHARS = [
  ...Array.from({ length: 32 }, (_, i) => i),
  0x7f,
  0x2028,
  0x2029,
  0xfeff,
].map((c) => String.fromCharCode(c));

/** Two letters naming record k (words stay letters only: digits would read as numbers). */
function code(k: number): string {
  const a = "abcdefghijklmnopqrstuvwxyz";
  return `${a[Math.floor(k / 26) % 26]}${a[k % 26]}`;
}

// Restricted records: ids, words and street names that must never be seen publicly.
const HIDDEN_ID = "rsvd-";
const HIDDEN_WORD = "zolfanel";
const HIDDEN_STREET = "Pescaione";
// Personal data on public dossiers: never in any public answer.
const SECRETS = ["quaglierini", "ottorino", "rssmra85t10a562s", "zappalorto", "998877"];
const SHA = "156f193bc6f5ba4535022ae73811fe9b781a9c7eacaa24f24d6043d5cb4d2065";

/** A restricted dossier with `c` in every text field but its type and numbers. */
function hiddenDossier(k: number, c: string, subject?: string): DossierDoc {
  const word = `${HIDDEN_WORD}${code(k)}`;
  return {
    record: "dossier",
    id: `${HIDDEN_ID}d-${k}`,
    series: `STOR${c}ICO`,
    type: "CE",
    number: String(600 + k),
    year: 1987,
    protocolNumber: String(9000 + k),
    protocolDate: "1987-05-12",
    aliases: [{ index: `schedario${c}B`, key: `C.E. ${600 + k}/87${c}` }],
    subject: subject ?? `ampliamento${c}villa ${word}${c}portico`,
    subjectPublic: `villa${c}${word} pubblico${c}`,
    addresses: [{
      street: `Via ${c}${HIDDEN_STREET}${code(k)}`,
      civic: `7${c}`,
      locality: `Case${c}Nuove`,
    }],
    cadastral: [{
      register: "NCEU",
      section: `A${c}`,
      sheet: String(100 + k),
      parcel: String(200 + k),
      sub: `3${c}`,
    }],
    people: [{
      role: `richiedente${c}`,
      surname: `Quaglierini${c}`,
      name: `${c}Ottorino`,
      company: `Zappalorto${c}srl`,
      taxCode: `RSSMRA85T10A562S${c}`,
      email: `ottorino.quaglierini@example.it${c}`,
      phone: `+39${c}0574 998877`,
    }],
    status: "issued",
    documents: [{
      file: `scans/${c}${word}.pdf`,
      title: `Tavola${c}${word}`,
      pages: 3,
      bytes: 1000,
      sha256: SHA,
      public: true,
    }],
    location: { box: `F-${c}1987`, shelf: `B${c}4`, room: `Deposito${c}2` },
    restricted: true,
    source: `legacy${c}index`,
  };
}

/** A public dossier whose people and subject carry `c`: its subject names its applicant. */
function openDossier(k: number, c: string): DossierDoc {
  const doc = hiddenDossier(k, c);
  const { subjectPublic: _shown, location: _location, ...rest } = doc;
  return {
    ...rest,
    id: `open-d-${k}`,
    number: String(3000 + k),
    protocolNumber: String(19000 + k),
    aliases: [],
    subject: `restauro${c}villa QUAGLIERINI${c} OTTORINO girasol${code(k)}`,
    addresses: [{ street: `Via${c}Roma`, civic: `1${c}`, locality: `Centro${c}` }],
    cadastral: [],
    documents: [],
    restricted: false,
  };
}

/** An act with `c` in every text field; its text keeps a line break. */
function anAct(k: number, c: string, restricted: boolean): ActDoc {
  const word = restricted ? `${HIDDEN_WORD}${code(k)}` : `girasol${code(k)}`;
  return {
    record: "act",
    id: `${restricted ? HIDDEN_ID : "open-"}a-${k}`,
    kind: "delibera_consiglio",
    number: String((restricted ? 700 : 4000) + k),
    year: 2019,
    date: "2019-07-22",
    office: `Consiglio${c}comunale`,
    subject: `approvazione${c}variante ${word}${c}`,
    text: `IL CONSIGLIO${c}\nomissis ${word}${c}testo`,
    attachments: [{
      file: `atti/${c}${word}.pdf`,
      title: `Allegato${c}A`,
      pages: 1,
      bytes: 10,
      sha256: SHA,
      public: true,
    }],
    restricted,
  };
}

/** 200 kB of subject: the hidden word, control characters and filler. */
function longText(word: string): string {
  const unit = `${word}\u001fvilla\u001e\u001d ${"x".repeat(40)} `;
  return unit.repeat(Math.ceil(200_000 / unit.length));
}

/** What the public must not find, and the queries that would find it (each kind of query). */
interface Hidden {
  id: string;
  queries: string[];
}

function dossierQueries(k: number): string[] {
  const word = `${HIDDEN_WORD}${code(k)}`;
  return [
    `${word} `, // a whole word
    word.slice(0, -1), // a word still being typed
    `${word.slice(0, 3)}x${word.slice(4)} `, // a typo
    `via ${HIDDEN_STREET}${code(k)} 7`, // its street
    `CE ${600 + k}/1987`, // type, number and year
    `prot. ${9000 + k} del 1987`, // protocol
    `fg ${100 + k} part ${200 + k}`, // cadastral reference
  ];
}

function actQueries(k: number): string[] {
  const word = `${HIDDEN_WORD}${code(k)}`;
  return [`${word} `, `DCC ${700 + k}/2019`];
}

Deno.test("control characters in any field never make a restricted record or personal data public", async () => {
  await using db = await tempDb("control-chars");
  const hidden: Hidden[] = [];
  const imported: RecordDoc[] = [];
  const written: RecordDoc[] = [];
  CHARS.forEach((c, i) => {
    // Even k: through the import; odd k: written as they are, around the import's checks.
    for (const [k, into] of [[2 * i, imported], [2 * i + 1, written]] as const) {
      into.push(hiddenDossier(k, c), anAct(k, c, true), openDossier(k, c), anAct(k, c, false));
      hidden.push({ id: `${HIDDEN_ID}d-${k}`, queries: dossierQueries(k) });
      hidden.push({ id: `${HIDDEN_ID}a-${k}`, queries: actQueries(k) });
    }
  });
  // A 200 kB subject, imported and written; and rows whose flag is neither 0 nor 1.
  const big = 2 * CHARS.length;
  imported.push(hiddenDossier(big, "\u001f", longText(`${HIDDEN_WORD}${code(big)}`)));
  written.push(hiddenDossier(big + 1, "\u001f", longText(`${HIDDEN_WORD}${code(big + 1)}`)));
  hidden.push({ id: `${HIDDEN_ID}d-${big}`, queries: dossierQueries(big) });
  hidden.push({ id: `${HIDDEN_ID}d-${big + 1}`, queries: dossierQueries(big + 1) });
  const odd = [big + 2, big + 3];
  for (const k of odd) {
    written.push(hiddenDossier(k, "\u001e"), anAct(k, "\u001e", true));
    hidden.push({ id: `${HIDDEN_ID}d-${k}`, queries: dossierQueries(k) });
    hidden.push({ id: `${HIDDEN_ID}a-${k}`, queries: actQueries(k) });
  }

  const lines = imported.map(toImportLine).join("\n");
  const summary = await importJsonl(db.db, new Blob([lines]).stream(), { clock: () => NOW });
  assert.deepEqual(summary.errors, []);
  assert.equal(summary.inserted, imported.length);
  assert.ok(
    summary.warningMessages.some((w) =>
      / subject: caratteri di controllo sostituiti da uno spazio$/.test(w)
    ),
  );
  await db.db.transaction((tx) => upsertRecords(tx, written, NOW));
  // Neither 0 nor 1: a hand edit or an old tool's "2" / "si" still means restricted.
  for (const [k, value] of [[odd[0], 2], [odd[1], "si"]] as const) {
    await db.db.run(
      sql`UPDATE dossiers SET restricted = ${value} WHERE id = ${`${HIDDEN_ID}d-${k}`}`,
    );
    await db.db.run(sql`UPDATE acts SET restricted = ${value} WHERE id = ${`${HIDDEN_ID}a-${k}`}`);
  }

  // The import stored clean text; the written rows kept their characters.
  const cleanSubject = await readRecord(db.db, "dossier", `${HIDDEN_ID}d-2`);
  assert.equal(
    cleanSubject?.record === "dossier" && cleanSubject.subject,
    "ampliamento villa zolfanelac portico",
  );
  const cleanAct = await readRecord(db.db, "act", `${HIDDEN_ID}a-2`);
  assert.equal(
    cleanAct?.record === "act" && cleanAct.text,
    "IL CONSIGLIO \nomissis zolfanelac testo",
  );
  const raw = await readRecord(db.db, "dossier", `${HIDDEN_ID}d-63`);
  assert.equal(
    raw?.record === "dossier" && raw.subject,
    "ampliamento\u001fvilla zolfanelcl\u001fportico",
  );

  const index = createRecordIndex();
  await buildRecordIndex(db.db, index);
  const config = {
    ...loadConfig("branch", { db: db.path, "no-demo": true }, () => undefined),
    hostname: "127.0.0.1",
    port: 0,
    // Hundreds of API calls at one fixed instant: one window of the rate limit.
    apiRatePerMinute: 0,
  };
  const app = createApp({ db: db.db, index, clock: () => NOW, config });
  await using server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const vocab = await loadVocabulary(db.db);
  const known = { types: [...vocab.types.keys()], actKinds: [...vocab.actKinds] };
  const search = (q: string, audience: "public" | "clerk") =>
    searchRecords(
      db.db,
      index,
      parseSearchParams(new URLSearchParams({ q, per_page: "100" }), known),
      audience,
      () => NOW,
    );

  /** Fails when `body` shows a restricted record or personal data (the query echoed aside). */
  const assertNothingHidden = (body: string, where: string, q = "") => {
    let text = body.toLowerCase();
    for (const part of q.toLowerCase().trim().split(/\s+/)) {
      if (part) text = text.replaceAll(part, "");
    }
    for (const bad of [HIDDEN_ID, HIDDEN_WORD, HIDDEN_STREET.toLowerCase(), ...SECRETS]) {
      assert.ok(!text.includes(bad), `${where} shows "${bad}"`);
    }
  };
  const get = async (path: string) => {
    const res = await fetch(base + path);
    return { status: res.status, body: await res.text() };
  };

  for (const { id, queries } of hidden) {
    for (const q of queries) {
      // The query reaches the record: a clerk finds it by this very query.
      const clerk = await search(q, "clerk");
      assert.ok(clerk.hits.some((h) => h.id === id), `clerk finds ${id} by ${JSON.stringify(q)}`);
      const pub = await search(q, "public");
      assert.ok(!pub.hits.some((h) => h.id.startsWith(HIDDEN_ID)), `public ${q} finds ${id}`);
      const qs = new URLSearchParams({ q }).toString();
      const api = await get(`/api/search?${qs}`);
      assert.equal(api.status, 200);
      assertNothingHidden(api.body, `/api/search?${qs}`, q);
    }
    // The kiosk page of one query per record (its HTML is the slow part).
    const page = await get(`/cerca?${new URLSearchParams({ q: queries[0] ?? "" })}`);
    assert.equal(page.status, 200);
    assertNothingHidden(page.body, `/cerca?q=${queries[0]}`, queries[0]);
    const kind = id.startsWith(`${HIDDEN_ID}a-`) ? "act" : "dossier";
    for (const path of [`/${kind === "act" ? "atti" : "pratiche"}/${id}`, `/api/records/${id}`]) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assertNothingHidden(res.body, path);
    }
  }

  // Public records with the same characters are still found, and show no personal data.
  for (let k = 0; k < 2 * CHARS.length; k++) {
    const word = `girasol${code(k)}`;
    const pub = await search(`${word} `, "public");
    const ids = pub.hits.map((h) => h.id);
    assert.ok(ids.includes(`open-a-${k}`) && ids.includes(`open-d-${k}`), `${word}: ${ids}`);
    for (
      const path of [`/api/search?q=${word}`, `/pratiche/open-d-${k}`, `/api/records/open-d-${k}`]
    ) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assertNothingHidden(res.body, path);
    }
  }
  for (const q of ["villa", "vill", "quaglierini ", "ottorino ", "via roma"]) {
    const api = await get(`/api/search?${new URLSearchParams({ q })}`);
    assertNothingHidden(api.body, `/api/search?q=${q}`, q);
  }
});
