import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { createAccessRequest, listQueue } from "../db/access_requests.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";

const CF = "RSSMRA85T10A562S";

async function seedRequest(world: TestWorld, overrides: Record<string, string> = {}) {
  return await createAccessRequest(world.db, {
    regime: "documentale",
    requesterName: "Mario Rossi",
    taxCode: CF,
    motivation: "Compravendita",
    mode: "view",
    records: [],
    recordsDescription: "Licenza del 1965",
    ...overrides,
  }, {
    now: world.clock(),
    branch: "sede-K2",
    branchCode: "K2",
    outbox: true,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
}

const STAFF_GETS = [
  "/sportello",
  "/sportello/richieste/x",
  "/sportello/cerca",
  "/sportello/pratiche/dossier:x",
  "/audit",
  "/audit.csv",
  "/admin/utenti",
  "/admin/impostazioni",
  "/admin/sync",
];
const STAFF_POSTS = [
  "/sportello/richieste/x/azione",
  "/sportello/cerca",
  "/admin/utenti",
  "/admin/utenti/ruolo",
  "/admin/utenti/password",
  "/admin/sync/avvia",
  "/admin/utenti/stato",
  "/admin/impostazioni",
];
const ADMIN_ONLY = ["/admin/utenti", "/admin/impostazioni", "/admin/sync"];

Deno.test("every clerk and admin page sends a visitor without a session to the login", async () => {
  await using world = await createTestWorld();
  const anon = new TestClient(world.app);
  await anon.get("/login");
  for (const path of STAFF_GETS) {
    const res = await anon.get(path);
    assert.equal(res.status, 303, path);
    assert.match(res.headers.get("location") ?? "", /^\/login\?next=/, path);
  }
  for (const path of STAFF_POSTS) {
    const res = await anon.post(path, { action: "withdraw", username: "x" });
    assert.equal(res.status, 401, path);
  }
});

Deno.test("a clerk gets 403 on admin pages and can use the desk", async () => {
  await using world = await createTestWorld();
  await addUser(world.db, "anna", "clerk", world.clock());
  const clerk = new TestClient(world.app);
  assert.equal((await clerk.login("anna")).status, 303);
  for (const path of ADMIN_ONLY) {
    const res = await clerk.get(path);
    assert.equal(res.status, 403, path);
    assert.match(await res.text(), /riservata agli amministratori/);
  }
  const post = await clerk.post("/admin/utenti", {
    username: "intruso",
    role: "admin",
    password: "0123456789ab",
  });
  assert.equal(post.status, 403);
  assert.equal((await clerk.get("/sportello")).status, 200);
});

Deno.test("a form without or with a wrong CSRF token is refused with 403", async () => {
  await using world = await createTestWorld();
  await addUser(world.db, "anna", "clerk", world.clock());
  const req = await seedRequest(world);
  const clerk = new TestClient(world.app);
  await clerk.login("anna");
  const path = `/sportello/richieste/${req.id}/azione`;
  for (const csrf of [null, "sbagliato", ""]) {
    const res = await clerk.post(path, { action: "start_review" }, { csrf });
    assert.equal(res.status, 403, String(csrf));
    assert.match(await res.text(), /ricarica la pagina/);
  }
  assert.equal((await listQueue(world.db, {}))[0]?.state, "received");
  // The kiosk's anonymous forms are protected the same way.
  const kiosk = new TestClient(world.app);
  await kiosk.get("/richieste/stato");
  const res = await kiosk.post("/richieste/stato", { code: "K2AB-CD7E", taxCode: CF }, {
    csrf: null,
  });
  assert.equal(res.status, 403);
  // htmx may send the token as a header instead.
  await clerk.get(`/sportello/richieste/${req.id}`);
  const ok = await clerk.post(path, { action: "start_review" }, {
    csrf: null,
    headers: { "X-CSRF-Token": clerk.csrf },
  });
  assert.equal(ok.status, 303);
});

Deno.test("pages carry the strict CSP, nosniff and no-referrer headers", async () => {
  await using world = await createTestWorld();
  for (const path of ["/", "/richieste/stato", "/login", "/registro-accessi"]) {
    const res = await world.app.request(path);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'self'/, path);
    assert.match(csp, /script-src 'self'(;|$)/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    assert.doesNotMatch(
      await res.text(),
      /<script>|<script [^>]*>[^<]+<\/script>/,
      `inline script on ${path}`,
    );
  }
});

Deno.test("an oversized body gets 413 with an Italian message", async () => {
  await using world = await createTestWorld();
  const kiosk = new TestClient(world.app);
  await kiosk.get("/richieste/nuova");
  const res = await kiosk.post("/richieste/nuova", { motivation: "x".repeat(200_000) });
  assert.equal(res.status, 413);
  assert.match(await res.text(), /troppo grandi/);
});

Deno.test("path traversal on static files finds nothing", async () => {
  await using world = await createTestWorld();
  for (
    const path of [
      "/static/../deno.json",
      "/static/v1/../../deno.json",
      "/static/%2e%2e/deno.json",
      "/static/%2e%2e%2fdeno.json",
      "/static/x/..%2f..%2fdb%2fschema.ts",
    ]
  ) {
    const res = await world.app.request(path);
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(await res.text(), /nodeModulesDir|sqliteTable/, path);
  }
});

Deno.test("login guessing is cut off with 429 after five failures", async () => {
  await using world = await createTestWorld();
  await addUser(world.db, "anna", "clerk", world.clock());
  const attacker = new TestClient(world.app);
  await attacker.get("/login");
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    statuses.push(
      (await attacker.post("/login", { username: "anna", password: `guess-${i}` })).status,
    );
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
  // Even the right password waits now.
  const res = await attacker.post("/login", { username: "anna", password: "password di prova 1" });
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get("retry-after")) > 0);
});

