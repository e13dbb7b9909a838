/**
 * Every kiosk page, fetched over HTTP on loopback with English chosen at the switch, is in
 * English: `<html lang="en">`, no catalogue key printed instead of its text, no markup of an
 * Italian term escaped into view, and none of the kiosk's Italian UI words outside the record
 * data and the parts marked lang="it". Italian stays the default and comes back after the wipe.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { act, dossier } from "./fixtures.ts";
import { it } from "../i18n/it.ts";
import { escapeHtml } from "../i18n/rich.ts";
import { documentUrl } from "../views/document_url.ts";
import { createDocumentWorld } from "./_document_world.ts";
import { seedBookingSetup } from "./_booking_world.ts";
import { fileRequest, seedFeeTable } from "./_pagopa_setup.ts";
import { createCitizenWorld, FetchBrowser, signIn } from "./_citizen_world.ts";

const CF = "RSSMRA85T10A562S";

/** A browser-like client of a served world: cookies and the CSRF token carried along. */
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

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return { ...(cookie ? { Cookie: cookie } : {}), ...extra };
  }

  async get(path: string, extra: Record<string, string> = {}) {
    const res = await fetch(`${this.base}${path}`, {
      headers: this.headers(extra),
      redirect: "manual",
    });
    this.remember(res);
    const body = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(body);
    if (m?.[1]) this.csrf = m[1];
    return { res, body };
  }

  async post(path: string, fields: Record<string, string>, extra: Record<string, string> = {}) {
    const res = await fetch(`${this.base}${path}`, {
      method: "POST",
      headers: this.headers({ "Content-Type": "application/x-www-form-urlencoded", ...extra }),
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }),
      redirect: "manual",
    });
    this.remember(res);
    return { res, body: await res.text() };
  }
}

// Words of the kiosk's Italian UI that no English page may show (record data aside).
const ITALIAN_UI = [
  "Cerca",
  "Ricerca",
  "Risultat",
  "Torna",
  "Nessun",
  "Richiedi",
  "Pagina",
  "Indirizzi",
  "Soggetti",
  "Allegati",
  "obbligatori",
  "facoltativ",
  "Conferma",
  "Modifica",
  "Stampa",
  "Verifica",
  "Stato",
  "Codice",
  "Presentata",
  "Termine",
  "Dove andare",
  "Filtra",
  "Ordina",
  "Apri ",
  "Vai al",
  "aggiornati",
  "Informativa",
  "Chi presenta",
  "Tipo di",
  "Esito",
  "Documenti",
  "Lingua",
  "Controlla",
  "Inserisci",
  "non valid",
];

// The record data of the fixtures, Italian by nature, and the Comune's own words.
const DATA = [
  /AMPLIAMENTO FABBRICATO DI CIVILE ABITAZIONE/g,
  /Approvazione variante al regolamento edilizio/g,
  /IL CONSIGLIO COMUNALE \.\.\. DELIBERA \.\.\./g,
];

function visibleText(html: string): string {
  let text = html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<style[\s\S]*?<\/style>/g, " ");
  // What is marked Italian is read with an Italian voice: that is right, not a leftover.
  text = text.replace(/<(\w+)[^>]*\slang="it"[^>]*>[\s\S]*?<\/\1>/g, " ");
  // Attribute texts people hear or see: aria-label, alt, title, placeholder.
  const attrs = [...text.matchAll(/\s(?:aria-label|alt|title|placeholder)="([^"]*)"/g)]
    .map((m) => m[1]).join(" ");
  text = `${text.replace(/<[^>]+>/g, " ")} ${attrs}`;
  for (const d of DATA) text = text.replace(d, " ");
  return text;
}

// `search.title`, `errors.notFound`: a key printed instead of its text.
const KEY = new RegExp(`\\b(?:${Object.keys(it).join("|")})\\.[a-z]\\w*\\b`);

function assertEnglish(label: string, html: string): void {
  assert.match(html, /<html lang="en">/, `${label}: <html lang="en">`);
  assert.doesNotMatch(html, /&lt;span lang=/, `${label}: markup of an Italian term escaped`);
  const text = visibleText(html);
  const key = KEY.exec(text);
  assert.equal(key, null, `${label}: catalogue key shown: ${key?.[0]}`);
  for (const word of ITALIAN_UI) {
    const at = text.indexOf(word);
    assert.equal(at, -1, `${label}: Italian "${word}" in «${text.slice(at - 60, at + 60)}»`);
  }
}

