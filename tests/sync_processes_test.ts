/**
 * The archive and a branch kiosk as two real `main.ts` processes with their own DB files:
 * the kiosk's scheduler brings the archive's records into its search and takes its outbox
 * up; the admin's "Sincronizza ora" brings an edit and a delete.
 */
import assert from "node:assert/strict";
import { count, eq } from "drizzle-orm";
import { appendAudit } from "../db/audit.ts";
import { addBranch } from "../db/branches.ts";
import { openDb } from "../db/client.ts";
import { deleteRecord, upsertRecords } from "../db/records.ts";
import { auditLog } from "../db/schema.ts";
import { addUser, TEST_PASSWORD } from "./_access_client.ts";
import { dossier } from "./fixtures.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const NOW = new Date("2025-03-03T09:00:00Z");

/** Starts `main.ts args…` and resolves with its URL once it prints that it listens. */
async function start(args: string[], env: Record<string, string> = {}) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: ROOT,
    env: { FALDONE_HOST: "127.0.0.1", ...env },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const m = /in ascolto su (http:\/\/\S+)/.exec(text);
    if (m?.[1]) {
      // Keep draining stdout so the child never blocks on a full pipe.
      (async () => {
        while (!(await reader.read()).done);
      })().catch(() => {});
      return {
        url: m[1],
        async [Symbol.asyncDispose]() {
          child.kill("SIGTERM");
          await child.status;
        },
      };
    }
    const { value, done } = await reader.read();
    if (done) throw new Error(`main.ts ${args[0]} exited: ${text}`);
    text += value;
  }
}

/** Polls `probe` (a real HTTP check) until it holds. */
async function until(probe: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!await probe()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function searchIds(base: string, q: string): Promise<string[]> {
  const res = await fetch(`${base}/api/search?q=${encodeURIComponent(q)}`);
  if (res.status !== 200) {
    await res.body?.cancel();
    return [];
  }
  const body = await res.json();
  return body.hits.map((h: { id: string }) => h.id);
}

/** A minimal browser: cookies and the last page's CSRF token, over real HTTP. */
class Browser {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(readonly base: string) {}
  async send(path: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {
      Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    };
    let body: URLSearchParams | undefined;
    if (form) {
      body = new URLSearchParams({ _csrf: this.csrf, ...form });
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    }
    const res = await fetch(`${this.base}${path}`, {
      method: form ? "POST" : "GET",
      headers,
      redirect: "manual",
      ...(body ? { body } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      if (at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m?.[1]) this.csrf = m[1];
    return new Response(html, { status: res.status, headers: res.headers });
  }
}

Deno.test("archive and kiosk processes: records come down into search, the outbox goes up once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-sync-proc-" });
  try {
    const archivePath = `${dir}/archive.db`;
    const branchPath = `${dir}/branch.db`;
    const d1 = dossier({ subject: "COSTRUZIONE PERGOLATO IN GIARDINO" });
    const d2 = dossier({ subject: "RECINZIONE DEL LOTTO AGRICOLO" });
    const archive = await openDb(archivePath);
    await archive.db.transaction((tx) => upsertRecords(tx, [d1, d2], NOW));
    const token = await addBranch(archive.db, "sede-processi", NOW);
    const branch = await openDb(branchPath);
    const entry = await appendAudit(branch.db, { actor: "admin1", action: "prova" }, {
      now: NOW,
      branch: "sede-processi",
      outbox: true,
    });
    await addUser(branch.db, "admin1", "admin", NOW);
    branch.client.close();

    await using archiveServer = await start([
      "archive",
      "--db",
      archivePath,
      "--port",
      "0",
      "--no-demo",
    ]);
    await using kiosk = await start([
      "serve",
      "--db",
      branchPath,
      "--port",
      "0",
      "--archive-url",
      archiveServer.url,
      "--token",
      token,
    ]);
    // The kiosk's scheduler runs at start: the archive's records become searchable there.
    await until(async () => (await searchIds(kiosk.url, "pergolato")).includes(d1.id));
    await until(async () => {
      const [row] = await archive.db.select({ n: count() }).from(auditLog)
        .where(eq(auditLog.id, entry.id));
      return row?.n === 1;
    });

    assert.deepEqual(await searchIds(kiosk.url, "recinzione"), [d2.id]);
    // Public pages say how fresh the branch's copy is.
    const home = await fetch(`${kiosk.url}/`);
    assert.match(await home.text(), /Dati aggiornati al \d{2}\/\d{2}\/\d{4}/);

    // An edit and a delete on the archive, then "Sincronizza ora" on the kiosk.
    await upsertRecords(archive.db, [{ ...d1, subject: "DEMOLIZIONE TETTOIA" }], NOW);
    await deleteRecord(archive.db, "dossier", d2.id, NOW);
    const admin = new Browser(kiosk.url);
    await admin.send("/login");
    const login = await admin.send("/login", { username: "admin1", password: TEST_PASSWORD });
    assert.equal(login.status, 303);
    const page = await admin.send("/admin/sync");
    assert.equal(page.status, 200);
    assert.match(await page.text(), /In linea/);
    assert.equal((await admin.send("/admin/sync/avvia", {})).status, 303);
    await until(async () => (await searchIds(kiosk.url, "tettoia")).includes(d1.id));
    await until(async () => !(await searchIds(kiosk.url, "recinzione")).includes(d2.id));
    assert.deepEqual(await searchIds(kiosk.url, "pergolato"), []);
    const [copies] = await archive.db.select({ n: count() }).from(auditLog)
      .where(eq(auditLog.id, entry.id));
    assert.equal(copies?.n, 1, "the branch's entry reached the archive exactly once");
    archive.client.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
