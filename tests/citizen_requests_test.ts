/**
 * Requests filed online by a signed-in citizen (the codice fiscale from the sign-in), with a
 * delegation or an ID document checked by its bytes, and what the desk sees of them.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { loadConfig } from "../config.ts";
import { accessRequests, auditLog, notices, requestAttachments } from "../db/schema.ts";
import { createTestWorld } from "./_world.ts";
import { addUser, TEST_PASSWORD } from "./_access_client.ts";
import {
  type CitizenWorld,
  createCitizenWorld,
  csrfOf,
  FetchBrowser,
  signIn,
} from "./_citizen_world.ts";
import { dossier } from "./fixtures.ts";

const MARIO = "RSSMRA85T10A562S";
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
const PNG = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0,
  0,
  0,
  13,
  73,
  72,
  68,
  82,
]);

async function signedIn(world: CitizenWorld, login = "mario") {
  const browser = new FetchBrowser();
  assert.equal((await signIn(browser, world, login)).status, 303);
  const form = await browser.request(
    `${world.url}/area-personale/nuova?record=dossier:pe-ce-1987-452`,
  );
  assert.equal(form.status, 200);
  return { browser, csrf: csrfOf(form.text), form };
}

function filing(csrf: string, fields: Record<string, string>, files: Record<string, File> = {}) {
  const body = new FormData();
  body.set("_csrf", csrf);
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const [k, f] of Object.entries(files)) body.set(k, f);
  return body;
}

const GOOD = {
  record: "dossier:pe-ce-1987-452",
  requesterName: "Mario Rossi",
  regime: "documentale",
  requesterTitle: "Tecnico incaricato con delega",
  motivation: "Verifica dello stato legittimo per la compravendita",
  mode: "copy",
  privacyAck: "1",
};

function world() {
  return createCitizenWorld({
    records: [dossier({ id: "pe-ce-1987-452", number: "452", year: 1987 })],
  });
}

Deno.test("a signed-in citizen files a request online with a delegation; it lists under their code and the desk downloads it, audited", async () => {
  await using w = await world();
  const { browser, csrf, form } = await signedIn(w);
  assert.match(form.text, /RSS•••••••••562S/);
  assert.doesNotMatch(form.text, /name="taxCode"/);
  const sent = await browser.request(`${w.url}/area-personale/nuova`, {
    method: "POST",
    // A taxCode field slipped into the form is not the one filed: the sign-in's is.
    body: filing(csrf, { ...GOOD, taxCode: "MLLSNT82P65Z404U" }, {
      delega: new File([PDF], "delega firmata.pdf", { type: "application/pdf" }),
      documento_identita: new File([PNG], "carta.png", { type: "image/png" }),
    }),
  });
  assert.equal(sent.status, 303, sent.text.slice(0, 400));
  const rows = await w.db.select().from(accessRequests);
  assert.equal(rows.length, 1);
  const row = rows[0];
  assert.ok(row);
  assert.equal(row.taxCode, MARIO);
  assert.equal(row.branch, "online");
  assert.equal(row.regime, "documentale");
  assert.equal(sent.location, `${w.url}/area-personale?presentata=${row.receiptCode}`);
  const list = await browser.request(sent.location ?? "");
  assert.match(list.text, /Richiesta presentata/);
  assert.match(list.text, new RegExp(row.receiptCode));
  assert.match(list.text, /CE 452\/1987/);
  assert.match(list.text, /Delega \(PDF/);
  assert.match(list.text, /Documento d(&#39;|')identità \(PNG/);
  const files = await w.db.select().from(requestAttachments).where(
    eq(requestAttachments.requestId, row.id),
  );
  assert.deepEqual(files.map((f) => [f.kind, f.mime, f.bytes]).sort(), [
    ["delega", "application/pdf", PDF.byteLength],
    ["documento_identita", "image/png", PNG.byteLength],
  ]);

  // The clerk at the archive's desk.
  await addUser(w.db, "anna", "clerk", w.clock());
  const clerk = new FetchBrowser();
  const login = await clerk.request(`${w.url}/login`);
  const logged = await clerk.postForm(`${w.url}/login`, {
    _csrf: csrfOf(login.text),
    username: "anna",
    password: TEST_PASSWORD,
  });
  assert.equal(logged.status, 303);
  const desk = await clerk.request(`${w.url}/sportello/richieste/${row.id}`);
  assert.equal(desk.status, 200);
  assert.match(desk.text, /Allegati/);
  const delega = files.find((f) => f.kind === "delega");
  assert.ok(delega);
  const href = `/sportello/richieste/${row.id}/allegati/${delega.id}`;
  assert.ok(desk.text.includes(`href="${href}"`));
  const res = await fetch(`${w.url}${href}`, {
    headers: { Cookie: [...clerk.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/pdf");
  assert.match(
    res.headers.get("content-disposition") ?? "",
    /^attachment; filename="delega\.pdf"$/,
  );
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PDF);
  const audit = await w.db.select().from(auditLog).where(eq(auditLog.action, "view_attachment"));
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.actor, "anna");
  assert.equal(audit[0]?.recordId, row.id);
  // The same file under another request's id, or without a clerk, is not served.
  assert.equal(
    (await clerk.request(`${w.url}/sportello/richieste/altra/allegati/${delega.id}`)).status,
    404,
  );
  const anonymous = await new FetchBrowser().request(`${w.url}${href}`);
  assert.equal(anonymous.status, 303);
  assert.match(anonymous.location ?? "", /\/login\?next=/);
  // Another citizen sees nothing of it.
  const giulia = new FetchBrowser();
  await signIn(giulia, w, "giulia");
  const hers = await giulia.request(`${w.url}/area-personale`);
  assert.match(hers.text, /Non risultano richieste/);
  assert.doesNotMatch(hers.text, new RegExp(row.receiptCode));
});

Deno.test("an attachment that is not a PDF, JPEG or PNG by its bytes, or too large, is refused and nothing is filed", async () => {
  await using w = await world();
  const { browser, csrf } = await signedIn(w);
  const post = (files: Record<string, File>, fields = GOOD, hx = true) =>
    browser.request(`${w.url}/area-personale/nuova`, {
      method: "POST",
      headers: hx ? { "HX-Request": "true" } : {},
      body: filing(csrf, fields, files),
    });
  const disguised = await post({
    delega: new File(["<html><script>alert(1)</script>"], "delega.pdf", {
      type: "application/pdf",
    }),
  });
  assert.equal(disguised.status, 422);
  assert.equal(disguised.headers.get("hx-retarget"), "#messages");
  assert.match(disguised.text, /non è un PDF, un JPEG o un PNG/);
  const big = new Uint8Array(5 * 1024 * 1024 + 1);
  big.set(PDF);
  const tooBig = await post({ delega: new File([big], "delega.pdf") });
  assert.equal(tooBig.status, 422);
  assert.match(tooBig.text, /supera 5 MB/);
  const empty = await post({ delega: new File([], "delega.pdf") });
  assert.equal(empty.status, 422);
  assert.match(empty.text, /vuoto/);
  // A form missing its regime and motivation: every message, nothing written.
  const incomplete = await post({ delega: new File([PDF], "d.pdf") }, {
    ...GOOD,
    regime: "",
    motivation: "",
  }, false);
  assert.equal(incomplete.status, 422);
  assert.match(incomplete.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(incomplete.text, /Scegli il tipo di accesso/);
  const huge = await post({
    delega: new File([new Uint8Array(6 * 1024 * 1024)], "a.pdf"),
    documento_identita: new File([new Uint8Array(6 * 1024 * 1024)], "b.pdf"),
  });
  assert.equal(huge.status, 413);
  assert.match(huge.text, /File troppo grandi/);
  assert.equal((await w.db.select().from(accessRequests)).length, 0);
  assert.equal((await w.db.select().from(requestAttachments)).length, 0);
});

Deno.test("filing online needs a signed-in citizen", async () => {
  await using w = await world();
  const browser = new FetchBrowser();
  const home = await browser.request(`${w.url}/area-personale`);
  assert.match(home.text, /Entra con SPID o CIE/);
  const form = await browser.request(`${w.url}/area-personale/nuova`);
  assert.equal(form.status, 303);
  const sent = await browser.request(`${w.url}/area-personale/nuova`, {
    method: "POST",
    body: filing(csrfOf(home.text), GOOD, { delega: new File([PDF], "d.pdf") }),
  });
  assert.equal(sent.status, 401);
  assert.equal((await w.db.select().from(accessRequests)).length, 0);
});

Deno.test("the citizen area exists only on an archive with a broker configured", async () => {
  await using branch = await createTestWorld();
  assert.equal((await branch.app.request("/area-personale")).status, 404);
  await using archive = await createTestWorld({ config: { role: "archive" } });
  assert.equal((await archive.app.request("/area-personale")).status, 404);
});

Deno.test("the sign-in settings are all or nothing, https only off loopback, archive only", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  const full = {
    FALDONE_OIDC_ISSUER: "https://id.comune.example.it/realms/cittadini",
    FALDONE_OIDC_CLIENT_ID: "faldone",
    FALDONE_OIDC_CLIENT_SECRET: "s3greto",
    FALDONE_PUBLIC_URL: "https://archivio.comune.example.it/",
  };
  const config = loadConfig("archive", {}, env(full));
  assert.equal(config.oidc?.issuer, full.FALDONE_OIDC_ISSUER);
  assert.equal(config.oidc?.scope, "openid profile");
  assert.equal(config.publicUrl, "https://archivio.comune.example.it");
  assert.equal(loadConfig("archive", {}, env({})).oidc, undefined);
  const { FALDONE_OIDC_CLIENT_SECRET: _, ...noSecret } = full;
  assert.throws(
    () => loadConfig("archive", {}, env(noSecret)),
    /mancano FALDONE_OIDC_CLIENT_SECRET/,
  );
  assert.throws(
    () =>
      loadConfig(
        "archive",
        {},
        env({ ...full, FALDONE_OIDC_ISSUER: "http://id.comune.example.it" }),
      ),
    /deve essere un indirizzo https:\/\//,
  );
  assert.throws(() => loadConfig("branch", {}, env(full)), /solo dell'archivio/);
  // Without sign-in the public URL only feeds the receipt's QR: a kiosk on a LAN keeps http.
  const lan = env({ FALDONE_PUBLIC_URL: "http://192.168.1.20:8000/" });
  assert.equal(loadConfig("branch", {}, lan).publicUrl, "http://192.168.1.20:8000");
  assert.throws(
    () => loadConfig("branch", {}, env({ FALDONE_PUBLIC_URL: "chiosco" })),
    /FALDONE_PUBLIC_URL deve essere un indirizzo http:\/\/ o https:\/\//,
  );
});

Deno.test("filed online with 'avvisami su App IO': the archive queues the notice to the sign-in's CF", async () => {
  await using w = await world();
  const { browser, csrf, form } = await signedIn(w);
  assert.match(form.text, /name="notifyAppIo"/);
  const sent = await browser.request(`${w.url}/area-personale/nuova`, {
    method: "POST",
    body: filing(csrf, {
      ...GOOD,
      email: "mario.rossi@example.it",
      notifyAppIo: "1",
      taxCode: "MLLSNT82P65Z404U",
    }, { delega: new File([PDF], "delega.pdf", { type: "application/pdf" }) }),
  });
  assert.equal(sent.status, 303, sent.text.slice(0, 400));
  const queued = await w.db.select().from(notices);
  assert.deepEqual(
    queued.map((n) => [n.kind, n.channel, n.recipient]).sort(),
    [
      ["request_received", "app_io", MARIO],
      ["request_received", "email", "mario.rossi@example.it"],
    ],
  );
});

Deno.test("filed online in English: the row says 'en' and the queued notices are in English", async () => {
  await using w = await world();
  const browser = new FetchBrowser();
  assert.equal((await signIn(browser, w, "mario")).status, 303);
  assert.equal((await browser.request(`${w.url}/lingua/en`)).status, 303);
  const form = await browser.request(`${w.url}/area-personale/nuova?record=dossier:pe-ce-1987-452`);
  assert.equal(form.status, 200);
  const sent = await browser.request(`${w.url}/area-personale/nuova`, {
    method: "POST",
    body: filing(csrfOf(form.text), {
      ...GOOD,
      email: "mario.rossi@example.it",
      notifyAppIo: "1",
    }, { delega: new File([PDF], "delega.pdf", { type: "application/pdf" }) }),
  });
  assert.equal(sent.status, 303, sent.text.slice(0, 400));
  const [row] = await w.db.select().from(accessRequests);
  assert.equal(row?.locale, "en");
  const queued = await w.db.select().from(notices);
  assert.equal(queued.length, 2);
  for (const n of queued) {
    assert.equal(n.subject, `Access request received (${row?.receiptCode})`);
    assert.match(n.body, /access request \(accesso agli atti\)/);
  }
});
