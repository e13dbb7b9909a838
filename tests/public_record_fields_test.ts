/**
 * The public projection copies only the fields its rule table names: a record with every
 * field set shows exactly the public ones, and a field the table does not know (data that
 * reached the record around the type system) never comes through.
 */
import assert from "node:assert/strict";
import { ACT_FIELD_RULES, DOSSIER_FIELD_RULES, publicView } from "../domain/public_record.ts";
import type { ActDoc, DossierDoc } from "../domain/records.ts";

const FULL_DOSSIER: Required<DossierDoc> = {
  record: "dossier",
  id: "pe-1",
  series: "STORICO",
  type: "CE",
  number: "452",
  year: 1987,
  protocolNumber: "8713",
  protocolDate: "1987-05-12",
  aliases: [{ index: "schedario-B", key: "C.E. 452/87" }],
  parentId: "pe-0",
  subject: "Ampliamento per Bianchi",
  subjectPublic: "Ampliamento",
  addresses: [{ street: "Via Roma", civic: "12" }],
  cadastral: [{ register: "NCEU", sheet: "12", parcel: "345" }],
  people: [{ role: "richiedente", surname: "Bianchi", taxCode: "BNCGLI50C54H501K" }],
  submittedOn: "1987-05-12",
  issuedOn: "1987-11-03",
  worksStartedOn: "1988-03-01",
  worksEndedOn: "1989-06-30",
  status: "issued",
  documents: [{
    file: "scan.pdf",
    title: "Tavola",
    pages: 3,
    bytes: 10,
    sha256: "a".repeat(64),
    public: false,
  }],
  location: { box: "F-1", shelf: "B4", room: "Deposito" },
  restricted: false,
  source: "schedario-B",
};

const FULL_ACT: Required<ActDoc> = {
  record: "act",
  id: "dcc-1",
  kind: "delibera_consiglio",
  number: "34",
  year: 2019,
  date: "2019-07-22",
  office: "Consiglio comunale",
  subject: "Variante",
  text: "IL CONSIGLIO ... DELIBERA",
  publishedFrom: "2019-07-26",
  publishedTo: "2019-08-10",
  attachments: [{
    file: "all-a.pdf",
    title: "Allegato A",
    pages: 2,
    bytes: 10,
    sha256: "b".repeat(64),
    public: true,
  }],
  restricted: false,
};

function rulesFor(rules: Record<string, string>, rule: string): string[] {
  return Object.keys(rules).filter((k) => rules[k] === rule).sort();
}

Deno.test("every field of the record model has a public rule, and only those", () => {
  assert.deepEqual(Object.keys(DOSSIER_FIELD_RULES).sort(), Object.keys(FULL_DOSSIER).sort());
  assert.deepEqual(Object.keys(ACT_FIELD_RULES).sort(), Object.keys(FULL_ACT).sort());
});

Deno.test("a dossier with every field set shows its copied fields, the rewritten ones, nothing else", () => {
  const view = publicView(FULL_DOSSIER);
  assert.ok(view && view.record === "dossier");
  assert.deepEqual(
    Object.keys(view).sort(),
    [...rulesFor(DOSSIER_FIELD_RULES, "copied"), "subject", "roles", "documents"].sort(),
  );
  assert.equal(view.subject, "Ampliamento");
  assert.deepEqual(view.roles, ["richiedente"]);
  assert.deepEqual(view.documents, [{ title: "Tavola", pages: 3, public: false }]);
  const text = JSON.stringify(view);
  for (const secret of ["Bianchi", "BNCGLI50C54H501K", "Deposito", "F-1", "scan.pdf"]) {
    assert.ok(!text.includes(secret), secret);
  }
});

Deno.test("an act with every field set shows its copied fields and its attachments' refs", () => {
  const view = publicView(FULL_ACT);
  assert.ok(view && view.record === "act");
  assert.deepEqual(
    Object.keys(view).sort(),
    [...rulesFor(ACT_FIELD_RULES, "copied"), "attachments"].sort(),
  );
  assert.deepEqual(view.attachments, [{
    title: "Allegato A",
    pages: 2,
    public: true,
    file: "all-a.pdf",
  }]);
});

Deno.test("a field unknown to the rule table never reaches the public view", () => {
  const smuggled = { ...FULL_DOSSIER, ownerPhone: "333 1234567", notes: "Bianchi" } as DossierDoc;
  const text = JSON.stringify(publicView(smuggled));
  assert.ok(!text.includes("333 1234567") && !text.includes("notes"));
});
