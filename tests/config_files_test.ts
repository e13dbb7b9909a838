/** Where the file store and the trust anchors go by default, and what overrides it. */
import assert from "node:assert/strict";
import { dataDirOf, loadConfig } from "../config.ts";

const none = () => undefined;

Deno.test("the file store and the anchors sit beside the DB file unless told otherwise", () => {
  const plain = loadConfig("branch", {}, none);
  assert.equal(plain.filesRoot, "./data/files");
  assert.equal(plain.trustAnchorsDir, "./data/trust-anchors");
  assert.equal(plain.filesKey, undefined);
  const elsewhere = loadConfig("branch", { db: "/srv/faldone/kiosk.db" }, none);
  assert.equal(elsewhere.filesRoot, "/srv/faldone/files");
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  const set = loadConfig(
    "archive",
    { db: "libsql://db.example.it" },
    env({
      FALDONE_FILES_ROOT: "/mnt/scansioni",
      FALDONE_TRUST_ANCHORS: "/etc/faldone/tsl",
      FALDONE_DB_KEY: "una chiave lunga almeno sedici byte",
    }),
  );
  assert.equal(set.filesRoot, "/mnt/scansioni");
  assert.equal(set.trustAnchorsDir, "/etc/faldone/tsl");
  assert.equal(set.filesKey, "una chiave lunga almeno sedici byte");
  const flag = loadConfig(
    "branch",
    { "files-root": "./altrove" },
    env({
      FALDONE_FILES_ROOT: "/mnt/scansioni",
      FALDONE_DB_KEY: "",
    }),
  );
  assert.equal(flag.filesRoot, "./altrove");
  assert.equal(flag.filesKey, undefined);
});

Deno.test("a DB behind a URL has no folder here: its files default to ./data", () => {
  assert.equal(dataDirOf("libsql://db.example.it"), "./data");
  assert.equal(dataDirOf("file:/var/lib/faldone/f.db"), "/var/lib/faldone");
  assert.equal(dataDirOf("faldone.db"), ".");
});
