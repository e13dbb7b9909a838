/**
 * Citizen sign-in under attack, against the real OpenID provider on loopback: replayed and
 * bent callbacks, a nonce the archive never sent, session fixation, a codice fiscale that
 * fails its check, and error pages that give nothing away.
 */
import assert from "node:assert/strict";
import { citizenLogins, citizenSessions } from "../db/schema.ts";
import {
  type CitizenWorld,
  createCitizenWorld,
  FetchBrowser,
  type Page,
  signIn,
  signInAtBroker,
} from "./_citizen_world.ts";
import { TEST_CLIENT_SECRET } from "./_oidc_provider.ts";

const LIST = "Le mie richieste";

/** A refusal: 4xx, an Italian page, no session, nothing of the exchange echoed back. */
function assertRefused(page: Page, status: number, message: RegExp, secrets: string[]) {
  assert.equal(page.status, status, page.text.slice(0, 500));
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(page.text, message);
  assert.doesNotMatch(page.text, new RegExp(LIST));
  for (const s of [...secrets, TEST_CLIENT_SECRET, "TINIT", "invalid_grant", "    at "]) {
    if (s) assert.ok(!page.text.includes(s), `the error page shows "${s}"`);
  }
  assert.ok(
    !page.headers.getSetCookie().some((l) =>
      /^faldone_cittadino=[^;]+/.test(l) && !/Max-Age=0/i.test(l)
    ),
    "a refused sign-in set a session cookie",
  );
}

function paramsOf(url: string): string[] {
  const u = new URL(url);
  return [u.searchParams.get("code") ?? "", u.searchParams.get("state") ?? ""];
}

async function sessionCount(world: CitizenWorld): Promise<number> {
  return (await world.db.select().from(citizenSessions)).length;
}

Deno.test("a replayed callback is refused, with the same pending cookie or a new sign-in's", async () => {
  await using world = await createCitizenWorld();
  const browser = new FetchBrowser();
  const callback = await signInAtBroker(browser, world, "mario");
  const pendingCookie = browser.cookies.get("faldone_accesso") ?? "";
  assert.ok(pendingCookie);
  const first = await browser.request(callback);
  assert.equal(first.status, 303);
  // The attacker has the whole first request: URL and pending cookie.
  const attacker = new FetchBrowser();
  attacker.cookies.set("faldone_accesso", pendingCookie);
  assertRefused(
    await attacker.request(callback),
    400,
    /Accesso non riuscito o scaduto/,
    paramsOf(callback),
  );
  // With a pending sign-in of its own, the old code and state still do not pass.
  const other = new FetchBrowser();
  await signInAtBroker(other, world, "giulia");
  assertRefused(await other.request(callback), 400, /Accesso non riuscito/, paramsOf(callback));
  assert.equal(await sessionCount(world), 1);
});

Deno.test("a callback with its state missing or changed is refused, and the pending sign-in is spent", async () => {
  await using world = await createCitizenWorld();
  for (
    const bend of [
      (u: URL) => u.searchParams.delete("state"),
      (u: URL) => u.searchParams.set("state", "stato-inventato"),
    ]
  ) {
    const browser = new FetchBrowser();
    const callback = new URL(await signInAtBroker(browser, world, "mario"));
    const original = callback.href;
    bend(callback);
    assertRefused(
      await browser.request(callback.href),
      400,
      /Accesso non riuscito/,
      paramsOf(original),
    );
    // The genuine callback after a bent one finds nothing pending either.
    assertRefused(await browser.request(original), 400, /Accesso non riuscito/, paramsOf(original));
  }
  assert.equal(await sessionCount(world), 0);
  assert.equal((await world.db.select().from(citizenLogins)).length, 0);
});

Deno.test("a callback without the pending cookie is refused", async () => {
  await using world = await createCitizenWorld();
  const browser = new FetchBrowser();
  const callback = await signInAtBroker(browser, world, "mario");
  browser.cookies.delete("faldone_accesso");
  assertRefused(await browser.request(callback), 400, /Accesso non riuscito/, paramsOf(callback));
});

Deno.test("an ID token carrying a nonce the archive did not send, or none, is refused", async () => {
  await using world = await createCitizenWorld();
  // The authorization request is bent on its way to the provider, which then signs an ID
  // token with the attacker's nonce (or without one): the archive expects its own.
  const bends = [
    (u: URL) => u.searchParams.set("nonce", "nonce-di-un-altro-accesso"),
    (u: URL) => u.searchParams.delete("nonce"),
  ];
  for (const tamper of bends) {
    const browser = new FetchBrowser();
    const callback = await signInAtBroker(browser, world, "mario", { tamper });
    assertRefused(await browser.request(callback), 400, /Accesso non riuscito/, paramsOf(callback));
  }
  assert.equal(await sessionCount(world), 0);
});

