/**
 * The catalogues stay complete: English has every key of Italian (a compile error otherwise,
 * pinned here with @ts-expect-error so `deno check` fails if the type stops catching it), the
 * same shape at run time, and no entry renders empty in either language.
 */
import assert from "node:assert/strict";
import { en } from "../i18n/en.ts";
import { it, type Messages } from "../i18n/it.ts";
import { isMarkup, itTerm, rich } from "../i18n/rich.ts";
import { localMessage, translate } from "../i18n/local_message.ts";
import { formatDay, formatNumber, plural } from "../i18n/intl.ts";

// Type level: a catalogue that lacks a group, or a parameter, is not `Messages`.
const { layout: _dropped, ...withoutLayout } = en;
// @ts-expect-error a catalogue without `layout` does not type-check as Messages
const _incomplete: Messages = withoutLayout;
const _wrongParameters: Messages = {
  ...en,
  // @ts-expect-error `resultCount` takes a number, not a string
  search: { ...en.search, resultCount: (s: string) => s },
};

type Entry = { path: string; value: unknown };

function leaves(value: unknown, path = ""): Entry[] {
  if (typeof value === "object" && value !== null && !isMarkup(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  }
  return [{ path, value }];
}

// Every parameter of every entry is a number, a short text or a flag: 2 suits them all.
function rendered(value: unknown): string {
  if (typeof value === "function") return String(value(...Array(value.length).fill(2)));
  return String(value);
}

Deno.test("English has exactly the keys of Italian, entry for entry of the same kind", () => {
  const itLeaves = new Map(leaves(it).map((e) => [e.path, e.value]));
  const enLeaves = new Map(leaves(en).map((e) => [e.path, e.value]));
  assert.deepEqual([...enLeaves.keys()].sort(), [...itLeaves.keys()].sort());
  for (const [path, value] of itLeaves) {
    const other = enLeaves.get(path);
    assert.equal(typeof other === "function", typeof value === "function", path);
    if (typeof value === "function" && typeof other === "function") {
      assert.equal(other.length <= value.length, true, `${path}: more parameters in English`);
    }
  }
});

Deno.test("no catalogue entry renders an empty text in either language", () => {
  for (const [name, catalogue] of [["it", it], ["en", en]] as const) {
    for (const { path, value } of leaves(catalogue)) {
      assert.ok(rendered(value).trim().length > 0, `${name}: ${path} is empty`);
    }
  }
});

Deno.test("an Italian term inside English text is marked lang=it and the rest is escaped", () => {
  const text = rich`<b>access</b> (${itTerm("accesso agli atti")}) for ${"<x>"}`;
  assert.ok(isMarkup(text));
  assert.equal(
    String(text),
    '<b>access</b> (<span lang="it">accesso agli atti</span>) for &lt;x&gt;',
  );
});

Deno.test("a message made from the catalogue is shown again in the other language", () => {
  const italian = localMessage((t) => t.fields.tooLong("Telefono", 40));
  assert.equal(italian, "Telefono: al massimo 40 caratteri.");
  assert.equal(translate(italian, en), "Telefono: at most 40 characters.");
  assert.equal(translate("Un testo mai registrato.", en), "Un testo mai registrato.");
});

Deno.test("numbers, dates and plurals follow each locale's rules", () => {
  assert.equal(formatNumber("it", 12345), "12.345");
  assert.equal(formatNumber("en", 12345), "12,345");
  assert.equal(formatDay("it", "2019-07-22"), "22/07/2019");
  assert.equal(formatDay("en", "2019-07-22"), "22 July 2019");
  assert.equal(plural("en", 1, { one: "result", other: "results" }), "result");
  assert.equal(plural("en", 0, { one: "result", other: "results" }), "results");
  assert.equal(it.search.resultCount(30000), "30.000 risultati");
  assert.equal(en.search.resultCount(1), "1 result");
});
