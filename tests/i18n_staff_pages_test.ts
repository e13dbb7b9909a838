/**
 * The staff pages, fetched over HTTP on loopback by a clerk and by an admin who chose English
 * at the switch, are in English: `<html lang="en">`, no catalogue key printed instead of its
 * text, and none of the staff area's Italian UI words outside record data (names, codes) and
 * the parts marked lang="it". The audit CSV names actions in the reader's language. The desk's
 * request pages (one per state with its own controls), the clerk's record page and the refusals
 * of the desk's forms (htmx partials and whole pages) are in English too, and refused input on
 * the admin forms comes back in English as an htmx partial.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";
import { addUser, TEST_PASSWORD } from "./_access_client.ts";
import { createAccessRequest } from "../db/access_requests.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import { it } from "../i18n/it.ts";
import type { TestWorld } from "./_world.ts";
import type { DossierDoc } from "../domain/records.ts";
import { actor, fileDocumentale, scannedDossier } from "./_grant_world.ts";
import { applyDeskAction } from "../db/access_decisions.ts";
import { createGrant, recordTitle, revokeGrant } from "../db/access_grants.ts";
import { seedBookingSetup } from "./_booking_world.ts";
import { setBookingClosure } from "../db/booking_config.ts";
import { addFeeExemption, addFeeRule } from "../db/fees.ts";
import { enqueueUpload } from "../sync/file_queue.ts";
import { runFileTransfers } from "../sync/file_transfer.ts";
import { openFileStore } from "../documents/file_store.ts";
import { fileTransfers, notices } from "../db/schema.ts";
import type { Db } from "../db/client.ts";
import { eq } from "drizzle-orm";

/** A browser over real HTTP: cookies and the CSRF token carried along, no redirects followed. */
class LoopbackClient {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(readonly base: string) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookie(): Record<string, string> {
    const all = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return all ? { Cookie: all } : {};
  }