Deno.test("receipt codes cannot be enumerated: lookups are limited per client", async () => {
  await using world = await createTestWorld();
  const kiosk = new TestClient(world.app);
  await kiosk.get("/richieste/stato");
  const statuses = new Set<number>();
  let first429 = 0;
  for (let i = 0; i < 25; i++) {
    const code = `K2${"ABCDEFGHJKLMNPQRSTUVWXYZ"[i] ?? "A"}A-AAAA`;
    const res = await kiosk.post("/richieste/stato", { code, taxCode: CF });
    statuses.add(res.status);
    if (res.status === 429 && !first429) first429 = i + 1;
  }
  assert.equal(first429, 21, "the 21st lookup in ten minutes is refused");
  assert.ok(statuses.has(429));
});

Deno.test("one receipt code is locked after five lookups even from many clients", async () => {
  await using world = await createTestWorld();
  const req = await seedRequest(world);
  const results: number[] = [];
  for (let i = 0; i < 7; i++) {
    // A fresh client each time: the per-code limit still holds.
    const kiosk = new TestClient(world.app);
    await kiosk.get("/richieste/stato");
    results.push(
      (await kiosk.post("/richieste/stato", {
        code: req.receiptCode,
        taxCode: "MRTMTT91D08F205J",
      })).status,
    );
  }
  assert.deepEqual(results, [404, 404, 404, 404, 404, 429, 429]);
});

const XSS = [
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(1)>`,
  `'><svg onload=alert(1)>`,
  `javascript:alert(1)`,
];

Deno.test("XSS payloads in every request field come back escaped, at the kiosk and the desk", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  await addUser(world.db, "anna", "clerk", world.clock());
  const kiosk = new TestClient(world.app);
  const clerk = new TestClient(world.app);
  await clerk.login("anna");
  for (const payload of XSS) {
    await kiosk.get("/richieste/nuova");
    const fields = {
      record: `dossier:${d.id}`,
      requesterName: `Mario ${payload}`,
      taxCode: CF,
      email: "",
      phone: "",
      regime: "documentale",
      motivation: `Motivo ${payload}`,
      recordsDescription: `Altro ${payload}`,
      mode: "view",
      privacyAck: "1",
      confirm: "1",
    };
    // A refused form echoes every value back…
    const bad = await kiosk.post("/richieste/nuova", { ...fields, taxCode: payload });
    assert.equal(bad.status, 422);
    const echoed = await bad.text();
    // Markup must come back as text; a bare `javascript:` string in a value is just text.
    if (/[<"']/.test(payload)) assert.ok(!echoed.includes(payload), `echoed raw: ${payload}`);
    assert.doesNotMatch(echoed, /<script>alert|<img src=x|<svg onload/);
    // The summary before confirming repeats them too.
    const summary = await kiosk.post("/richieste/nuova", { ...fields, confirm: "" });
    assert.equal(summary.status, 200);
    assert.doesNotMatch(await summary.text(), /<script>alert|<img src=x|<svg onload/);
    // …and an accepted one shows them to the clerk.
    assert.equal((await kiosk.post("/richieste/nuova", fields)).status, 303);
  }
  const rows = await listQueue(world.db, {});
  assert.equal(rows.length, XSS.length);
  for (const row of rows) {
    const res = await clerk.get(`/sportello/richieste/${row.id}`);
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.doesNotMatch(page, /<script>alert|<img src=x|<svg onload/);
    if (row.requesterName.includes("<")) assert.match(page, /Mario (&quot;|&#39;)?(&gt;)?&lt;/);
  }
  const search = await kiosk.get(`/cerca?q=${encodeURIComponent(XSS[1] ?? "")}`);
  assert.ok(search.status < 500);
  assert.doesNotMatch(await search.text(), /<img src=x/);
  const login = await kiosk.post("/login", { username: XSS[0] ?? "", password: "x" });
  assert.doesNotMatch(await login.text(), /<script>alert/);
});

Deno.test("SQL-injection strings are stored and looked up as plain text", async () => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  const kiosk = new TestClient(world.app);
  const sqli = "Rossi'); DROP TABLE access_requests; --";
  await kiosk.get("/richieste/nuova");
  const res = await kiosk.post("/richieste/nuova", {
    record: `dossier:${d.id}`,
    requesterName: sqli,
    taxCode: CF,
    regime: "civico_generalizzato",
    recordsDescription: "' OR '1'='1",
    mode: "view",
    privacyAck: "1",
    confirm: "1",
  });
  assert.equal(res.status, 303);
  const rows = await listQueue(world.db, {});
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.requesterName, sqli);
  const status = await kiosk.post("/richieste/stato", { code: "' OR 1=1 --", taxCode: CF });
  assert.equal(status.status, 422);
  const search = await kiosk.get(`/cerca?q=${encodeURIComponent("' OR 1=1 --")}`);
  assert.ok(search.status < 500);
  const login = await kiosk.post("/login", { username: "' OR '1'='1", password: "' OR '1'='1" });
  assert.equal(login.status, 401);
  assert.equal((await listQueue(world.db, {})).length, 1);
});
