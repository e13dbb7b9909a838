/**
 * Citizen sign-in on the archive against a real OpenID provider on loopback (npm
 * oidc-provider): the full authorization code flow over real HTTP, then "Le mie richieste".
 */
import assert from "node:assert/strict";
import { createAccessRequest } from "../db/access_requests.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import { citizenLogins, citizenSessions } from "../db/schema.ts";
import { createTestWorld } from "./_world.ts";
import { TestClient } from "./_access_client.ts";
import { type CitizenWorld, createCitizenWorld, FetchBrowser, signIn } from "./_citizen_world.ts";

const MARIO = "RSSMRA85T10A562S";
const GIULIA = "MLLSNT82P65Z404U";

async function fileAtKiosk(world: CitizenWorld, taxCode: string, name: string) {
  return await createAccessRequest(world.db, {
    regime: "civico_generalizzato",
    requesterName: name,
    taxCode,
    mode: "view",
    recordsDescription: `Pratiche di ${name}`,
    records: [],
  }, {
    now: world.clock(),
    branch: "sede-K2",
    branchCode: "K2",
    outbox: false,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
}

Deno.test("a citizen signs in through the broker and sees only the requests filed with their codice fiscale", async () => {
  await using world = await createCitizenWorld();
  const mine = await fileAtKiosk(world, MARIO, "Mario Rossi");
  const theirs = await fileAtKiosk(world, GIULIA, "Giulia Mollo");
  const browser = new FetchBrowser();
  const back = await signIn(browser, world, "mario");
  assert.equal(back.status, 303);
  assert.equal(back.location, `${world.url}/area-personale`);
  const page = await browser.request(back.location);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(page.text, /Le mie richieste/);
  assert.match(page.text, new RegExp(mine.receiptCode));
  assert.match(page.text, /Ricevuta/);
  assert.match(page.text, /2 aprile 2025/);
  assert.doesNotMatch(page.text, new RegExp(theirs.receiptCode));
  assert.doesNotMatch(page.text, /Giulia/);
  // The session cookie: httpOnly, Lax (it must survive the broker's redirect), only its hash stored.
  const line = browser.setCookies.find((l) =>
    l.startsWith("faldone_cittadino=") && !/Max-Age=0/i.test(l)
  );
  assert.ok(line);
  assert.match(line, /HttpOnly/);
  assert.match(line, /SameSite=Lax/);
  const token = browser.cookies.get("faldone_cittadino") ?? "";
  const stored = await world.db.select().from(citizenSessions);
  assert.equal(stored.length, 1);
  assert.notEqual(stored[0]?.tokenHash, token);
  assert.equal(stored[0]?.taxCode, MARIO);
});

Deno.test("a broker that does not answer gives a 502 page in Italian, and the archive still serves", async () => {
  await using world = await createTestWorld({
    config: {
      role: "archive",
      // Port 9 (discard) on loopback: nothing listens there.
      oidc: { issuer: "http://127.0.0.1:9", clientId: "x", clientSecret: "y", scope: "openid" },
      publicUrl: "http://127.0.0.1:8100",
    },
  });
  const client = new TestClient(world.app);
  const home = await client.get("/area-personale");
  assert.equal(home.status, 200);
  const res = await client.post("/area-personale/accedi", {});
  assert.equal(res.status, 502);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(await res.text(), /Il servizio di accesso con SPID o CIE non risponde/);
  assert.equal((await world.db.select().from(citizenLogins)).length, 0);
  assert.equal((await client.get("/")).status, 200);
});

Deno.test("sessions past their idle time are gone at the next visit and swept at the next sign-in", async () => {
  await using world = await createCitizenWorld();
  const idle = new FetchBrowser();
  await signIn(idle, world, "mario");
  world.advance(20 * 60 + 1);
  const page = await idle.request(`${world.url}/area-personale`);
  assert.match(page.text, /Entra con SPID o CIE/);
  const stale = new FetchBrowser();
  await signIn(stale, world, "giulia");
  world.advance(20 * 60 + 1);
  await signIn(new FetchBrowser(), world, "mario");
  assert.equal((await world.db.select().from(citizenSessions)).length, 1);
});