  async get(path: string) {
    const res = await fetch(`${this.base}${path}`, { headers: this.cookie(), redirect: "manual" });
    this.remember(res);
    const body = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(body);
    if (m?.[1]) this.csrf = m[1];
    return { res, body };
  }

  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.base}${path}`, {
      method: "POST",
      headers: {
        ...this.cookie(),
        "Content-Type": "application/x-www-form-urlencoded",
        ...headers,
      },
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }),
      redirect: "manual",
    });
    this.remember(res);
    return { res, body: await res.text() };
  }
}

// Words of the staff area's Italian UI that no English page may show (record data aside).
const ITALIAN_UI = [
  "Coda",
  "Richiest",
  "Registro",
  "Utent",
  "Impostazioni",
  "Esci",
  "Filtra",
  "Stato",
  "Operatore",
  "operatore",
  "amministratore",
  "Amministratore",
  "Scadenza",
  "Giorni",
  "Salva",
  "Nome utente",
  "almeno",
  "Accesso",
  "Azion",
  "Sede",
  "Quando",
  "Oggetto",
  "Tutt",
  "Aperte",
  "Scarica",
  "Nuova",
  "Ruolo",
  "Sincronizzazione",
  "Tariffario",
  "Chiusure",
  "Festività",
  "Entra",
  "Presentata",
  "Codice",
  "Tipo di",
  "Ricerca",
  "Cerca",
  "Torna",
  "Nessun",
  "Lingua",
  "aggiornati",
  "Vai al",
  "entro il",
  "scadut",
  // The desk's request page, title check, grants and record page.
  "Documenti",
  "Titolo",
  "Concess",
  "Decisione",
  "Decisa",
  "Esito",
  "Motivazione",
  "Cronologia",
  "Allegati",
  "Riferimento",
  "Revoca",
  "revocat",
  "Valida",
  "valida",
  "Concedi",
  "ntegrazione",
  "istruttoria",
  "Consultazione",
  "consultazione",
  "Modalità",
  "Telefono",
  "Indirizzi",
  "Catasto",
  "Persone",
  "Nominativo",
  "Contatti",
  "Collocazione",
  "Carica",
  "Aggiungi",
  "scegli",
  "Registra",
  "Avvia",
  "Chiedi",
  "Segna",
  "Notifica",
  "giorni",
  "attiva",
  "tutta la",
  "fino al",
  "pratica",
  "Pratica",
  "Ricevuta",
  "Accolta",
  "Respinta",
  "Luogo",
  "Differit",
  "Visione",
  "presente in",
  "Indica",
  // The bookings admin, sync panel, fee table and notices pages.
  "Prenotazion",
  "Sportell",
  "sportell",
  "Orari",
  "Servizi",
  "Aggiungi",
  "Togli",
  "Motivo",
  "Sospendi",
  "Archivio",
  "archivio",
  "Ricezione",
  "Invio",
  "Fermo",
  "Non riuscito",
  "In corso",
  "In coda",
  "Avanzamento",
  "Velocità",
  "Tempo stimato",
  "Documento",
  "progresso",
  "file store della sede",
  "Modifiche",
  "Diritti",
  "Esenzion",
  "Importo",
  "Voce",
  "Elimina",
  "Avvisi",
  "Ricevuta",
  "Canale",
  "Destinatario",
  "Tentativi",
  "Riprova",
  "Messi da parte",
  "Da inviare",
  "non impostato",
  "configurato",
  "ricarica",
  "Scrivi",
  "non valid",
];

// Record data of the world: the requester, the fixtures' subject, the Comune's own words.
const DATA = [
  /Lucia Verdi/g,
  /Licenza del 1965/g,
  /AMPLIAMENTO FABBRICATO DI CIVILE ABITAZIONE/g,
  // What the desk typed and the documents' titles (the desk world below).
  /Tavola \d/g,
  /Ufficio tecnico, piano terra/g,
  /Atto di compravendita 2019/g,
  /Dati di terzi non oscurabili/g,
  /Fine del procedimento edilizio/g,
  /d\.lgs\. 33\/2013 art\. 5-bis c\.2 lett\. a \(protezione dei dati personali\)/g,
  // The booking setup of _booking_world.ts, as the admin wrote it.
  /Sede centrale/g,
  /Municipio, piano terra/g,
  /Consultazione pratica edilizia/g,
  // The exemption an admin listed, as the activity log quotes it.
  /Richiesta di un&#39;autorità giudiziaria/g,
];

function visibleText(html: string): string {
  let text = html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<style[\s\S]*?<\/style>/g, " ");
  text = text.replace(/<(\w+)[^>]*\slang="it"[^>]*>[\s\S]*?<\/\1>/g, " ");
  const attrs = [...text.matchAll(/\s(?:aria-label|alt|title|placeholder)="([^"]*)"/g)]
    .map((m) => m[1]).join(" ");
  text = `${text.replace(/<[^>]+>/g, " ")} ${attrs}`;
  for (const d of DATA) text = text.replace(d, " ");
  return text;
}

const KEY = new RegExp(`\\b(?:${Object.keys(it).join("|")})\\.[a-z]\\w*\\b`);

/** `html` (a page, or an htmx partial when `partial`) reads in English. */
function assertEnglish(label: string, html: string, partial = false): void {
  if (!partial) assert.match(html, /<html lang="en">/, `${label}: <html lang="en">`);
  assert.doesNotMatch(html, /&lt;span lang=/, `${label}: markup of an Italian term escaped`);
  const text = visibleText(html);
  const key = KEY.exec(text);
  assert.equal(key, null, `${label}: catalogue key shown: ${key?.[0]}`);
  for (const word of ITALIAN_UI) {
    const at = text.indexOf(word);
    assert.equal(at, -1, `${label}: Italian "${word}" in «${text.slice(at - 60, at + 60)}»`);
  }
}

async function signIn(base: string, username: string): Promise<LoopbackClient> {
  const client = new LoopbackClient(base);
  await client.get("/lingua/en?torna=%2Flogin");
  const login = await client.get("/login");
  assertEnglish("login", login.body);
  const res = await client.post("/login", { username, password: TEST_PASSWORD });
  assert.equal(res.res.status, 303, `${username} signs in`);
  return client;
}

/** The desk's requests in each state whose page has its own controls, and their dossier. */
interface DeskWorld {
  received: string;
  titleChecked: string;
  granted: string;
  refused: string;
  dossier: string;
}

/**
 * A scanned dossier and documentale requests for it: one just received, one in review with
 * its title recorded, one accepted with an active and a revoked grant, one refused.
 */
async function deskWorld(world: TestWorld, d: DossierDoc): Promise<DeskWorld> {
  const by = actor(world);
  const ctx = { ...by, settings: DEFAULT_DEADLINE_SETTINGS };
  const received = await fileDocumentale(world, [d.id]);
  const titleChecked = await fileDocumentale(world, [d.id]);
  await applyDeskAction(world.db, titleChecked.id, { kind: "start_review" }, "anna", ctx);
  await recordTitle(world.db, titleChecked.id, {
    kind: "owner",
    basis: "Atto di compravendita 2019",
  }, by);
  const granted = await fileDocumentale(world, [d.id]);
  await applyDeskAction(world.db, granted.id, { kind: "start_review" }, "anna", ctx);
  await recordTitle(
    world.db,
    granted.id,
    { kind: "owner", basis: "Atto di compravendita 2019" },
    by,
  );
  await applyDeskAction(
    world.db,
    granted.id,
    {
      kind: "decide",
      decision: {
        outcome: "accepted",
        consultationPlace: "Ufficio tecnico, piano terra",
        consultationFrom: "2025-03-10",
        consultationTo: "2025-03-31",
      },
    },
    "anna",
    ctx,
  );
  const whole = { scope: "whole", mode: "view", validUntil: "2025-05-02" } as const;
  const revoked = await createGrant(world.db, granted.id, whole, by);
  await revokeGrant(world.db, revoked.grant.id, "Fine del procedimento edilizio", by);
  const first = { kind: "dossier" as const, id: d.id };
  const chosen = d.documents.slice(0, 2).map((doc) => ({
    recordKind: first.kind,
    recordId: first.id,
    sha256: doc.sha256,
  }));
  await createGrant(world.db, granted.id, { ...whole, scope: "documents", documents: chosen }, by);
  const refused = await fileDocumentale(world, [d.id]);
  await applyDeskAction(world.db, refused.id, { kind: "start_review" }, "anna", ctx);
  await applyDeskAction(
    world.db,
    refused.id,
    {
      kind: "decide",
      decision: {
        outcome: "refused",
        reason: "Dati di terzi non oscurabili",
        legalBasis: "d.lgs. 33/2013 art. 5-bis c.2 lett. a (protezione dei dati personali)",
      },
    },
    "anna",
    ctx,
  );
  return {
    received: received.id,
    titleChecked: titleChecked.id,
    granted: granted.id,
    refused: refused.id,
    dossier: d.id,
  };
}

/** Pages every clerk sees (the admin too), with the desk world's requests and record. */
function clerkPages(desk: DeskWorld): string[] {
  return [
    "/sportello",
    "/sportello/cerca",
    "/sportello/agenda",
    "/sportello?state=all&regime=documentale",
    "/audit",
    `/sportello/richieste/${desk.received}`,
    `/sportello/richieste/${desk.titleChecked}`,
    `/sportello/richieste/${desk.granted}`,
    `/sportello/richieste/${desk.refused}`,
    `/sportello/pratiche/${encodeURIComponent(`dossier:${desk.dossier}`)}`,
  ];
}
/** Pages only an admin sees. */
const ADMIN_PAGES = [
  "/admin/utenti",
  "/admin/impostazioni",
  "/admin/prenotazioni",
  "/admin/tariffe",
  "/admin/sync",
];

const SHA_RUNNING = "a1".repeat(32);
const SHA_STALLED = "b2".repeat(32);
const SHA_FAILED = "c3".repeat(32);

/**
 * What the admin pages list: a booking setup with a closure, a fee rule and an exemption, and a
 * file queue with a transfer moving, one stuck for minutes, and an upload that failed (its
 * file gone from the store, found by a real file-transfer run).
 */
async function seedAdminData(db: Db, dir: string, now: Date): Promise<void> {
  await seedBookingSetup(db, now);
  await setBookingClosure(db, "K2", { date: "2025-08-16", note: "Inventario" }, true, now);
  const by = { actor: null, now, branch: "sede-K2", outbox: false };
  await addFeeRule(db, { item: "research", yearFrom: null, yearTo: 1990, amountCents: 3000 }, by);
  await addFeeExemption(db, "Richiesta di un'autorità giudiziaria", by);
  await enqueueUpload(db, { sha256: SHA_FAILED, bytes: 5000 }, now);
  const report = await runFileTransfers({
    db,
    store: await openFileStore(`${dir}/files`),
    // Never reached: the upload fails before any request, and nothing is wanted down.
    transport: { fetch, archiveUrl: "http://127.0.0.1:9", token: "x", timeoutMs: 1000 },
    clock: () => now,
    budgetBytes: 1e9,
  }, { sleep: () => Promise.resolve() });
  // The desk world's granted scans are wanted down too and stall on the unreachable archive.
  assert.ok(report.stalled >= 1, "the upload without its file is left aside");
  const [failed] = await db.select().from(fileTransfers).where(
    eq(fileTransfers.sha256, SHA_FAILED),
  );
  assert.ok(failed?.lastError, "the failed upload keeps its reason");
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
  await db.insert(fileTransfers).values([
    {
      sha256: SHA_RUNNING,
      direction: "down",
      total: 4_000_000,
      bytesDone: 1_000_000,
      rate: 250_000,
      state: "running",
      createdAt: at(60_000),
      updatedAt: at(1_000),
    },
    {
      sha256: SHA_STALLED,
      direction: "down",
      total: 2_000_000,
      bytesDone: 500_000,
      state: "running",
      createdAt: at(600_000),
      updatedAt: at(300_000),
    },
  ]);
}

Deno.test("the staff pages read in English for a clerk and an admin who switched", async () => {
  const d = dossier();
  const scanned = scannedDossier();
  await using world = await createTestWorld({ records: [d, scanned] });
  await addUser(world.db, "anna", "clerk", world.clock());
  await addUser(world.db, "capo", "admin", world.clock());
  await createAccessRequest(world.db, {
    regime: "documentale",
    requesterName: "Lucia Verdi",
    taxCode: "MRTMTT91D08F205J",
    mode: "copy",
    records: [{ kind: "dossier", id: d.id }],
    motivation: "Proprietaria dell'immobile",
  }, {
    now: new Date("2025-01-20T10:00:00Z"),
    branch: "sede-K2",
    branchCode: "K2",
    outbox: true,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
  const desk = await deskWorld(world, scanned);
  await seedAdminData(world.db, world.dir, world.clock());
  const served = await world.serve();

  // A refused sign-in, in English.
  const stranger = new LoopbackClient(served.url);
  await stranger.get("/lingua/en?torna=%2Flogin");
  await stranger.get("/login");
  const refused = await stranger.post("/login", { username: "anna", password: "sbagliata" });
  assert.equal(refused.res.status, 401);
  assertEnglish("refused sign-in", refused.body);
  assert.match(refused.body, /Wrong username or password/);

  const clerk = await signIn(served.url, "anna");
  for (const path of clerkPages(desk)) {
    const { res, body } = await clerk.get(path);
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    assertEnglish(`clerk ${path}`, body);
  }
  const queue = (await clerk.get("/sportello?state=all")).body;
  assert.match(queue, /Overdue by \d+ days/);
  assert.match(queue, /Documentary/);

  const admin = await signIn(served.url, "capo");
  for (const path of [...clerkPages(desk), ...ADMIN_PAGES]) {
    const { res, body } = await admin.get(path);
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    assertEnglish(`admin ${path}`, body);
  }
  // The file queue's three states and their reasons, in English.
  const files = (await admin.get("/admin/sync")).body;
  const row = (sha: string) =>
    new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*${sha.slice(0, 12)}(?:(?!</tr>)[\\s\\S])*</tr>`)
      .exec(files)?.[0] ?? "";
  assert.match(row(SHA_RUNNING), /Download[\s\S]*Moving/);
  assert.match(row(SHA_STALLED), /Stuck[\s\S]*No progress for over a minute/);
  assert.match(
    row(SHA_FAILED),
    /Upload[\s\S]*Failed[\s\S]*no longer in the branch&#39;s file store/,
  );
  const fees = (await admin.get("/admin/tariffe")).body;
  assert.match(fees, /Search fee \(diritti di ricerca\), per dossier/);
  assert.match(fees, /up to 1990/);
  assert.match(fees, /<span lang="it">Richiesta di un&#39;autorità giudiziaria<\/span>/);
  const bookings = (await admin.get("/admin/prenotazioni")).body;
  assert.match(bookings, /Consultazione pratica edilizia, 30 minutes/);
  assert.match(bookings, /<label class="form-label" for="hours-1">Monday<\/label>/);
  // Refusals on the admin pages, in English; the Italian stays the message of record.
  await admin.get("/admin/utenti");
  const short = await admin.post("/admin/utenti", {
    username: "nuovo",
    role: "clerk",
    password: "corta",
  });
  assert.equal(short.res.status, 422);
  assertEnglish("short password", short.body);
  assert.match(short.body, /The password must have at least 10 characters/);
  await admin.get("/admin/impostazioni");
  const badSettings = await admin.post("/admin/impostazioni", {
    fixed: "25-12",
    extra: "",
    patron: "",
    idleSeconds: "120",
  });
  assert.equal(badSettings.res.status, 422);
  assertEnglish("bad settings", badSettings.body);
  assert.match(badSettings.body, /Holidays: write each date as MM-DD/);

  // The audit CSV names each action for the reader; its code stays in the last column.
  const csv = await fetch(`${served.url}/audit.csv`, {
    headers: { Cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
  });
  assert.match(csv.headers.get("content-disposition") ?? "", /activity-log\.csv/);
  const lines = (await csv.text()).trim().split(/\r?\n/);
  assert.equal(lines[0], "when;branch;clerk;action;kind;id;detail;action_code");
  assert.ok(
    lines.some((l) => l.includes(";Sign-in;") && l.endsWith(";login_ok")),
    lines.join("\n"),
  );
  assert.ok(lines.some((l) => l.includes(";Failed sign-in;")));
});

