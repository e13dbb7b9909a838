/** What the import's main thread and its worker (db/_import_worker.ts) say to each other. */
import type { Vocabulary } from "../domain/validate_record.ts";
import type { PreparedRecords } from "./_prepared_batch.ts";

/** The rules the worker reads the file by. */
export interface ImportSettings {
  vocab: Vocabulary;
  currentYear: number;
  batchSize: number;
  maxLineChars: number;
  maxMessages: number;
  /** Carry each record's named files (`PreparedRecords.files`) for the import to store. */
  withFiles: boolean;
}

/** The worker's first message: the settings and the port everything else goes through. */
export interface ImportStart extends ImportSettings {
  port: MessagePort;
  /** A file the worker reads itself; without it the file comes in pieces on the port. */
  path?: string;
}

/**
 * What the worker read since its previous batch: the records to write in one transaction,
 * and the rejected lines and warnings met along the way, in line order.
 */
export interface ImportBatch {
  records: PreparedRecords;
  errors: string[];
  rejected: number;
  warnings: string[];
  warningCount: number;
  linesRead: number;
  bytesRead: number;
  last: boolean;
}

/**
 * Main thread → worker: a piece of the file, its end, or "one batch written". The worker
 * keeps at most MAX_IN_FLIGHT batches unacknowledged, and the main thread at most
 * MAX_PIECES pieces not yet taken, so memory stays flat whichever side is slower.
 */
export type ToWorker = { bytes: Uint8Array } | { end: true } | { written: true };

/** Worker → main thread: a batch, "one piece of the file taken", or why it stopped. */
export type FromWorker = { batch: ImportBatch } | { taken: true } | { failed: string };

/** Batches sent and not yet acknowledged, at most. */
export const MAX_IN_FLIGHT = 2;
/** Pieces of the file sent and not yet taken by the worker, at most. */
export const MAX_PIECES = 8;
/**
 * Bytes per piece sent to the worker: big, because the main thread forwards the file only
 * between its SQL statements, and the worker must not starve meanwhile.
 */
export const PIECE_BYTES = 1 << 20;
