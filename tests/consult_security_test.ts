/**
 * What a consultation refuses (issue 11, "Security (tests)"): another CF, another request's
 * documents, an expired or revoked grant (this node's clock), a guessed hash or position, a
 * page or a Range beyond the document, no cookie, a forged cookie, a wiped kiosk. Each is the
 * same 404 with the same neutral message and nothing of the document in it; the public side
 * still shows no personal data.
 */
import assert from "node:assert/strict";
import { CONSULT_NOT_FOUND } from "../routes/_consult.ts";
import { FetchBrowser } from "./_citizen_world.ts";
import {
  docUrl,
  HOLDER_CF,
  kioskWorld,
  openAtKiosk,
  OTHER_CF,
  revokeMain,
} from "./_consult_world.ts";

function assertRefused(page: { status: number; text: string }, what: string) {
  assert.equal(page.status, 404, `${what}: 404`);
  assert.ok(page.text.includes(CONSULT_NOT_FOUND), `${what}: the neutral message`);
  for (const leak of ["Tavola", "Fotografia", "Relazione", HOLDER_CF, OTHER_CF, "pagine"]) {
    assert.ok(!page.text.includes(leak), `${what}: nothing of "${leak}"`);
  }
}

Deno.test("without a cookie, or with a forged one, nothing is served", async () => {
  await using w = await kioskWorld();
  const stranger = new FetchBrowser();
  for (const suffix of ["", "/pagine/1", "/copia"]) {
    assertRefused(
      await stranger.request(`${docUrl(w.url, w.fx, 1)}${suffix}`),
      `no cookie ${suffix}`,
    );
  }
  const list = await stranger.request(`${w.url}/consultazione/documenti`);
  assert.equal(list.status, 303);
  assert.equal(list.location, `${w.url}/consultazione`);
  // The holder's real cookie, its request id swapped or its signature guessed: refused.
  const holder = new FetchBrowser();
  await openAtKiosk(holder, w.url, w.fx.request.receiptCode);
  const real = holder.cookies.get("faldone_consult") ?? "";
  const [, expires, mac] = real.split(".");
  const forgeries = [
    `${w.fx.otherRequest.id}.${expires}.${mac}`,
    `${w.fx.request.id}.${Number(expires) + 3_600_000}.${mac}`,
    `${w.fx.request.id}.${expires}.${"A".repeat(mac?.length ?? 43)}`,
    w.fx.request.id,
    `${w.fx.request.id}.${expires}`,
  ];
  for (const forged of forgeries) {
    const b = new FetchBrowser();
    b.cookies.set("faldone_consult", forged);
    assertRefused(await b.request(`${docUrl(w.url, w.fx, 1)}/pagine/1`), `forged ${forged}`);
  }
  assert.equal((await holder.request(`${docUrl(w.url, w.fx, 1)}/pagine/1`)).status, 200);
});

Deno.test("a wrong codice fiscale gets the same answer as a wrong code", async () => {
  await using w = await kioskWorld();
  const wrongCf = await openAtKiosk(new FetchBrowser(), w.url, w.fx.request.receiptCode, OTHER_CF);
  const wrongCode = await openAtKiosk(
    new FetchBrowser(),
    w.url,
    w.fx.otherRequest.receiptCode,
    HOLDER_CF,
  );
  assert.equal(wrongCf.status, 404);
  assert.equal(wrongCode.status, 404);
  const message = /Nessuna richiesta con questo codice e questo codice fiscale/;
  assert.match(wrongCf.text, message);
  assert.match(wrongCode.text, message);
  assert.ok(!wrongCf.text.includes(OTHER_CF), "the CF typed is not sent back");
});

Deno.test("another request's documents, ungranted or guessed positions, bad kinds: the same 404", async () => {
  await using w = await kioskWorld();
  const b = new FetchBrowser();
  await openAtKiosk(b, w.url, w.fx.request.receiptCode);
  const base = `${w.url}/consultazione/documenti`;
  const cases: [string, string][] = [
    ["another request's dossier", `${base}/pratica/${w.fx.otherDossierId}/1`],
    ["another request's page", `${base}/pratica/${w.fx.otherDossierId}/1/pagine/1`],
    ["a document of the dossier not granted", `${base}/pratica/${w.fx.dossierId}/4`],
    ["its page", `${base}/pratica/${w.fx.dossierId}/4/pagine/1`],
    ["a position that does not exist", `${base}/pratica/${w.fx.dossierId}/9`],
    ["a guessed file hash as position", `${base}/pratica/${w.fx.dossierId}/${w.fx.shas[3]}`],
    ["a guessed hash as record", `${base}/pratica/${w.fx.shas[0]}/1`],
    ["an act kind", `${base}/atto/${w.fx.dossierId}/1`],
    ["an unknown kind", `${base}/file/${w.fx.dossierId}/1`],
    ["page 0", `${docUrl(w.url, w.fx, 1)}/pagine/0`],
  ];
  for (const [what, url] of cases) assertRefused(await b.request(url), what);
});