Deno.test("every kiosk page reads in English once the visitor switches, and Italian after the wipe", async () => {
  const d = dossier({ id: "pe-ce-1987-452", number: "452" });
  const a = act({ id: "atto-34", number: "34" });
  await using world = await createTestWorld({ records: [d, a] });
  const served = await world.serve();
  const kiosk = new LoopbackClient(served.url);

  const home = await kiosk.get("/");
  assert.match(home.body, /<html lang="it">/);
  assert.match(home.body, /href="\/lingua\/en\?torna=%2F"/, "the switch is on the home page");

  const switched = await kiosk.get("/lingua/en?torna=%2Fcerca%3Fq%3Droma");
  assert.equal(switched.res.status, 303);
  assert.equal(switched.res.headers.get("location"), "/cerca?q=roma");

  const pages: [string, string][] = [
    ["/", "home"],
    ["/cerca?q=ampliamento", "results"],
    ["/cerca?q=ampliamento&kind=dossier&year_from=1980", "filtered results"],
    ["/cerca?q=zzzqqq", "no results"],
    [`/pratiche/${d.id}?q=roma`, "dossier"],
    [`/atti/${a.id}`, "act"],
    [`/richieste/nuova?record=dossier:${d.id}`, "request form"],
    ["/richieste/cestino", "basket"],
    ["/richieste/stato", "status lookup"],
    ["/pratiche/nessuna", "not found"],
  ];
  for (const [path, label] of pages) {
    const { res, body } = await kiosk.get(path);
    assert.ok(res.status === 200 || label === "not found", `${label}: ${res.status}`);
    assertEnglish(label, body);
  }
  // htmx partials too: the live results and an error swapped into #messages.
  assertEnglish(
    "results partial",
    `<html lang="en">${(await kiosk.get("/cerca?q=roma", { "HX-Request": "true" })).body}`,
  );

  // The form refused: messages beside the fields, in English.
  await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
  const refused = await kiosk.post("/richieste/nuova", {
    record: `dossier:${d.id}`,
    requesterName: "M",
    taxCode: "RSSMRA85T10A562X",
    regime: "documentale",
    mode: "view",
  });
  assert.equal(refused.res.status, 422);
  assertEnglish("refused form", refused.body);
  assert.match(refused.body, /The last character does not match/);
  assert.match(refused.body, /confirm that you have read the privacy notice/);

  // The summary, then the receipt.
  const fields = {
    record: `dossier:${d.id}`,
    requesterName: "Mario Rossi",
    taxCode: CF,
    regime: "documentale",
    motivation: "Compravendita dell'appartamento",
    mode: "view",
    privacyAck: "1",
  };
  const summary = await kiosk.post("/richieste/nuova", fields);
  assert.equal(summary.res.status, 200);
  assertEnglish("summary", summary.body);
  const filed = await kiosk.post("/richieste/nuova", { ...fields, confirm: "1" });
  assert.equal(filed.res.status, 303);
  const receipt = await kiosk.get(filed.res.headers.get("location") ?? "");
  assert.equal(receipt.res.status, 200);
  assertEnglish("receipt", receipt.body);
  assert.match(receipt.body, /Access request \(<span lang="it">accesso agli atti<\/span>\) filed/);
  assert.match(receipt.body, /3 March 2025/, "dates in English");

  // The public register, with the request just filed (its rows stay Italian, marked so).
  const registro = await kiosk.get("/registro-accessi");
  assert.match(registro.body, /<tbody lang="it">/);
  assertEnglish("registro", registro.body);

  // A bad status lookup, as a page and as an htmx partial.
  await kiosk.get("/richieste/stato");
  const lookup = await kiosk.post("/richieste/stato", { code: "K2AB", taxCode: CF });
  assertEnglish("status lookup refused", lookup.body);
  assert.match(lookup.body, /The receipt code has 8 characters/);

  // The idle wipe forgets the language with everything else.
  const wiped = await kiosk.get("/richieste/azzera");
  assert.equal(wiped.res.status, 303);
  assert.equal(kiosk.cookies.has("faldone_lang"), false);
  assert.match((await kiosk.get("/")).body, /<html lang="it">/);
});

Deno.test("the language switch refuses a way back off this site", async () => {
  await using world = await createTestWorld();
  const served = await world.serve();
  const kiosk = new LoopbackClient(served.url);
  for (const torna of ["//evil.example", "https://evil.example/", "/\\evil.example"]) {
    const { res, body } = await kiosk.get(`/lingua/en?torna=${encodeURIComponent(torna)}`);
    assert.equal(res.status, 400, torna);
    assert.match(body, /indirizzo di questo sito/);
  }
  const { res } = await kiosk.get("/lingua/fr");
  assert.equal(res.status, 400);
});

