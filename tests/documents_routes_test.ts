// The viewer routes over loopback HTTP: what they answer for missing documents and bytes,
// when they audit, who may ask for bytes, and which PDF.js files the static routes expose.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileByteSource } from "../documents/file_byte_source.ts";
import type { ViewableDocument } from "../routes/documents.tsx";
import { ASSET_PREFIX } from "../views/assets.ts";
import { startViewerApp } from "./_viewer_app.ts";

async function world(staff = false) {
  const dir = await Deno.makeTempDir({ prefix: "faldone-docs-" });
  const path = join(dir, "a.pdf");
  await Deno.writeFile(path, new TextEncoder().encode("%PDF-1.4\n" + "x".repeat(5000)));
  const source = await fileByteSource(path, "application/pdf", "sha-a");
  const docs = new Map<string, ViewableDocument>([
    ["pratica/pe-1/1", {
      title: "Tavola 1",
      mime: "application/pdf",
      bytes: source.bytes,
      present: true,
      source,
      restricted: true,
    }],
    ["atto/dcc-1/1", {
      title: "Allegato A",
      mime: "application/pdf",
      bytes: source.bytes,
      present: true,
      source,
      restricted: false,
    }],
    ["pratica/pe-1/2", {
      title: "Tavola 2",
      mime: "application/pdf",
      bytes: 9000,
      present: false,
      restricted: true,
    }],
  ]);
  const app = startViewerApp(docs, { staff });
  return {
    app,
    async [Symbol.asyncDispose]() {
      await app[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("a restricted document's viewer open is audited once, not per Range request", async () => {
  await using w = await world();
  const base = `${w.app.url}/documenti/pratica/pe-1/1`;
  const page = await fetch(base);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Tavola 1/);
  for (const range of ["bytes=0-99", "bytes=100-"]) {
    const res = await fetch(`${base}/file`, {
      headers: { Range: range, "Sec-Fetch-Dest": "empty" },
    });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get("cache-control"), "private, no-store");
    await res.body?.cancel();
  }
  assert.deepEqual(w.app.audits.map((a) => a.via), ["viewer"]);
  // Opening the bytes directly (a download, a script without a browser) is audited on its own.
  const direct = await fetch(`${base}/file`);
  await direct.body?.cancel();
  assert.deepEqual(w.app.audits.map((a) => a.via), ["viewer", "file"]);
  assert.deepEqual(w.app.audits[0]?.ref, { kind: "pratica", recordId: "pe-1", index: 1 });
});

Deno.test("a public attachment is served without audit and may be cached", async () => {
  await using w = await world();
  const res = await fetch(`${w.app.url}/documenti/atto/dcc-1/1/file`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "public, max-age=3600");
  await res.body?.cancel();
  assert.deepEqual(w.app.audits, []);
});

Deno.test("unknown documents and bad positions are an Italian 404, never a 500", async () => {
  await using w = await world();
  for (
    const path of [
      "pratica/pe-1/9",
      "pratica/pe-1/0",
      "pratica/pe-1/x",
      "pratica/zz/1/file",
      "pratica/pe-1/1/pagine/2",
    ]
  ) {
    const res = await fetch(`${w.app.url}/documenti/${path}`);
    assert.equal(res.status, 404, path);
    assert.match(await res.text(), /non trovat|non esiste/, path);
  }
});

Deno.test("bytes not at this branch: the page says when, the file endpoint is a 404", async () => {
  await using w = await world(true);
  const page = await fetch(`${w.app.url}/documenti/pratica/pe-1/2`);
  const html = await page.text();
  assert.match(html, /disponibile in questa sede dopo la prossima sincronizzazione/);
  assert.match(html, /Scarica in sede/);
  const file = await fetch(`${w.app.url}/documenti/pratica/pe-1/2/file`);
  assert.equal(file.status, 404);
  assert.match(await file.text(), /prossima sincronizzazione/);
});

Deno.test("only staff see the Scarica in sede button or may post it", async () => {
  await using w = await world(false);
  const html = await (await fetch(`${w.app.url}/documenti/pratica/pe-1/2`)).text();
  assert.doesNotMatch(html, /Scarica in sede/);
  const post = await fetch(`${w.app.url}/documenti/pratica/pe-1/2/scarica`, { method: "POST" });
  assert.equal(post.status, 403);
  await post.body?.cancel();
});

Deno.test("the static routes serve PDF.js's module, worker and fonts, nothing else of it", async () => {
  await using w = await world();
  for (
    const path of [
      "build/pdf.min.mjs",
      "build/pdf.worker.min.mjs",
      "wasm/openjpeg_nowasm_fallback.js",
      "standard_fonts/LiberationSans-Regular.ttf",
    ]
  ) {
    const res = await fetch(`${w.app.url}${ASSET_PREFIX}/pdfjs/${path}`);
    assert.equal(res.status, 200, path);
    if (path.endsWith("js")) {
      assert.match(res.headers.get("content-type") ?? "", /javascript/, path);
    }
    await res.body?.cancel();
  }
  for (const path of ["package.json", "web/pdf_viewer.mjs", "build/../package.json"]) {
    const res = await fetch(`${w.app.url}${ASSET_PREFIX}/pdfjs/${path}`);
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
});
