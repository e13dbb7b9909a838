/**
 * The privacy crawl: with known personal values seeded (people on dossiers, requesters of
 * access requests), walk every public page and API a kiosk visitor can reach, search for
 * every value, follow every link, and assert that none of them appears anywhere.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { act, dossier, person } from "./fixtures.ts";
import { TestClient } from "./_access_client.ts";

const PEOPLE = [
  person({
    role: "richiedente",
    surname: "Quaglierini",
    name: "Ottorino",
    taxCode: "RSSMRA85T10A562S",
    email: "ottorino.quaglierini@example.it",
    phone: "+39 0574 998877",
  }),
  person({
    role: "progettista",
    surname: "Brunelleschini",
    name: "Filippa",
    taxCode: "MLLSNT82P65Z404U",
    email: "studio.brunelleschini@example.it",
    phone: "055 7766554",
  }),
  { role: "impresa", company: "Edilzappa s.r.l.", taxCode: "12345678903" },
];
const REQUESTER = {
  name: "Ernestina Sbrollini",
  taxCode: "MRTMTT91D08F205J",
  email: "e.sbrollini@example.org",
  phone: "333 4455667",
  motivation: "Rogito presso notaio Vannucchelli",
  description: "Condono di Gualtierotti",
};
const SECRETS = [
  "Quaglierini",
  "Ottorino",
  "RSSMRA85T10A562S",
  "ottorino.quaglierini@example.it",
  "0574 998877",
  "Brunelleschini",
  "Filippa",
  "MLLSNT82P65Z404U",
  "studio.brunelleschini",
  "7766554",
  "Edilzappa",
  "12345678903",
  "Sbrollini",
  "Ernestina",
  "MRTMTT91D08F205J",
  "e.sbrollini",
  "4455667",
  "Vannucchelli",
  "Gualtierotti",
  "F-1987-031", // the faldone's location is clerk-only too
];
const STAFF = /^\/(sportello|admin|audit|login|logout)/;

Deno.test("no personal value appears on any public page, search answer or API response", async () => {
  const main = dossier({
    people: PEOPLE,
    subject: "AMPLIAMENTO FABBRICATO QUAGLIERINI OTTORINO E AUTORIMESSA",
  });
  const child = dossier({ parentId: main.id, type: "VAR", people: [PEOPLE[0] ?? person()] });
  const hidden = dossier({ restricted: true, type: "ABUSI", subject: "ESPOSTO BRUNELLESCHINI" });
  const delibera = act();
  await using world = await createTestWorld({ records: [main, child, hidden, delibera] });
  const kiosk = new TestClient(world.app);
  const pages = new Map<string, string>();
  const visit = async (path: string, res?: Response) => {
    const r = res ?? await kiosk.get(path);
    assert.ok(r.status < 500, `${path} → ${r.status}`);
    pages.set(`${path} (${pages.size})`, await r.text());
  };

  // A citizen files a request with their own data, then checks it: the slip and the answer
  // must not repeat it.
  await kiosk.get(`/richieste/nuova?record=dossier:${main.id}`);
  const filed = await kiosk.post("/richieste/nuova", {
    record: `dossier:${main.id}`,
    requesterName: REQUESTER.name,
    taxCode: REQUESTER.taxCode,
    email: REQUESTER.email,
    phone: REQUESTER.phone,
    regime: "documentale",
    motivation: REQUESTER.motivation,
    recordsDescription: REQUESTER.description,
    requesterTitle: "Proprietario",
    mode: "copy",
    privacyAck: "1",
    confirm: "1",
  });
  assert.equal(filed.status, 303);
  const slip = await kiosk.get("/richieste/ricevuta");
  const slipHtml = await slip.clone().text();
  const code = /data-testid="receipt-code">([^<]+)</.exec(slipHtml)?.[1] ?? "";
  await visit("/richieste/ricevuta", slip);
  await kiosk.get("/richieste/stato");
  const status = await kiosk.post("/richieste/stato", { code, taxCode: REQUESTER.taxCode });
  assert.equal(status.status, 200);
  await visit("POST /richieste/stato", status);

  // Searches for every secret and for ordinary terms, as pages, partials and JSON.
  const terms = [
    ...SECRETS,
    "via roma 12",
    "ampliamento",
    `CE ${main.number}/1987`,
    "1987",
    "autorimessa",
  ];
  for (const q of terms) {
    const enc = encodeURIComponent(q);
    const api = await kiosk.get(`/api/search?q=${enc}`);
    const json = await api.clone().json();
    if (SECRETS.includes(q)) assert.equal(json.total, 0, `public search matched "${q}"`);
    await visit(`/api/search?q=${enc}`, api);
    // A results page repeats what was typed (box, URL): that echo is not stored data, and
    // the API above proved nothing matched, so the echo is removed before the check.
    for (const headers of [{}, { "HX-Request": "true" }]) {
      let body = await (await kiosk.get(`/cerca?q=${enc}`, headers)).text();
      for (
        const form of [
          q,
          enc,
          q.replaceAll("+", "&#43;"),
          encodeURIComponent(q).replaceAll("%20", "+"),
        ]
      ) {
        body = body.replace(new RegExp(form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), "");
      }
      pages.set(`/cerca?q=${enc} ${JSON.stringify(headers)}`, body);
    }
  }
  for (const r of [main, child, hidden]) {
    await visit(`/api/records/${r.id}`);
    await visit(`/richieste/nuova?record=dossier:${r.id}`);
  }
  await visit(`/api/records/${delibera.id}?kind=act`);
  for (
    const path of [
      "/registro-accessi",
      "/registro-accessi.csv",
      "/kiosk.json",
      "/richieste/cestino",
      "/healthz",
    ]
  ) {
    await visit(path);
  }

  // Follow every same-site link from the public pages (staff areas excluded: they need a login).
  const queue = [
    "/",
    `/pratiche/${main.id}`,
    `/pratiche/${child.id}`,
    `/pratiche/${hidden.id}`,
    `/atti/${delibera.id}`,
  ];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < 300) {
    const path = queue.shift() ?? "/";
    if (seen.has(path) || STAFF.test(path)) continue;
    seen.add(path);
    const res = await kiosk.get(path);
    assert.ok(res.status < 500, `${path} → ${res.status}`);
    const body = await res.text();
    pages.set(path, body);
    if (!(res.headers.get("content-type") ?? "").startsWith("text/html")) continue;
    for (const m of body.matchAll(/href="(\/[^"#]*)"/g)) {
      const href = (m[1] ?? "").replaceAll("&amp;", "&");
      if (!href.startsWith("/static/") && !seen.has(href)) queue.push(href);
    }
  }
  assert.ok(seen.has(`/pratiche/${main.id}`) && seen.has(`/atti/${delibera.id}`));
  assert.ok(pages.size > 100, `crawled only ${pages.size} pages`);

  const leaks: string[] = [];
  for (const [path, body] of pages) {
    const folded = body.toLowerCase();
    for (const secret of SECRETS) {
      if (folded.includes(secret.toLowerCase())) leaks.push(`${secret} in ${path}`);
    }
  }
  assert.deepEqual(leaks, []);
  // The restricted dossier is not reachable at all.
  assert.equal((await kiosk.get(`/pratiche/${hidden.id}`)).status, 404);
});