Deno.test("the document viewer reads in English, its script's words included", async () => {
  await using docs = await createDocumentWorld();
  const served = await docs.world.serve();
  const kiosk = new LoopbackClient(served.url);
  await kiosk.get("/lingua/en");
  const { attachment: a } = docs;
  const { res, body } = await kiosk.get(documentUrl(a.kind, a.id, a.position));
  assert.equal(res.status, 200);
  // The document's own title is record data, in Italian.
  assertEnglish("viewer", body.replaceAll(escapeHtml(a.title), " "));
  assert.match(body, /data-words-page="Page \{n\} of \{pages\}"/);
  assert.match(body, /‹ Back to the act/);
  // A signed session: the signature panel too (signers and issuers are data).
  const signed = await kiosk.get(
    documentUrl(docs.session.kind, docs.session.id, docs.session.position),
  );
  assert.equal(signed.res.status, 200);
  assert.match(signed.body, /Digital signatures/);
  assertEnglish("signed document", signed.body.replaceAll(escapeHtml(docs.session.title), " "));
});

// The booking pages' own Italian words, beyond the kiosk's list above.
const ITALIAN_BOOKING = [
  "Prenota",
  "prenotazione",
  "Sposta",
  "Annulla",
  "scegli",
  "completo",
  "Servizio",
  "Quando",
  "Dove",
  "promemoria",
  "calendario",
  " ore ",
  "martedì",
  "marzo",
  "Scheda",
  "Stampata",
  "Diritti",
  "avviso",
  "sportello",
];

function assertEnglishBooking(label: string, html: string, data: string[] = []): void {
  let page = html;
  for (const d of data) page = page.replaceAll(escapeHtml(d), " ");
  assertEnglish(label, page);
  const text = visibleText(page);
  for (const word of ITALIAN_BOOKING) {
    const at = text.indexOf(word);
    assert.equal(at, -1, `${label}: Italian "${word}" in «${text.slice(at - 60, at + 60)}»`);
  }
}