Deno.test("a pending sign-in older than 10 minutes is refused", async () => {
  await using world = await createCitizenWorld();
  const browser = new FetchBrowser();
  const callback = await signInAtBroker(browser, world, "mario");
  world.advance(10 * 60 + 1);
  assertRefused(
    await browser.request(callback),
    400,
    /Accesso non riuscito o scaduto/,
    paramsOf(callback),
  );
});

Deno.test("a session cookie set before sign-in is not the one after, and a second sign-in ends the first session", async () => {
  await using world = await createCitizenWorld();
  const browser = new FetchBrowser();
  // Planted by an attacker (a shared kiosk, a sibling subdomain).
  browser.cookies.set("faldone_cittadino", "valore-scelto-da-chi-attacca");
  browser.cookies.set("faldone_csrf", "csrf-scelto-da-chi-attacca");
  const back = await signIn(browser, world, "mario");
  assert.equal(back.status, 303);
  const first = browser.cookies.get("faldone_cittadino") ?? "";
  assert.ok(first && first !== "valore-scelto-da-chi-attacca");
  assert.notEqual(browser.cookies.get("faldone_csrf"), "csrf-scelto-da-chi-attacca");
  const planted = new FetchBrowser();
  planted.cookies.set("faldone_cittadino", "valore-scelto-da-chi-attacca");
  assert.doesNotMatch(
    (await planted.request(`${world.url}/area-personale`)).text,
    new RegExp(LIST),
  );
  assert.match((await browser.request(`${world.url}/area-personale`)).text, new RegExp(LIST));
  // Signing in again in the same browser: a new id, the old one dead.
  assert.equal((await signIn(browser, world, "mario")).status, 303);
  const second = browser.cookies.get("faldone_cittadino") ?? "";
  assert.notEqual(second, first);
  const stale = new FetchBrowser();
  stale.cookies.set("faldone_cittadino", first);
  assert.doesNotMatch((await stale.request(`${world.url}/area-personale`)).text, new RegExp(LIST));
  assert.equal(await sessionCount(world), 1);
});

Deno.test("a fiscal_number that fails the codice fiscale check, or is missing, is refused with an Italian message", async () => {
  await using world = await createCitizenWorld();
  const bad = new FetchBrowser();
  const callback = await signInAtBroker(bad, world, "sbagliato");
  assertRefused(
    await bad.request(callback),
    403,
    /Il codice fiscale comunicato dal gestore dell(&#39;|')identità non supera il controllo/,
    [...paramsOf(callback), "RSSMRA85T10A562A"],
  );
  const none = new FetchBrowser();
  const noCf = await signInAtBroker(none, world, "senzacf");
  assertRefused(
    await none.request(noCf),
    403,
    /non ha comunicato il tuo codice fiscale/,
    paramsOf(noCf),
  );
  assert.equal(await sessionCount(world), 0);
});

Deno.test("a broker's error answer is shown as a plain Italian message, its text never echoed", async () => {
  await using world = await createCitizenWorld();
  const browser = new FetchBrowser();
  const home = await browser.request(`${world.url}/area-personale`);
  const start = await browser.postForm(`${world.url}/area-personale/accedi`, {
    _csrf: /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? "",
  });
  const state = new URL(start.location ?? "").searchParams.get("state") ?? "";
  const description = "<script>alert('dettagli-interni-del-broker')</script>";
  const url = new URL(`${world.url}/area-personale/ritorno`);
  url.searchParams.set("error", "access_denied");
  url.searchParams.set("error_description", description);
  url.searchParams.set("state", state);
  url.searchParams.set("iss", world.issuer);
  const page = await browser.request(url.href);
  assertRefused(page, 400, /Accesso annullato/, [
    state,
    "dettagli-interni-del-broker",
    "<script>alert",
  ]);
});

Deno.test("signing out ends the session on the server", async () => {
  await using world = await createCitizenWorld();
  const browser = new FetchBrowser();
  await signIn(browser, world, "mario");
  const token = browser.cookies.get("faldone_cittadino") ?? "";
  const list = await browser.request(`${world.url}/area-personale`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)?.[1] ?? "";
  const out = await browser.postForm(`${world.url}/area-personale/esci`, { _csrf: csrf });
  assert.equal(out.status, 303);
  assert.equal(browser.cookies.has("faldone_cittadino"), false);
  const replay = new FetchBrowser();
  replay.cookies.set("faldone_cittadino", token);
  const page = await replay.request(`${world.url}/area-personale`);
  assert.match(page.text, /Entra con SPID o CIE/);
  assert.equal(await sessionCount(world), 0);
});

Deno.test("sign-out and sign-in start refuse a request without the CSRF token", async () => {
  await using world = await createCitizenWorld();
  const browser = new FetchBrowser();
  await browser.request(`${world.url}/area-personale`);
  const start = await browser.postForm(`${world.url}/area-personale/accedi`, {});
  assert.equal(start.status, 403);
  assert.equal((await world.db.select().from(citizenLogins)).length, 0);
});
