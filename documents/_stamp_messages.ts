/**
 * What the server and its stamping workers say to each other (documents/stamp_pool.ts,
 * documents/_stamp_worker.ts). Only what a page needs crosses: the file's hash, size and
 * type, the page index and the stamp; the PDF comes back as its bytes, transferred.
 */
import type { FileStoreErrorReason, FileStoreHandle } from "./file_store.ts";
import type { Stamp, StampFailure } from "./stamp.ts";
import type { StampCacheOptions } from "./stamp_cache.ts";

/** A file of the store, as the worker reads it itself. */
export interface StoredDoc {
  sha256: string;
  bytes: number;
  mime: "application/pdf" | "image/jpeg" | "image/png";
}

/** The first message: the store to open (its CryptoKeys are cloned, never key material). */
export interface StampWorkerInit {
  store: FileStoreHandle;
  cache: StampCacheOptions;
}

/** What is asked of a worker. */
export type StampJobBody =
  | { op: "count"; doc: StoredDoc }
  | { op: "page"; doc: StoredDoc; pageIndex: number; stamp: Stamp };

/** A job as sent: its id pairs it with its answer. */
export type StampJob = StampJobBody & { id: number };

/** An error of the worker, with what the server needs to throw the same kind again. */
export type StampJobFailure =
  | { kind: "stamp"; reason: StampFailure; message: string }
  | { kind: "store"; reason: FileStoreErrorReason; message: string }
  | { kind: "internal"; message: string };

export type StampJobResult =
  | { id: number; count: number }
  /** `etag`: the hex SHA-256 of `pdf`, hashed in the worker too. */
  | { id: number; pdf: Uint8Array; etag: string }
  | { id: number; failed: StampJobFailure };
