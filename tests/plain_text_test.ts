/**
 * The text rule (domain/plain_text.ts) and the ways text gets in that apply it besides the
 * import (tests/privacy_control_chars_test.ts covers that): the request form (every route's
 * fields: tests/http_bad_input_test.ts), and records and mutations crossing sync.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { appendAudit } from "../db/audit.ts";
import { readRecord } from "../db/records.ts";
import { auditLog } from "../db/schema.ts";
import { cleanLine, cleanMultiline } from "../domain/plain_text.ts";
import { validateLine } from "../domain/validate_record.ts";
import { requestForm } from "../routes/_request_input.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { createSyncPair } from "./_sync_setup.ts";
import { act, dossier } from "./fixtures.ts";

const CONTROLS = [
  ...Array.from({ length: 32 }, (_, i) => i),
  ...Array.from({ length: 33 }, (_, i) => 0x7f + i),
  0x2028,
  0x2029,
  0xfeff,
].map((c) => String.fromCharCode(c));

Deno.test("every control character between two words becomes one space; none stays at the ends", () => {
  for (const c of CONTROLS) {
    const shown = `U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    assert.equal(cleanLine(`ampliamento${c}villa`), "ampliamento villa", shown);
    assert.equal(cleanLine(`ampliamento ${c}${c} villa`), "ampliamento villa", shown);
    assert.equal(cleanLine(`${c}villa${c}`), "villa", shown);
  }
  assert.equal(cleanLine("via  Roma, 12 – Niccolò 😀"), "via  Roma, 12 – Niccolò 😀");
  assert.equal(cleanLine("lone \ud800 half"), "lone \ufffd half");
});

Deno.test("a multi-line field keeps tabs and line breaks and loses the rest", () => {
  assert.equal(cleanMultiline("IL CONSIGLIO\r\n\tDELIBERA"), "IL CONSIGLIO\r\n\tDELIBERA");
  assert.equal(cleanMultiline("uno\u0000due\u2028tre\u000bquattro"), "uno due tre quattro");
  assert.equal(cleanLine("uno\r\n\tdue"), "uno due");
});

Deno.test("an import line with control characters is imported clean, with a warning per field", () => {
  const vocab = { types: new Map([["CE", { restrictedByDefault: false }]]), actKinds: new Set([]) };
  const line = JSON.stringify({
    record: "dossier",
    id: "pe-1",
    series: "STORICO",
    type: "CE",
    number: "1",
    year: 1987,
    subject: "ampliamento\u001fvilla",
    addresses: [{ street: "Via\u001eRoma", civic: "\u001d12" }],
    restricted: true,
  });
  const verdict = validateLine(line, 7, vocab, 2026);
  assert.ok(verdict.ok);
  assert.equal(verdict.doc.record === "dossier" && verdict.doc.subject, "ampliamento villa");
  assert.deepEqual(verdict.doc.record === "dossier" && verdict.doc.addresses, [
    { street: "Via Roma", civic: "12" },
  ]);
  assert.equal(verdict.doc.restricted, true);
  assert.deepEqual(verdict.warnings, [
    "riga 7: addresses[0].street: caratteri di controllo sostituiti da uno spazio",
    "riga 7: addresses[0].civic: caratteri di controllo sostituiti da uno spazio",
    "riga 7: subject: caratteri di controllo sostituiti da uno spazio",
  ]);
});

Deno.test("the request form reads control characters as spaces, keeping a text area's lines", () => {
  const form = {
    requesterName: "Mario\u0000Rossi\u2028",
    taxCode: "RSSMRA85T10A562S",
    regime: "documentale",
    motivation: "Rogito\u001fnotarile\nseconda riga",
    recordsDescription: "Licenza\u0085del 1987",
    privacyAck: "1",
    record: ["dossier:pe-1"],
  };
  const read = requestForm.safeParse(form);
  assert.ok(read.success, JSON.stringify(read.error?.issues));
  assert.equal(read.data.values.requesterName, "Mario Rossi");
  assert.equal(read.data.input.motivation, "Rogito notarile\nseconda riga");
  assert.equal(read.data.input.recordsDescription, "Licenza del 1987");
  assert.deepEqual(read.data.records, [{ kind: "dossier", id: "pe-1" }]);
  // A record reference has a format of its own: a control character in it is refused.
  const bad = requestForm.safeParse({ ...form, record: ["dossier:pe-1\u0000"] });
  assert.equal(bad.success, false);
});

Deno.test("records a branch pulls and mutations it pushes arrive without control characters", async () => {
  // A legacy archive row, written before the rule: the branch stores it clean.
  const legacy = dossier({ subject: "ampliamento\u001fvilla\u0000" });
  const text = act({ text: "IL CONSIGLIO\u0007\nDELIBERA" });
  await using pair = await createSyncPair({ archiveRecords: [legacy, text] });
  const fast = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 3 };
  await syncOnce(pair.clientDeps(), fast);
  const pulled = await readRecord(pair.branch.db, "dossier", legacy.id);
  assert.equal(pulled?.record === "dossier" && pulled.subject, "ampliamento villa");
  const pulledAct = await readRecord(pair.branch.db, "act", text.id);
  assert.equal(pulledAct?.record === "act" && pulledAct.text, "IL CONSIGLIO \nDELIBERA");

  const entry = await appendAudit(pair.branch.db, {
    actor: "mario\u001e",
    action: "view_people",
    detail: "pratica\u001fCE 1/1987",
  }, { now: pair.branch.clock(), branch: "sede-prova", outbox: true });
  await syncOnce(pair.clientDeps(), fast);
  const row = await pair.archive.db.select().from(auditLog).where(eq(auditLog.id, entry.id)).get();
  assert.equal(row?.actor, "mario");
  assert.equal(row?.detail, "pratica CE 1/1987");
});
