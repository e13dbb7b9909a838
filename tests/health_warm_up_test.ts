import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { act, dossier } from "./fixtures.ts";

Deno.test("healthz stays starting after the build until the composition's warm-up is done", async () => {
  let warmedUp = false;
  await using world = await createTestWorld({
    records: [dossier(), act()],
    warmedUp: () => warmedUp,
  });
  const served = await world.serve();
  const before = await fetch(`${served.url}/healthz`);
  assert.equal(before.status, 503);
  assert.deepEqual(await before.json(), { status: "starting" });
  warmedUp = true;
  const after = await fetch(`${served.url}/healthz`);
  assert.equal(after.status, 200);
  assert.deepEqual(await after.json(), { status: "ready", records: 2, indexed: 2 });
});
