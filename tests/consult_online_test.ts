/**
 * Viewing granted documents online (issue 11): a citizen signed in through the real OpenID
 * provider on loopback sees, in "Le mie richieste", the grants, fee status and documents of
 * their requests, opens the stamped pages, and finds the open listed; another citizen, or
 * nobody signed in, gets the neutral 404.
 */
import assert from "node:assert/strict";
import { openFileStore } from "../documents/file_store.ts";
import { maskTaxCode } from "../domain/codice_fiscale.ts";
import { CONSULT_NOT_FOUND } from "../routes/_consult.ts";
import { createCitizenWorld, FetchBrowser, signIn } from "./_citizen_world.ts";
import { HOLDER_CF, loadConsultFixtures } from "./_consult_world.ts";
import { readWithPdfJs } from "./_stamp_fixtures.ts";

async function onlineWorld() {
  const dir = await Deno.makeTempDir({ prefix: "faldone-consult-online-" });
  const store = await openFileStore(`${dir}/files`);
  const world = await createCitizenWorld({ fileStore: store });
  const fx = await loadConsultFixtures({
    db: world.db,
    clock: world.clock,
    branch: world.config.branchName,
    outbox: false,
    store,
  });
  return {
    world,
    fx,
    base: `${world.url}/area-personale/richieste/${fx.request.id}/documenti`,
    async [Symbol.asyncDispose]() {
      await world[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("online, Le mie richieste lists the grants and documents; the viewer serves stamped pages; the open is listed", async () => {
  await using w = await onlineWorld();
  const mario = new FetchBrowser();
  const back = await signIn(mario, w.world, "mario");
  assert.equal(back.status, 303);
  const area = await mario.request(`${w.world.url}/area-personale`);
  assert.equal(area.status, 200);
  assert.match(area.text, new RegExp(w.fx.request.receiptCode));
  const docHref =
    `/area-personale/richieste/${w.fx.request.id}/documenti/pratica/${w.fx.dossierId}/1`;
  assert.ok(area.text.includes(`href="${docHref}"`), "a link to view the granted document");
  assert.match(area.text, /Solo visione/);
  assert.match(area.text, /attiva/);
  assert.match(area.text, /Chi ha consultato e quando/);
  assert.match(area.text, /Nessuna consultazione finora/);
  assert.match(area.text, /Diritti e pagamenti/);
  // The other citizen's request is not listed.
  assert.ok(!area.text.includes(w.fx.otherRequest.receiptCode));

  const viewer = await mario.request(`${w.world.url}${docHref}`);
  assert.equal(viewer.status, 200);
  assert.equal(viewer.headers.get("cache-control"), "private, no-store");
  assert.match(viewer.text, /data-viewer="stamped"/);
  assert.doesNotMatch(viewer.text, /Scarica/);
  const page = await mario.request(`${w.world.url}${docHref}/pagine/2`);
  assert.equal(page.status, 200);
  const res = await fetch(`${w.world.url}${docHref}/pagine/2`, {
    headers: { Cookie: [...mario.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
  });
  const [seen] = await readWithPdfJs(new Uint8Array(await res.arrayBuffer()));
  const text = seen!.text.join(" ");
  assert.ok(text.includes(w.fx.request.receiptCode));
  assert.ok(text.includes(maskTaxCode(HOLDER_CF)));
  assert.ok(!text.includes(HOLDER_CF));

  const after = await mario.request(`${w.world.url}/area-personale`);
  assert.match(after.text, /data-testid="consult-history"/);
  assert.match(after.text, /<td>online<\/td>/);
  assert.match(after.text, /<td>Tavola 1<\/td>/);
  assert.match(after.text, /<td>visione<\/td>/);
  const list = await mario.request(`${w.base}`);
  assert.equal(list.status, 200);
  assert.match(list.text, /Tavola 1/);
});

Deno.test("online, another citizen's request, another request's document and no session are refused alike", async () => {
  await using w = await onlineWorld();
  const giulia = new FetchBrowser();
  await signIn(giulia, w.world, "giulia");
  const doc = `${w.base}/pratica/${w.fx.dossierId}/1`;
  for (const url of [doc, `${doc}/pagine/1`, `${w.base}`]) {
    const page = await giulia.request(url);
    if (url === w.base) {
      // The list of someone else's request sends back to one's own area.
      assert.equal(page.status, 303);
      continue;
    }
    assert.equal(page.status, 404, url);
    assert.ok(page.text.includes(CONSULT_NOT_FOUND));
    assert.ok(!page.text.includes("Tavola"));
  }
  // Giulia's own request names her dossier; mario's dossier under her request is refused.
  const own = `${w.world.url}/area-personale/richieste/${w.fx.otherRequest.id}/documenti`;
  assert.equal((await giulia.request(`${own}/pratica/${w.fx.otherDossierId}/1`)).status, 200);
  assert.equal((await giulia.request(`${own}/pratica/${w.fx.dossierId}/1`)).status, 404);
  const nobody = new FetchBrowser();
  const refused = await nobody.request(`${doc}/pagine/1`);
  assert.equal(refused.status, 404);
  assert.ok(refused.text.includes(CONSULT_NOT_FOUND));
});

Deno.test("the archive's public pages link to the personal area", async () => {
  await using w = await onlineWorld();
  const home = await new FetchBrowser().request(`${w.world.url}/`);
  assert.match(home.text, /<a class="header-personal-area" href="\/area-personale">/);
});
