/**
 * The real `main.ts archive` process sends notices: its sender job starts with it and reads
 * the App IO key and the SMTP password from the environment. Run first with a wrong key and
 * password (nothing sent, reasons recorded), then with the right ones (each notice delivered
 * once); neither run prints the key or the password.
 */
import assert from "node:assert/strict";
import { openDb } from "../db/client.ts";
import { createAccessRequest } from "../db/access_requests.ts";
import { notices } from "../db/schema.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import { startChannels } from "./_notice_setup.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CF = "RSSMRA85T10A562S";

/** Starts `main.ts archive`, collecting everything it prints on both streams. */
function startArchive(dbPath: string, env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "archive", "--db", dbPath, "--port", "0", "--no-demo"],
    cwd: ROOT,
    env: { FALDONE_HOST: "127.0.0.1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = { text: "" };
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output.text += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  return {
    output,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drained;
    },
  };
}

async function until(probe: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!await probe()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

Deno.test("main.ts archive sends due notices with the configured channels and logs no secret", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-notices-" });
  try {
    await using ch = await startChannels([CF]);
    const dbPath = `${dir}/archive.db`;
    const { db, client } = await openDb(dbPath);
    await createAccessRequest(db, {
      regime: "civico_generalizzato",
      requesterName: "Mario Rossi",
      taxCode: CF,
      email: "mario.rossi@example.it",
      notifyAppIo: true,
      mode: "view",
      records: [],
      recordsDescription: "Licenza edilizia del 1987",
    }, {
      now: new Date(),
      branch: "archivio",
      branchCode: "AR",
      outbox: false,
      settings: DEFAULT_DEADLINE_SETTINGS,
    });
    const wrongKey = "io-WRONG-key-3b9e2c";
    const wrongPassword = "smtp-WRONG-password-81d0";
    const env = (key: string, password: string) => ({
      FALDONE_APPIO_KEY: key,
      FALDONE_APPIO_URL: ch.io.baseUrl,
      FALDONE_SMTP_HOST: "127.0.0.1",
      FALDONE_SMTP_PORT: String(ch.sink.port),
      FALDONE_SMTP_FROM: "Comune di Borgo Esempio <avvisi@comune.example.it>",
      FALDONE_SMTP_USER: ch.sink.user,
      FALDONE_SMTP_PASSWORD: password,
    });

    // Wrong key and password: both channels fail (temporarily), with reasons to read.
    const first = startArchive(dbPath, env(wrongKey, wrongPassword));
    await until(async () => {
      const rows = await db.select().from(notices);
      return rows.length === 2 && rows.every((n) => n.attempts > 0);
    });
    await first.stop();
    const failed = await db.select().from(notices);
    assert.ok(failed.every((n) => n.state === "pending" && n.lastError));
    assert.equal(ch.sink.mails.length + ch.io.messages.length, 0);

    // The admin fixes both and restarts; the test does not wait out the backoff.
    await db.update(notices).set({ nextAttemptAt: new Date().toISOString() });
    const second = startArchive(dbPath, env(ch.io.key, ch.sink.password));
    await until(() => ch.sink.mails.length === 1 && ch.io.messages.length === 1);
    await until(async () => (await db.select().from(notices)).every((n) => n.state === "sent"));
    await new Promise((r) => setTimeout(r, 500));
    await second.stop();
    assert.equal(ch.sink.mails.length, 1);
    assert.equal(ch.io.messages.length, 1);

    const printed = first.output.text + second.output.text;
    assert.match(printed, /Avvisi ai cittadini: App IO attivo, e-mail attiva \(127\.0\.0\.1:/);
    for (const secret of [wrongKey, wrongPassword, ch.io.key, ch.sink.password]) {
      assert.ok(!printed.includes(secret), `${secret.slice(0, 8)}… printed`);
    }
    client.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
