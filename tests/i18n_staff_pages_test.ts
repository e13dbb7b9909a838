/**
 * The staff pages, fetched over HTTP on loopback by a clerk and by an admin who chose English
 * at the switch, are in English: `<html lang="en">`, no catalogue key printed instead of its
 * text, and none of the staff area's Italian UI words outside record data (names, codes) and
 * the parts marked lang="it". The audit CSV names actions in the reader's language.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";
import { addUser, TEST_PASSWORD } from "./_access_client.ts";
import { createAccessRequest } from "../db/access_requests.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import { it } from "../i18n/it.ts";

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

  async post(path: string, fields: Record<string, string>) {
    const res = await fetch(`${this.base}${path}`, {
      method: "POST",
      headers: { ...this.cookie(), "Content-Type": "application/x-www-form-urlencoded" },
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
];

// Record data of the world: the requester, the fixtures' subject, the Comune's own words.
const DATA = [/Lucia Verdi/g, /Licenza del 1965/g, /AMPLIAMENTO FABBRICATO DI CIVILE ABITAZIONE/g];

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

async function signIn(base: string, username: string): Promise<LoopbackClient> {
  const client = new LoopbackClient(base);
  await client.get("/lingua/en?torna=%2Flogin");
  const login = await client.get("/login");
  assertEnglish("login", login.body);
  const res = await client.post("/login", { username, password: TEST_PASSWORD });
  assert.equal(res.res.status, 303, `${username} signs in`);
  return client;
}

/** Pages every clerk sees (the admin too). */
const CLERK_PAGES = [
  "/sportello",
  "/sportello/cerca",
  "/sportello/agenda",
  "/sportello?state=all&regime=documentale",
  "/audit",
];
/** Pages only an admin sees. */
const ADMIN_PAGES = ["/admin/utenti", "/admin/impostazioni"];

Deno.test("the staff pages read in English for a clerk and an admin who switched", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
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
  for (const path of CLERK_PAGES) {
    const { res, body } = await clerk.get(path);
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    assertEnglish(`clerk ${path}`, body);
  }
  const queue = (await clerk.get("/sportello?state=all")).body;
  assert.match(queue, /Overdue by \d+ days/);
  assert.match(queue, /Documentary/);

  const admin = await signIn(served.url, "capo");
  for (const path of [...CLERK_PAGES, ...ADMIN_PAGES]) {
    const { res, body } = await admin.get(path);
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    assertEnglish(`admin ${path}`, body);
  }
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
