/**
 * Static file paths no file can have (a NUL byte, an over-long name) are refused before
 * the file system is asked: an Italian 404 and nothing printed to the console.
 */
import assert from "node:assert/strict";
import { cannotNameAFile } from "../routes/assets.ts";
import { NOT_FOUND_MESSAGE } from "../routes/errors.tsx";
import { ASSET_VERSION } from "../views/assets.ts";
import { createTestWorld } from "./_world.ts";

const PREFIX = `/static/v${ASSET_VERSION}`;

/** Runs `body` with console.error and console.warn collected instead of printed. */
async function capturingConsole(body: () => Promise<void>): Promise<string[]> {
  const { error, warn } = console;
  const printed: string[] = [];
  const collect = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
  console.error = collect;
  console.warn = collect;
  try {
    await body();
  } finally {
    console.error = error;
    console.warn = warn;
  }
  return printed;
}

Deno.test("static paths with a NUL byte or an over-long name get a quiet Italian 404", async () => {
  await using world = await createTestWorld();
  const server = await world.serve();
  const paths = [
    `${PREFIX}/app%00.css`,
    `${PREFIX}/%00`,
    `${PREFIX}/bi/css/%00bootstrap-italia.min.css`,
    `${PREFIX}/pdfjs/build/pdf%00.min.mjs`,
    `${PREFIX}/${"a".repeat(5000)}`,
    `${PREFIX}/bi/${"a".repeat(300)}.css`,
    `${PREFIX}/pdfjs/cmaps/${"b".repeat(256)}`,
    `${PREFIX}/${"dir/".repeat(300)}app.css`,
  ];
  const printed = await capturingConsole(async () => {
    for (const path of paths) {
      const res = await fetch(`${server.url}${path}`);
      const label = path.slice(0, 60);
      assert.equal(res.status, 404, label);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/, label);
      assert.ok((await res.text()).includes(NOT_FOUND_MESSAGE.slice(0, 40)), label);
    }
  });
  assert.deepEqual(printed, []);
});

Deno.test("real static files are still served next to the refused paths", async () => {
  await using world = await createTestWorld();
  const server = await world.serve();
  for (const path of [`${PREFIX}/app.css`, `${PREFIX}/htmx.min.js`]) {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200, path);
    await res.body?.cancel();
  }
});

Deno.test("cannotNameAFile: control characters and OS name limits, not ordinary names", () => {
  assert.equal(cannotNameAFile("/static/v1/app.css"), false);
  assert.equal(cannotNameAFile(`/static/v1/${"a".repeat(255)}`), false);
  assert.equal(cannotNameAFile(`/static/v1/${"à".repeat(128)}`), true); // 256 bytes in UTF-8
  assert.equal(cannotNameAFile("/static/v1/a\u0000b"), true);
  assert.equal(cannotNameAFile("/static/v1/a\nb"), true);
  assert.equal(cannotNameAFile("/static/v1/a\u007fb"), true);
});
