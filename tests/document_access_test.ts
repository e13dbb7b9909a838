// The viewer mounted in the real app over the demo's documents, over loopback HTTP: who opens
// what, the bytes with Range, the signed sessions, the audit of restricted opens, and a clerk's
// "Scarica in sede" marking the file wanted.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { readRecord, upsertRecords } from "../db/records.ts";
import { auditLog } from "../db/schema.ts";
import { documentFileState, documentsOfRecord } from "../db/document_files.ts";
import { documentUrl } from "../views/document_url.ts";
import { jpegMarkers, scanPdf } from "./_document_fixtures.ts";
import { addUser, TEST_PASSWORD } from "./_access_client.ts";
import { createDocumentWorld, type DocAt, type DocumentWorld } from "./_document_world.ts";

/** A browser-like client over real HTTP: a cookie jar, the page's CSRF token, no redirects. */
class HttpClient {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(readonly base: string) {}

  private keep(res: Response) {
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

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      headers: this.headers(headers),
      redirect: "manual",
    });
    this.keep(res);
    return res;
  }

  /** GET as text, remembering the page's CSRF token. */
  async page(path: string): Promise<{ status: number; html: string }> {
    const res = await this.get(path);
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m?.[1]) this.csrf = m[1];
    return { status: res.status, html };
  }

  async post(path: string, fields: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      method: "POST",
      headers: this.headers({ "Content-Type": "application/x-www-form-urlencoded" }),
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }),
      redirect: "manual",
    });
    this.keep(res);
    return res;
  }

  /** POSTs a multipart form with the CSRF token (the counter upload). */
  async postForm(path: string, form: FormData): Promise<Response> {
    form.append("_csrf", this.csrf);
    const res = await fetch(`${this.base}${path}`, {
      method: "POST",
      headers: this.headers({ "HX-Request": "true" }),
      body: form,
      redirect: "manual",
    });
    this.keep(res);
    return res;
  }

  async login(username: string): Promise<void> {
    await this.page("/login");
    const res = await this.post("/login", { username, password: TEST_PASSWORD });
    await res.body?.cancel();
    assert.equal(res.status, 303, "login");
  }
}

const urlOf = (d: DocAt) => documentUrl(d.kind, d.id, d.position);

