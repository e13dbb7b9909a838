/**
 * Domain errors that escape a handler keep their 4xx and their message through the one error
 * handler: a page, an htmx partial, or JSON under /api and /sync/v1, never a 500.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { BranchError } from "../db/branches.ts";
import { UserError } from "../db/users.ts";
import { AccessRuleError } from "../domain/access_states.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { handleError } from "../routes/errors.tsx";
import { SearchInputError } from "../search/types.ts";
import { MutationRejected } from "../sync/mutation_handlers.ts";

const THROWN: [string, () => Error, number][] = [
  ["AccessRuleError", () => new AccessRuleError("La decisione va motivata.", "reason"), 422],
  ["UserError", () => new UserError("L'utente «mario» esiste già."), 422],
  ["SearchInputError", () => new SearchInputError("page", "Pagina non valida: la prima è 1"), 400],
  ["BranchError", () => new BranchError('La sede "x" è già registrata'), 422],
  ["MutationRejected", () => new MutationRejected("Voce di registro non valida"), 422],
  ["UserFacingError 409", () => new UserFacingError("Già fatto", { status: 409 }), 409],
];

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

function appThrowing(make: () => Error): Hono {
  const app = new Hono();
  for (const prefix of ["", "/api", "/sync/v1"]) {
    app.get(`${prefix}/boom`, () => {
      throw make();
    });
  }
  app.onError(handleError);
  return app;
}

Deno.test("a domain error escaping a handler keeps its 4xx and message in every format", async () => {
  for (const [name, make, status] of THROWN) {
    const app = appThrowing(make);
    const message = make().message;
    const page = await app.request("/boom");
    assert.equal(page.status, status, name);
    assert.ok((await page.text()).includes(escapeHtml(message)), name);
    const hx = await app.request("/boom", { headers: { "HX-Request": "true" } });
    assert.equal(hx.status, status, name);
    assert.equal(hx.headers.get("HX-Retarget"), "#messages", name);
    for (const json of ["/api/boom", "/sync/v1/boom"]) {
      const res = await app.request(json);
      assert.equal(res.status, status, `${name} ${json}`);
      const body = await res.json();
      assert.equal(body.error.message, message, `${name} ${json}`);
    }
  }
});

Deno.test("a field error names its field in the JSON answer", async () => {
  const app = appThrowing(() => new AccessRuleError("Indica la motivazione.", "reason"));
  const body = await (await app.request("/api/boom")).json();
  assert.equal(body.error.field, "reason");
  assert.deepEqual(body.error.fields, { reason: "Indica la motivazione." });
});