Deno.test("the audit CSV names each action in Italian by default, its code last", async () => {
  await using world = await createTestWorld();
  await addUser(world.db, "capo", "admin", world.clock());
  const served = await world.serve();
  const admin = new LoopbackClient(served.url);
  await admin.get("/login");
  assert.equal(
    (await admin.post("/login", { username: "capo", password: TEST_PASSWORD })).res.status,
    303,
  );
  const { res, body } = await admin.get("/audit.csv");
  assert.match(res.headers.get("content-disposition") ?? "", /registro-attivita\.csv/);
  const lines = body.trim().split(/\r?\n/);
  assert.equal(lines[0], "quando;sede;operatore;azione;tipo;id;dettaglio;codice_azione");
  assert.ok(
    lines.some((l) => l.includes(";Accesso;") && l.endsWith(";login_ok")),
    lines.join("\n"),
  );
});

Deno.test("the desk's refusals come back in the clerk's language, htmx partials in place", async () => {
  const scanned = scannedDossier();
  await using world = await createTestWorld({ records: [scanned] });
  await addUser(world.db, "anna", "clerk", world.clock());
  const desk = await deskWorld(world, scanned);
  const served = await world.serve();
  const HTMX = { "HX-Request": "true" };
  const inReview = `/sportello/richieste/${desk.titleChecked}`;
  const granted = `/sportello/richieste/${desk.granted}`;

  const clerk = await signIn(served.url, "anna");
  // A refusal without its reasons: the whole page again, the message beside the field.
  await clerk.get(inReview);
  const noReason = await clerk.post(`${inReview}/azione`, {
    action: "decide",
    outcome: "refused",
  });
  assert.equal(noReason.res.status, 422);
  assertEnglish("refusal without reasons", noReason.body);
  assert.match(noReason.body, /id="decision-error">Give the reasons for the decision\.</);

  // A grant's validity that is no date, then one already past: the grants section alone.
  const page = await clerk.get(granted);
  const grantId = /concessioni\/([0-9a-f-]{36})\/revoca/.exec(page.body)?.[1] ?? "";
  const badDate = await clerk.post(`${granted}/concessioni`, {
    grantScope: "whole",
    grantMode: "view",
    grantValidUntil: "2025-13-45",
  }, HTMX);
  assert.equal(badDate.res.status, 422);
  assert.match(badDate.body, /^<section id="concessioni"/);
  assertEnglish("grant with a bad date", badDate.body, true);
  assert.match(badDate.body, /Valid until: invalid date, use YYYY-MM-DD/);
  const past = await clerk.post(`${granted}/concessioni`, {
    grantScope: "whole",
    grantMode: "view",
    grantValidUntil: "2025-01-01",
  }, HTMX);
  assert.equal(past.res.status, 422);
  assertEnglish("grant already expired", past.body, true);
  assert.match(past.body, /The permission must last at least until today/);

  // A revocation without its reason, a title without what it rests on.
  const noWhy = await clerk.post(`${granted}/concessioni/${grantId}/revoca`, { reason: "" }, HTMX);
  assert.equal(noWhy.res.status, 422);
  assertEnglish("revocation without reason", noWhy.body, true);
  assert.match(noWhy.body, /Give the reason for revoking\./);
  const noBasis = await clerk.post(`${inReview}/titolo`, {
    titleKind: "owner",
    titleBasis: "",
  }, HTMX);
  assert.equal(noBasis.res.status, 422);
  assert.match(noBasis.body, /^<section id="titolo"/);
  assertEnglish("title without basis", noBasis.body, true);
  assert.match(noBasis.body, /Say what the title rests on/);

  // A clerk who reads Italian gets the same refusals in Italian, word for word.
  const italian = new LoopbackClient(served.url);
  await italian.get("/login");
  await italian.post("/login", { username: "anna", password: TEST_PASSWORD });
  await italian.get(inReview);
  const itNoReason = await italian.post(`${inReview}/azione`, {
    action: "decide",
    outcome: "refused",
  });
  assert.equal(itNoReason.res.status, 422);
  assert.match(itNoReason.body, /<html lang="it">/);
  assert.match(itNoReason.body, /Indica la motivazione della decisione\./);
  const itBadDate = await italian.post(`${granted}/concessioni`, {
    grantValidUntil: "2025-13-45",
  }, HTMX);
  assert.equal(itBadDate.res.status, 422);
  assert.match(itBadDate.body, /Valida fino al: data non valida, usa AAAA-MM-GG/);
});