Deno.test("booking, slip, manage page, print sheet and fee block read in English", async () => {
  const d = dossier({ id: "pe-ce-1987-452", number: "452", year: 1987 });
  await using world = await createTestWorld({ records: [d] });
  const serviceId = await seedBookingSetup(world.db, world.clock());
  await seedFeeTable(world.db, world.clock());
  const owing = await fileRequest(world.db, world.clock(), [{ kind: "dossier", id: d.id }]);
  const served = await world.serve();
  const kiosk = new LoopbackClient(served.url);
  await kiosk.get("/lingua/en");
  // What the branch configured and the record are data: Italian, as stored.
  const data = ["Consultazione pratica edilizia", "Sede centrale", "Municipio, piano terra"];

  // Monday 3 March 2025: Tuesday 4 March has morning slots.
  const startsAt = "2025-03-04T08:00:00.000Z";
  const steps: [string, string][] = [
    ["/prenota", "booking: service"],
    [`/prenota?servizio=${serviceId}`, "booking: day"],
    [`/prenota?servizio=${serviceId}&giorno=2025-03-04`, "booking: time"],
    [`/prenota/dati?servizio=${serviceId}&inizio=${encodeURIComponent(startsAt)}`, "booking: who"],
    ["/prenota/gestisci", "booking: find"],
  ];
  for (const [path, label] of steps) {
    const { res, body } = await kiosk.get(path);
    assert.equal(res.status, 200, `${label}: ${res.status}`);
    assertEnglishBooking(label, body, data);
  }
  const day = await kiosk.get(`/prenota?servizio=${serviceId}`);
  assert.match(day.body, /Tuesday,? 4 March 2025/);
  const time = await kiosk.get(`/prenota?servizio=${serviceId}&giorno=2025-03-04`);
  assert.match(time.body, />\s*at 09:00\s*</);

  // Refused: every message beside its field in English.
  await kiosk.get(`/prenota/dati?servizio=${serviceId}&inizio=${encodeURIComponent(startsAt)}`);
  const person = { servizio: serviceId, inizio: startsAt, sede: "", pratica: "" };
  const refused = await kiosk.post("/prenota/dati", {
    ...person,
    taxCode: "RSSMRA85T10A562X",
    name: "M",
    email: "mario@",
  });
  assert.equal(refused.res.status, 422);
  assertEnglishBooking("booking refused", refused.body, data);
  assert.match(refused.body, /Write your first name and surname/);
  assert.match(refused.body, /Invalid e-mail address/);
  assert.match(refused.body, /The last character does not match/);
  const badTime = await kiosk.post("/prenota/dati", { ...person, inizio: "domani" });
  assert.equal(badTime.res.status, 422);
  assertEnglish("booking bad time", badTime.body);
  assert.match(badTime.body, /Time: invalid time, choose one of those offered/);

  // Booked: the slip and its calendar file.
  const booked = await kiosk.post("/prenota/dati", { ...person, taxCode: CF, name: "Mario Rossi" });
  assert.equal(booked.res.status, 303);
  const slip = await kiosk.get("/prenota/ricevuta");
  assert.equal(slip.res.status, 200);
  assertEnglishBooking("slip", slip.body, data);
  assert.match(slip.body, /Booking confirmed/);
  assert.match(slip.body, /Tuesday,? 4 March 2025, at 09:00/);
  const code = /data-testid="booking-code">([^<]+)</.exec(slip.body)?.[1] ?? "";
  assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const ics = await kiosk.get("/prenota/ricevuta.ics");
  assert.equal(ics.res.status, 200);
  assert.match(ics.res.headers.get("content-disposition") ?? "", /filename="booking-/);
  assert.match(ics.body, /SUMMARY:Consultazione pratica edilizia \(booking /);
  assert.match(ics.body.replace(/\r\n /g, ""), /DESCRIPTION:Booking code: /);

  // Found again by code and tax code; a wrong pair refused in English.
  await kiosk.get("/prenota/gestisci");
  const found = await kiosk.post("/prenota/gestisci", { code, taxCode: CF });
  assert.equal(found.res.status, 200);
  assertEnglishBooking("manage", found.body, data);
  assert.match(found.body, /Cancel the booking/);
  const moveDay = await kiosk.post("/prenota/gestisci", {
    code,
    taxCode: CF,
    giorno: "2025-03-05",
  });
  assertEnglishBooking("manage: times", moveDay.body, data);
  const wrong = await kiosk.post("/prenota/gestisci", { code, taxCode: "BNCGLI80A41H501X" });
  assert.equal(wrong.res.status, 404);
  assertEnglishBooking("manage refused", wrong.body, data);
  const cancelled = await kiosk.post("/prenota/annulla", { code, taxCode: CF });
  assert.equal(cancelled.res.status, 200);
  assertEnglishBooking("cancelled", cancelled.body, data);
  assert.match(cancelled.body, /Booking cancelled\./);
  const gone = await kiosk.get("/prenota/ricevuta");
  assert.equal(gone.res.status, 404);
  assertEnglish("slip gone", gone.body);

  // The record page's print sheet.
  const record = await kiosk.get(`/pratiche/${d.id}`);
  assertEnglishBooking("dossier with print sheet", record.body, data);
  assert.match(record.body, /Record sheet: /);
  assert.match(record.body, /Printed on 3 March 2025/);
  assert.match(record.body, /Print the sheet/);
  assert.match(record.body, /Book an appointment to consult it/);

  // A request waiting for its fee: the amount and what comes next, in English.
  await kiosk.get("/richieste/stato");
  const status = await kiosk.post("/richieste/stato", { code: owing.receiptCode, taxCode: CF });
  assert.equal(status.res.status, 200);
  assert.match(status.body, /data-testid="fee-status"/);
  assertEnglishBooking("status with fee", status.body, data);
  assert.match(status.body, /Fees to pay \(<span lang="it">diritti<\/span>\): € 102,50/);
  assert.match(status.body, /The front desk examines the request after payment/);
});

Deno.test("the citizen's area reads in English, signed out and signed in", async () => {
  const d = dossier({ id: "pe-ce-1987-452", number: "452" });
  await using world = await createCitizenWorld({ records: [d] });
  const browser = new FetchBrowser();
  await browser.request(`${world.url}/lingua/en`);
  const signInPage = await browser.request(`${world.url}/area-personale`);
  assertEnglish("sign-in page", signInPage.text);
  assert.match(signInPage.text, /Sign in with SPID or CIE/);
  assert.equal((await signIn(browser, world, "mario")).status, 303);
  const area = await browser.request(`${world.url}/area-personale`);
  assert.equal(area.status, 200);
  assertEnglishBooking("my requests", area.text);
  assert.match(area.text, /No requests filed with your tax code/);
  const form = await browser.request(`${world.url}/area-personale/nuova?record=dossier:${d.id}`);
  assert.equal(form.status, 200);
  assertEnglishBooking("online request form", form.text);
  assert.match(form.text, /New access request \(<span lang="it">accesso agli atti<\/span>\)/);
});
