/**
 * Rate limits and sessions live in the DB: re-creating the app over the same DB file (a
 * kiosk restart) keeps a reached limit and a logged-in clerk; the limit's window still ends.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { type Config, loadConfig } from "../config.ts";
import { type OpenDb, openDb } from "../db/client.ts";
import { countKeys } from "../db/rate_limits.ts";
import { createRateLimiter } from "../middleware/rate_limit.ts";
import { buildRecordIndex, createRecordIndex } from "../search/record_index.ts";
import { tempDb } from "./_temp_db.ts";
import { addUser, TEST_PASSWORD, TestClient } from "./_access_client.ts";

const START = new Date("2025-03-03T09:00:00.000Z").getTime();

/** A kiosk that can be restarted over its DB file, with a clock the test moves. */
async function kiosk() {
  const dir = await Deno.makeTempDir({ prefix: "faldone-test-" });
  const config: Config = {
    ...loadConfig("branch", { db: `${dir}/faldone.db`, "no-demo": true }, () => undefined),
    hostname: "127.0.0.1",
    port: 0,
  };
  let now = START;
  let open: OpenDb | undefined;
  let app: Hono | undefined;
  const clock = () => new Date(now);
  const boot = async () => {
    open?.client.close();
    open = await openDb(config.dbPath);
    const index = createRecordIndex();
    await buildRecordIndex(open.db, index);
    app = createApp({ db: open.db, index, clock, config });
  };
  await boot();
  return {
    get db() {
      if (!open) throw new Error("not booted");
      return open.db;
    },
    /** Requests go to whichever app is running now. */
    fetch: (req: Request) => {
      if (!app) throw new Error("not booted");
      return app.fetch(req);
    },
    restart: boot,
    advance(seconds: number) {
      now += seconds * 1000;
    },
    clock,
    async [Symbol.asyncDispose]() {
      open?.client.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

// The TestClient drives an app; this one forwards to the kiosk's current app.
function client(k: { fetch: (req: Request) => Promise<Response> | Response }): TestClient {
  const facade = {
    request: (path: string, init?: RequestInit) =>
      k.fetch(new Request(new URL(path, "http://localhost"), init)),
  };
  return new TestClient(facade as unknown as Hono);
}

Deno.test("a login limit reached before a restart still refuses after it, until its window ends", async () => {
  await using k = await kiosk();
  await addUser(k.db, "anna", "clerk", k.clock());
  const attacker = client(k);
  await attacker.get("/login");
  for (let i = 0; i < 5; i++) {
    assert.equal(
      (await attacker.post("/login", { username: "anna", password: `x${i}` })).status,
      401,
    );
  }
  assert.equal((await attacker.post("/login", { username: "anna", password: "x" })).status, 429);

  await k.restart();
  const someone = client(k);
  await someone.get("/login");
  const refused = await someone.post("/login", { username: "anna", password: TEST_PASSWORD });
  assert.equal(refused.status, 429, "a restart must not hand out fresh attempts");
  assert.match(await refused.text(), /Troppi tentativi falliti: riprova tra \d+ minuti/);
  const wait = Number(refused.headers.get("retry-after"));
  assert.ok(wait > 0 && wait <= 15 * 60, `Retry-After ${wait}`);

  k.advance(wait);
  const ok = await someone.post("/login", { username: "anna", password: TEST_PASSWORD });
  assert.equal(ok.status, 303, "the window has ended: the right password gets in again");
});

Deno.test("a status-lookup limit survives a restart and reopens when its window ends", async () => {
  await using k = await kiosk();
  const citizen = client(k);
  await citizen.get("/richieste/stato");
  const lookup = () =>
    citizen.post("/richieste/stato", { code: "K2AA-AAAA", taxCode: "RSSMRA85T10A562S" });
  for (let i = 0; i < 20; i++) assert.notEqual((await lookup()).status, 429, `lookup ${i + 1}`);
  assert.equal((await lookup()).status, 429);

  await k.restart();
  await citizen.get("/richieste/stato");
  const refused = await lookup();
  assert.equal(refused.status, 429, "a restart must not reset the lookup limit");
  assert.match(await refused.text(), /Troppi tentativi: riprova tra \d+ minuti/);
  const wait = Number(refused.headers.get("retry-after"));
  assert.ok(wait > 0 && wait <= 10 * 60, `Retry-After ${wait}`);

  k.advance(wait - 1);
  assert.equal((await lookup()).status, 429, "one second early is still too early");
  k.advance(1);
  // Answered again: the made-up code gets its own message, not the limit.
  assert.equal((await lookup()).status, 422, "the window has ended: the lookup is answered");
});

Deno.test("a clerk's session stays valid when the kiosk restarts", async () => {
  await using k = await kiosk();
  await addUser(k.db, "anna", "clerk", k.clock());
  const clerk = client(k);
  assert.equal((await clerk.login("anna")).status, 303);
  assert.equal((await clerk.get("/sportello")).status, 200);

  await k.restart();
  k.advance(60);
  const desk = await clerk.get("/sportello");
  assert.equal(desk.status, 200, "still logged in after the restart");
  // The session's CSRF token is in the DB too: a form sent after the restart is accepted.
  assert.equal((await clerk.post("/logout", {})).status, 303);
  assert.equal((await clerk.get("/sportello")).status, 303, "logged out now");
});

Deno.test("a flood of distinct keys keeps the limit table bounded, and ended windows are purged", async () => {
  await using t = await tempDb();
  let now = START;
  const limiter = createRateLimiter(
    t.db,
    { bucket: "flood", limit: 3, windowSeconds: 60, maxKeys: 50 },
    () => new Date(now),
  );
  for (let i = 0; i < 300; i++) {
    await limiter.hit(`made-up-${i}`);
    now += 10;
  }
  assert.ok(await countKeys(t.db, "flood") <= 50, "never more keys than the cap");
  // The newest keys are the ones kept: a recent attacker is still counted.
  for (let i = 0; i < 3; i++) await limiter.hit("made-up-299");
  assert.equal((await limiter.hit("made-up-299")).allowed, false);
  // Keys are stored hashed, never as typed.
  const raw = await t.client.execute("SELECT key FROM rate_limits");
  assert.ok(raw.rows.every((r) => /^[0-9a-f]{64}$/.test(String(r.key))));

  now += 61_000;
  await limiter.hit("after-the-window");
  assert.equal(await countKeys(t.db, "flood"), 1, "ended windows are deleted");
});
