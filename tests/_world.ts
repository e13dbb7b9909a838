/**
 * The shared test world: a real libSQL file DB in a temp dir (through openDb and its
 * migrations), seeded records, the search index built, createApp with a fixed clock, and
 * `await using` cleanup. Every test builds its own.
 */
import type { Client } from "@libsql/client";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { type Config, loadConfig } from "../config.ts";
import { type Db, openDb, toDbUrl } from "../db/client.ts";
import { upsertRecords } from "../db/records.ts";
import type { RecordDoc } from "../domain/records.ts";
import type { FileStore } from "../documents/file_store.ts";
import { StampPool } from "../documents/stamp_pool.ts";
import { buildRecordIndex, createRecordIndex, type RecordIndex } from "../search/record_index.ts";
import { inThreadCardReader, workerCardReader } from "../search/card_reader.ts";

/** The instant every world's clock returns unless a test gives its own. */
export const FIXED_NOW = new Date("2025-03-03T09:00:00.000Z");

/** What a test may ask of its world. */
export interface TestWorldOptions {
  records?: RecordDoc[];
  clock?: () => Date;
  config?: Partial<Config>;
  /** False leaves the index unbuilt (e.g. to see /healthz say "starting"). Default true. */
  buildIndex?: boolean;
  /** A document file store for the app (uploads, documents); none by default. */
  fileStore?: FileStore;
  /**
   * Stamped pages' workers with a file store (default 1, as the server; 0: on the request
   * thread). They start at the first page asked and stop with the world.
   */
  stampWorkers?: number;
  /** Result cards read by a worker on its own connection, as the server does; off by default. */
  cardWorker?: boolean;
  /** What the composition says of its warm-up after the build (AppDeps.warmedUp); none by default. */
  warmedUp?: () => boolean;
}

/** A running server on a free loopback port. */
export interface ServedWorld {
  url: string;
  close(): Promise<void>;
}

/** Everything a test touches; dispose it with `await using`. */
export interface TestWorld extends AsyncDisposable {
  db: Db;
  client: Client;
  index: RecordIndex;
  app: Hono;
  dir: string;
  clock: () => Date;
  config: Config;
  /** Serves the app on `Deno.serve({ port: 0 })`; closed with the world if not before. */
  serve(): Promise<ServedWorld>;
}

/** Builds a fresh world: temp DB, seeded, indexed, app created. */
export async function createTestWorld(options: TestWorldOptions = {}): Promise<TestWorld> {
  const dir = await Deno.makeTempDir({ prefix: "faldone-test-" });
  const clock = options.clock ?? (() => new Date(FIXED_NOW));
  const config: Config = {
    ...loadConfig("branch", { db: `${dir}/faldone.db`, "no-demo": true }, () => undefined),
    hostname: "127.0.0.1",
    port: 0,
    // The clock stands still, so a test is one rate-limit window: only a test about the API's
    // limit sets one it can reach.
    apiRatePerMinute: 1_000_000,
    ...options.config,
  };
  const { db, client } = await openDb(config.dbPath);
  const records = options.records ?? [];
  if (records.length > 0) await db.transaction((tx) => upsertRecords(tx, records, clock()));
  const index = createRecordIndex();
  if (options.buildIndex ?? true) await buildRecordIndex(db, index);
  const workers = options.stampWorkers ?? 1;
  const stamper = options.fileStore && workers > 0
    ? new StampPool(options.fileStore, { workers })
    : undefined;
  const cardReader = options.cardWorker
    ? workerCardReader({ url: toDbUrl(config.dbPath) }, inThreadCardReader(db))
    : undefined;
  // Until its worker has opened the DB a reader reads in-thread: a test of the worker waits.
  for (let i = 0; cardReader && !cardReader.inWorker() && i < 1_200; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const app = createApp({
    db,
    index,
    clock,
    config,
    fileStore: options.fileStore,
    stamper,
    cardReader,
    warmedUp: options.warmedUp,
  });
  const servers: Deno.HttpServer[] = [];

  return {
    db,
    client,
    index,
    app,
    dir,
    clock,
    config,
    serve() {
      return new Promise((resolve) => {
        const server = Deno.serve({
          port: 0,
          hostname: "127.0.0.1",
          onListen: ({ port }) => {
            resolve({ url: `http://127.0.0.1:${port}`, close: () => server.shutdown() });
          },
        }, app.fetch);
        servers.push(server);
      });
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(servers.map((s) => s.shutdown()));
      await stamper?.close();
      cardReader?.close();
      client.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
