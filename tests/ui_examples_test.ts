/**
 * The searches the kiosk and the README suggest find records in the demo archive a newcomer
 * starts with (issue 15 point 3): every example link, and every example in the README.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { DEMO_ARCHIVE, generateArchive, SHOWCASE } from "../demo/demo_archive.ts";
import { validateRecord } from "../domain/validate_record.ts";
import { toImportJson } from "../domain/import_format.ts";
import { loadVocabulary } from "../db/import.ts";
import { EXAMPLES } from "../views/empty.tsx";
import { tempDb } from "./_temp_db.ts";

const demo = [...generateArchive(DEMO_ARCHIVE)];

// The README's "Try …" sentence: every `code` span in it is a search to try.
async function readmeExamples(): Promise<string[]> {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const from = readme.indexOf("Try `");
  const line = readme.slice(from, readme.indexOf(": the same searches", from));
  return [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
}

Deno.test("the showcase dossier is a valid record, and the demo keeps its size", async () => {
  await using t = await tempDb("showcase");
  const vocab = await loadVocabulary(t.db);
  const showcase = demo.find((d) => d.id === SHOWCASE.id);
  assert.ok(showcase, "the demo holds the showcase dossier");
  const verdict = validateRecord(toImportJson(showcase), 1, vocab, 2025);
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.errors.join("; "));
  assert.equal(demo.length, DEMO_ARCHIVE.dossiers + DEMO_ARCHIVE.acts);
  assert.equal(new Set(demo.map((d) => `${d.record}:${d.id}`)).size, demo.length, "ids unique");
});

Deno.test("every example link and every README example finds records in the demo archive", async () => {
  await using world = await createTestWorld({ records: demo });
  const readme = await readmeExamples();
  assert.ok(readme.length >= 4, `README examples: ${readme.join(", ")}`);
  for (const q of [...EXAMPLES.map((e) => e.q), ...readme]) {
    const res = await world.app.request(`/api/search?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200, q);
    const body = await res.json();
    assert.ok(body.total > 0, `«${q}» finds nothing in the demo archive`);
  }
  for (const e of EXAMPLES.filter((x) => x.q !== "via Roma 12")) {
    const res = await world.app.request(`/api/search?q=${encodeURIComponent(e.q)}`);
    const ids: string[] = (await res.json()).hits.map((h: { id: string }) => h.id);
    assert.ok(ids.slice(0, 5).includes(SHOWCASE.id), `«${e.q}» → ${ids.slice(0, 5).join(", ")}`);
  }
});