Deno.test("a page beyond the count is refused, with or without a Range header", async () => {
  await using w = await kioskWorld();
  const b = new FetchBrowser();
  await openAtKiosk(b, w.url, w.fx.request.receiptCode);
  assertRefused(await b.request(`${docUrl(w.url, w.fx, 1)}/pagine/4`), "page 4 of 3");
  assertRefused(
    await b.request(`${docUrl(w.url, w.fx, 1)}/pagine/4`, { headers: { Range: "bytes=0-1023" } }),
    "page 4 with a Range",
  );
  assertRefused(
    await b.request(`${docUrl(w.url, w.fx, 2)}/pagine/2`, { headers: { Range: "bytes=0-" } }),
    "page 2 of an image",
  );
  // A Range inside a page that exists is a part of that stamped page; past its end, a 416.
  const part = await b.request(`${docUrl(w.url, w.fx, 1)}/pagine/1`, {
    headers: { Range: "bytes=0-99" },
  });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("cache-control"), "private, no-store");
  const past = await b.request(`${docUrl(w.url, w.fx, 1)}/pagine/1`, {
    headers: { Range: "bytes=99999999-" },
  });
  assert.equal(past.status, 416);
});

Deno.test("an expired grant (the node's clock) and a revoked one are refused, and the list says why", async () => {
  await using w = await kioskWorld();
  const b = new FetchBrowser();
  await openAtKiosk(b, w.url, w.fx.request.receiptCode);
  assert.equal((await b.request(`${docUrl(w.url, w.fx, 1)}/pagine/1`)).status, 200);
  // valid until 2025-06-30: the world's clock moves to 2025-07-01, the cookie is re-made.
  w.advanceDays(120);
  const later = new FetchBrowser();
  await openAtKiosk(later, w.url, w.fx.request.receiptCode);
  assertRefused(await later.request(docUrl(w.url, w.fx, 1)), "expired viewer");
  assertRefused(await later.request(`${docUrl(w.url, w.fx, 1)}/pagine/1`), "expired page");
  const list = await later.request(`${w.url}/consultazione/documenti`);
  assert.match(list.text, /scaduta/);

  await using r = await kioskWorld();
  const holder = new FetchBrowser();
  await openAtKiosk(holder, r.url, r.fx.request.receiptCode);
  assert.equal((await holder.request(`${docUrl(r.url, r.fx, 1)}/pagine/2`)).status, 200);
  await revokeMain(
    { ...r.world, branch: r.world.config.branchName, outbox: true, store: r.store },
    r.fx,
  );
  assertRefused(await holder.request(`${docUrl(r.url, r.fx, 1)}/pagine/2`), "revoked page");
  assertRefused(await holder.request(docUrl(r.url, r.fx, 1)), "revoked viewer");
  const revoked = await holder.request(`${r.url}/consultazione/documenti`);
  assert.match(revoked.text, /revocata/);
});

Deno.test('the kiosk wipe (/richieste/azzera) and "Fine consultazione" end the consultation', async () => {
  await using w = await kioskWorld();
  const b = new FetchBrowser();
  await openAtKiosk(b, w.url, w.fx.request.receiptCode);
  const copied = b.cookies.get("faldone_consult");
  await b.request(`${w.url}/richieste/azzera`);
  assert.equal(b.cookies.get("faldone_consult"), undefined);
  assert.ok(b.setCookies.some((l) => /^faldone_consult=;.*Max-Age=0/i.test(l)));
  assertRefused(await b.request(`${docUrl(w.url, w.fx, 1)}/pagine/1`), "after the wipe");
  assert.ok(copied);

  const c = new FetchBrowser();
  const opened = await openAtKiosk(c, w.url, w.fx.request.receiptCode);
  assert.equal(opened.status, 303);
  const list = await c.request(`${w.url}/consultazione/documenti`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)?.[1] ?? "";
  const end = await c.postForm(`${w.url}/consultazione/esci`, { _csrf: csrf });
  assert.equal(end.status, 303);
  assertRefused(await c.request(`${docUrl(w.url, w.fx, 1)}/pagine/1`), "after Fine");
});

Deno.test("the public side still shows no personal data of the grant holder", async () => {
  await using w = await kioskWorld();
  const b = new FetchBrowser();
  await openAtKiosk(b, w.url, w.fx.request.receiptCode);
  await b.request(docUrl(w.url, w.fx, 1));
  const pub = new FetchBrowser();
  for (
    const url of [
      `${w.url}/pratiche/${w.fx.dossierId}`,
      `${w.url}/cerca?q=Verdi`,
      `${w.url}/api/v1/pratiche/${w.fx.dossierId}`,
    ]
  ) {
    const page = await pub.request(url);
    assert.ok(!page.text.includes(HOLDER_CF), `${url} shows no CF`);
    assert.ok(!page.text.includes("Lucia Verdi"), `${url} shows no requester`);
  }
  // The original bytes of the granted scan are not public either.
  const file = await pub.request(`${w.url}/documenti/pratica/${w.fx.dossierId}/1/file`);
  assert.equal(file.status, 404);
});