/** A refusal sent back as the htmx partial that replaces #messages. */
function assertPartial(label: string, res: Response, body: string, status: number): void {
  assert.equal(res.status, status, `${label}: ${res.status} ${body}`);
  assert.equal(res.headers.get("HX-Retarget"), "#messages", `${label}: retargeted`);
  assert.doesNotMatch(body, /<html/, `${label}: a partial, not a page`);
}

Deno.test("bad input on the admin forms comes back in English as an htmx partial", async () => {
  await using world = await createTestWorld();
  await addUser(world.db, "capo", "admin", world.clock());
  await seedBookingSetup(world.db, world.clock());
  const served = await world.serve();
  const admin = await signIn(served.url, "capo");
  const hx = { "HX-Request": "true" };

  await admin.get("/admin/tariffe");
  const cases: [string, string, Record<string, string>, RegExp][] = [
    ["negative fee", "/admin/tariffe", { item: "copy_page", amount: "-5" }, /Invalid amount/],
    [
      "bad year",
      "/admin/tariffe",
      { item: "research", yearFrom: "19", amount: "3,00" },
      /From year: invalid year/,
    ],
    [
      "years on copies",
      "/admin/tariffe",
      { item: "copy_page", yearFrom: "1990", amount: "1,00" },
      /Years apply only to search and viewing/,
    ],
    [
      "empty exemption reason",
      "/admin/tariffe/esenzioni",
      { reason: "" },
      /Write the reason for the exemption/,
    ],
    ["bad fee id", "/admin/tariffe/elimina", { id: "../x" }, /Invalid item: reload the page/],
    ["bad booking hours", "/admin/prenotazioni/orari", {
      sede: "K2",
      weekday: "1",
      intervals: "25:00-26:00",
    }, /Invalid hours: write intervals like 09:00-12:30/],
    ["overlapping hours", "/admin/prenotazioni/orari", {
      sede: "K2",
      weekday: "1",
      intervals: "09:00-12:00, 11:00-13:00",
    }, /two intervals overlap/],
    ["share over capacity", "/admin/prenotazioni/regola", {
      sede: "K2",
      name: "Sede",
      capacity: "1",
      onlineShare: "3",
      releaseHours: "24",
    }, /The online share cannot be more than the open counters/],
    [
      "slot length",
      "/admin/prenotazioni/servizi",
      { sede: "K2", name: "Visura", slotMinutes: "2" },
      /Length: a whole number from 5 to 240/,
    ],
    ["closure day", "/admin/prenotazioni/chiusure", {
      sede: "K2",
      action: "add",
      date: "16/08/2025",
    }, /Closing day: a date written YYYY-MM-DD|Closing day/],
    [
      "bad branch",
      "/admin/prenotazioni/servizi",
      { sede: "k", name: "Visura", slotMinutes: "30" },
      /Branch: 2 characters such as K2/,
    ],
    [
      "walk-in without a name",
      "/sportello/agenda/accesso",
      { serviceId: "abc", name: "" },
      /Write the first name and surname/,
    ],
    [
      "agenda mark",
      "/sportello/agenda/stato",
      { id: "abc", state: "gone" },
      /Choose arrived or did not come/,
    ],
  ];
  for (const [label, path, fields, message] of cases) {
    const { res, body } = await admin.post(path, fields, hx);
    assertPartial(label, res, body, 422);
    assert.match(body, message, label);
    assertEnglish(label, `<html lang="en">${body}`);
  }

  // The same refusal in Italian keeps the message of record.
  await admin.get("/lingua/it?torna=%2Fadmin%2Ftariffe");
  await admin.get("/admin/tariffe");
  const it = await admin.post("/admin/tariffe", { item: "copy_page", amount: "-5" }, hx);
  assertPartial("negative fee (it)", it.res, it.body, 422);
  assert.match(
    it.body,
    /Importo non valido: scrivi euro e centesimi, ad esempio 30,00 \(massimo 10\.000\)\./,
  );
});