async function bytesOf(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

async function audits(w: DocumentWorld, action: string) {
  return await w.world.db.select().from(auditLog).where(eq(auditLog.action, action));
}

Deno.test("documents in the app: clerks, the public, signed sessions, audit, Scarica in sede", async (t) => {
  await using w = await createDocumentWorld();
  const { world } = w;
  await addUser(world.db, "anna", "clerk", world.clock());
  const served = await world.serve();
  const clerk = new HttpClient(served.url);
  await clerk.login("anna");
  const citizen = new HttpClient(served.url);

  await t.step(
    "a clerk opens a dossier scan: the PDF comes by Range (206), audited once",
    async () => {
      const before = (await audits(w, "view_document")).length;
      const page = await clerk.page(urlOf(w.scan));
      assert.equal(page.status, 200);
      assert.match(page.html, /data-viewer="pdf"/);
      assert.match(page.html, new RegExp(w.scan.title));
      const whole = await bytesOf(await w.store.open(w.scan.sha256).then((s) => new Response(s)));
      const res = await clerk.get(`${urlOf(w.scan)}/file`, {
        Range: "bytes=0-1023",
        "Sec-Fetch-Dest": "empty",
      });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get("content-type"), "application/pdf");
      assert.equal(res.headers.get("content-range"), `bytes 0-1023/${whole.length}`);
      assert.equal(res.headers.get("etag"), `"${w.scan.sha256}"`);
      assert.deepEqual(await bytesOf(res), whole.subarray(0, 1024));
      // The last bytes too: the adapter's inclusive end reaches the store's last byte.
      const tail = await clerk.get(`${urlOf(w.scan)}/file`, {
        Range: `bytes=${whole.length - 10}-`,
        "Sec-Fetch-Dest": "empty",
      });
      assert.equal(tail.status, 206);
      assert.deepEqual(await bytesOf(tail), whole.subarray(whole.length - 10));

      const entries = await audits(w, "view_document");
      assert.equal(entries.length, before + 1, "one entry for the viewer, none per Range request");
      const entry = entries.at(-1)!;
      assert.equal(entry.actor, "anna");
      assert.equal(entry.recordKind, "dossier");
      assert.equal(entry.recordId, w.scan.id);
      assert.match(
        entry.detail ?? "",
        new RegExp(`documento ${w.scan.position + 1}.*${w.scan.sha256.slice(0, 16)}`),
      );
      // Served: the least-recently-used budget sees it.
      assert.equal(
        (await documentFileState(world.db, w.scan.sha256))?.lastUsedAt,
        world.clock().toISOString(),
      );
    },
  );

  await t.step("the public cannot open the scan: the same 404 as an unknown document", async () => {
    const unknown = await citizen.page("/documenti/pratica/pe-nessuna-0000-0/1");
    assert.equal(unknown.status, 404);
    for (const path of [urlOf(w.scan), `${urlOf(w.scan)}/file`, `${urlOf(w.tiff)}/pagine/1`]) {
      const res = await citizen.page(path);
      assert.equal(res.status, 404, path);
      assert.equal(res.html, unknown.html, path);
    }
    // The dossier's public page names the scan but offers no link to it.
    const record = await citizen.page(`/pratiche/${encodeURIComponent(w.scan.id)}`);
    assert.equal(record.status, 200);
    assert.match(record.html, /consultabile su richiesta di accesso/);
    assert.doesNotMatch(record.html, /href="\/documenti\//);
  });

  await t.step("the public plays the signed session, with both signers verified", async () => {
    const act = await citizen.page(`/atti/${encodeURIComponent(w.session.id)}`);
    assert.match(act.html, new RegExp(`href="${urlOf(w.session)}"`));
    const page = await citizen.page(urlOf(w.session));
    assert.equal(page.status, 200);
    assert.match(page.html, /<audio[^>]*controls/);
    assert.match(page.html, /Giovanna Ferri/);
    assert.match(page.html, /Paolo Marchetti/);
    assert.equal(page.html.match(/Firma valida/g)?.length, 2);
    // Tax codes and the signed envelope are for the office.
    assert.doesNotMatch(page.html, /FRRGNN65C41D612A/);
    assert.doesNotMatch(page.html, /originale/);
    const res = await citizen.get(`${urlOf(w.session)}/file`, {
      Range: "bytes=100-199",
      "Sec-Fetch-Dest": "audio",
    });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get("content-type"), "audio/wav");
    assert.match(res.headers.get("content-range") ?? "", /^bytes 100-199\/\d+$/);
    assert.equal((await bytesOf(res)).length, 100);
    const start = await bytesOf(
      await citizen.get(`${urlOf(w.session)}/file`, { Range: "bytes=0-11" }),
    );
    assert.equal(new TextDecoder().decode(start.subarray(0, 4)), "RIFF");
    const original = await citizen.get(`${urlOf(w.session)}/originale`);
    assert.equal(original.status, 404);
    await original.body?.cancel();
  });

  await t.step("the tampered session shows as altered", async () => {
    const page = await citizen.page(urlOf(w.altered));
    assert.equal(page.status, 200);
    assert.match(page.html, /alterato/);
    assert.doesNotMatch(page.html, /Firma valida/);
  });

  await t.step("a clerk downloads the signed envelope as received", async () => {
    const page = await clerk.page(urlOf(w.session));
    assert.match(page.html, /Scarica l(?:'|&#39;)originale firmato \(seduta\.wav\.p7m\)/);
    assert.match(page.html, /FRRGNN65C41D612A/);
    const res = await clerk.get(`${urlOf(w.session)}/originale`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pkcs7-mime");
    assert.match(res.headers.get("content-disposition") ?? "", /seduta\.wav\.p7m/);
    const sha = createHash("sha256").update(await bytesOf(res)).digest("hex");
    assert.equal(sha, w.session.sha256);
  });

  await t.step(
    "a restricted act hides its public attachment; a clerk's open is audited",
    async () => {
      const act = await readRecord(world.db, "act", w.attachment.id);
      assert.ok(act);
      const publicOpen = await citizen.get(`${urlOf(w.attachment)}/file`);
      assert.equal(publicOpen.status, 200, "public while the act is public");
      await publicOpen.body?.cancel();
      const before = (await audits(w, "view_document")).length;
      // A clerk's open of a public attachment of a public act is not a restricted view.
      await clerk.page(urlOf(w.attachment));
      assert.equal((await audits(w, "view_document")).length, before);

      await world.db.transaction((tx) =>
        upsertRecords(tx, [{ ...act, restricted: true }], world.clock())
      );
      const unknown = await citizen.page("/documenti/atto/atto-inesistente/1");
      const hidden = await citizen.page(urlOf(w.attachment));
      assert.equal(hidden.status, 404);
      assert.equal(hidden.html, unknown.html);
      const page = await clerk.page(urlOf(w.attachment));
      assert.equal(page.status, 200);
      const entries = await world.db.select().from(auditLog).where(
        and(eq(auditLog.action, "view_document"), eq(auditLog.recordId, w.attachment.id)),
      );
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.actor, "anna");
      assert.equal(entries[0]?.recordKind, "act");
    },
  );

  await t.step("the clerk's dossier page has Apri for every document", async () => {
    const page = await clerk.page(
      `/sportello/pratiche/${encodeURIComponent(`dossier:${w.tiff.id}`)}`,
    );
    assert.equal(page.status, 200);
    const links = [...page.html.matchAll(/href="(\/documenti\/[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(links, [
      documentUrl("dossier", w.tiff.id, 0),
      documentUrl("dossier", w.tiff.id, 1),
    ]);
  });

  await t.step("the TIFF's pages are converted once and served as PNG", async () => {
    const page = await clerk.page(urlOf(w.tiff));
    assert.match(page.html, /data-viewer="image"/);
    assert.match(page.html, /data-pages="3"/);
    const pngs = await Promise.all([1, 2, 3, 1].map(async (n) => {
      const res = await clerk.get(`${urlOf(w.tiff)}/pagine/${n}`, { "Sec-Fetch-Dest": "image" });
      assert.equal(res.status, 200, `page ${n}`);
      assert.equal(res.headers.get("content-type"), "image/png");
      assert.equal(res.headers.get("cache-control"), "private, no-store");
      return await bytesOf(res);
    }));
    for (const png of pngs) assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.deepEqual(pngs[0], pngs[3]);
    assert.notDeepEqual(pngs[0], pngs[1]);
    const past = await clerk.get(`${urlOf(w.tiff)}/pagine/4`);
    assert.equal(past.status, 404);
    await past.body?.cancel();
  });

  await t.step(
    "Scarica in sede marks the file wanted, audited, and says when it comes",
    async () => {
      const url = urlOf(w.missing);
      assert.equal(await documentFileState(world.db, w.missing.sha256), undefined);
      const page = await clerk.page(url);
      assert.match(page.html, /disponibile in questa sede dopo la prossima sincronizzazione/);
      assert.match(page.html, /Scarica in sede/);
      const res = await clerk.post(`${url}/scarica`);
      assert.equal(res.status, 303);
      await res.body?.cancel();
      const after = await clerk.page(res.headers.get("location") ?? "");
      assert.match(
        after.html,
        /Richiesta registrata: il file arriverà con la prossima sincronizzazione/,
      );
      assert.doesNotMatch(after.html, /<button[^>]*>Scarica in sede/);
      const state = await documentFileState(world.db, w.missing.sha256);
      assert.equal(state?.pinned, true);
      assert.equal(state?.present, false);
      const entries = await audits(w, "request_document_file");
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.recordId, w.missing.id);
      assert.equal(entries[0]?.actor, "anna");
      // The desk page says it is on its way.
      const desk = await clerk.page(
        `/sportello/pratiche/${encodeURIComponent(`dossier:${w.missing.id}`)}`,
      );
      assert.match(desk.html, /richiesto, arriverà con la prossima sincronizzazione/);
    },
  );

  await t.step("the public can neither ask for bytes nor see the button", async () => {
    // A kiosk's CSRF token is its cookie's: the refusal below is the route's, not the CSRF check's.
    citizen.csrf = citizen.cookies.get("faldone_csrf") ?? "";
    assert.notEqual(citizen.csrf, "");
    const page = await citizen.page(urlOf(w.session));
    assert.doesNotMatch(page.html, /Scarica in sede/);
    const post = await citizen.post(`${urlOf(w.session)}/scarica`);
    assert.equal(post.status, 403);
    assert.match(await post.text(), /Solo il personale/);
  });

  await t.step(
    "a scan's first page as its own JPEG: the file's access rules and audit, never for the public",
    async () => {
      // A clerk adds a JPEG scan to the dossier at the counter (not public: restricted).
      const jpeg = jpegMarkers(1240, 1754);
      const pdf = await scanPdf(3, { kind: "jpeg", images: [jpeg] });
      const desk = `/sportello/pratiche/${encodeURIComponent(`dossier:${w.scan.id}`)}`;
      await clerk.page(desk);
      const form = new FormData();
      form.append("file", new File([pdf as Uint8Array<ArrayBuffer>], "scansione.pdf"));
      form.append("title", "Scansione a sportello");
      const added = await clerk.postForm(`${desk}/documenti`, form);
      assert.equal(added.status, 200, await added.text());
      const docs = await documentsOfRecord(world.db, "dossier", w.scan.id);
      const position = docs.findIndex((d) => d.title === "Scansione a sportello");
      assert.ok(position >= 0);
      const url = documentUrl("dossier", w.scan.id, position);

      const before = (await audits(w, "view_document")).length;
      const page = await clerk.page(url);
      assert.equal(page.status, 200);
      assert.match(
        page.html,
        new RegExp(`<img class="viewer-preview" src="${url}/anteprima" width="1240" height="1754"`),
      );
      assert.match(page.html, /alt="Pagina 1 di 3 di Scansione a sportello"/);
      assert.equal((await audits(w, "view_document")).length, before + 1, "the viewer's entry");

      // Fetched by the viewer's <img>: the JPEG as the PDF holds it, kept out of caches, and
      // no second entry (the viewer's open was audited).
      const image = await clerk.get(`${url}/anteprima`, { "Sec-Fetch-Dest": "image" });
      assert.equal(image.status, 200);
      assert.equal(image.headers.get("content-type"), "image/jpeg");
      assert.equal(image.headers.get("cache-control"), "private, no-store");
      assert.deepEqual(await bytesOf(image), jpeg);
      const part = await clerk.get(`${url}/anteprima`, {
        "Sec-Fetch-Dest": "image",
        Range: "bytes=0-1",
      });
      assert.equal(part.status, 206);
      assert.deepEqual(await bytesOf(part), jpeg.subarray(0, 2));
      assert.equal((await audits(w, "view_document")).length, before + 1);
      // Opened directly, like the file: audited.
      const direct = await clerk.get(`${url}/anteprima`);
      assert.equal(direct.status, 200);
      await direct.body?.cancel();
      const entries = await audits(w, "view_document");
      assert.equal(entries.length, before + 2);
      assert.equal(entries.at(-1)?.actor, "anna");
      assert.equal(entries.at(-1)?.recordId, w.scan.id);

      // The public: the same 404 as an unknown document, for the page and the picture.
      const unknown = await citizen.page("/documenti/pratica/pe-nessuna-0000-0/1/anteprima");
      assert.equal(unknown.status, 404);
      for (const path of [url, `${url}/anteprima`]) {
        const res = await citizen.page(path);
        assert.equal(res.status, 404, path);
        assert.equal(res.html, unknown.html, path);
      }
      assert.equal((await audits(w, "view_document")).length, before + 2);

      // A PDF that is not one picture per page (the demo's scan) has none: the page shows
      // PDF.js's canvas at once, and the route says so.
      const plain = await clerk.page(urlOf(w.scan));
      assert.doesNotMatch(plain.html, /viewer-preview|anteprima/);
      assert.doesNotMatch(plain.html, /<canvas[^>]*hidden/);
      const none = await clerk.page(`${urlOf(w.scan)}/anteprima`);
      assert.equal(none.status, 404);
      assert.match(none.html, /Anteprima non disponibile per questo documento/);
    },
  );
});