Deno.test("the archive's notices and pagoPA panel read in English", async () => {
  await using world = await createTestWorld({ config: { role: "archive" } });
  await addUser(world.db, "capo", "admin", world.clock());
  const at = world.clock().toISOString();
  const notice = {
    eventId: "e1",
    receiptCode: "K2-2025-000001",
    kind: "decision",
    recipient: "mario.rossi@example.it",
    subject: "Decisione",
    body: "Testo",
    createdAt: at,
    updatedAt: at,
  } as const;
  await world.db.insert(notices).values([
    {
      ...notice,
      id: "n1",
      idempotencyKey: "k1",
      channel: "app_io",
      state: "failed_permanent",
      attempts: 1,
      lastError: "App IO: il destinatario non ha un profilo su IO",
    },
    {
      ...notice,
      id: "n2",
      idempotencyKey: "k2",
      channel: "email",
      state: "pending",
      attempts: 2,
      nextAttemptAt: at,
      lastError: "E-mail: il server SMTP ha risposto 451",
    },
  ]);
  const served = await world.serve();
  const admin = await signIn(served.url, "capo");
  for (const path of ["/admin/avvisi", "/admin/tariffe"]) {
    const { res, body } = await admin.get(path);
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    assertEnglish(`archive ${path}`, body);
  }
  const page = (await admin.get("/admin/avvisi")).body;
  assert.match(page, /<td>Decision<\/td>/);
  // The sender's reason is stored in Italian: shown as it is, marked for a screen reader.
  assert.match(page, /<span lang="it">App IO: il destinatario non ha un profilo su IO<\/span>/);
  const retried = await admin.post("/admin/avvisi/riprova", { id: "n1" });
  assert.equal(retried.res.status, 200);
  assert.match(retried.body, /Notice queued again/);
  const gone = await admin.post("/admin/avvisi/riprova", { id: "n1" }, { "HX-Request": "true" });
  assertPartial("retry twice", gone.res, gone.body, 404);
  assert.match(gone.body, /no longer among those set aside/);
  const fees = (await admin.get("/admin/tariffe")).body;
  assert.match(fees, /data-testid="pagopa-panel"/);
  assert.match(fees, /0 waiting to be registered, 0 registered, 0 paid/);
});
