/**
 * What every route area may use, built once by the composition (cli/serve.ts, cli/archive.ts)
 * or per test (tests/_world.ts). Its own module, so routes depend on this contract and not on
 * app.ts, which mounts them.
 */
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";
import type { FileStore } from "./documents/file_store.ts";
import type { RecordIndex } from "./search/record_index.ts";
import type { CardReader } from "./search/card_reader.ts";
import type { SyncScheduler } from "./sync/scheduler.ts";
import type { BookingEventSink } from "./db/booking_events.ts";
import type { PageStamper } from "./documents/stamp_pool.ts";

/** The dependencies of every route area. */
export interface AppDeps {
  db: Db;
  index: RecordIndex;
  /**
   * Reads result cards in a worker on its own connection (search/card_reader.ts), closed with
   * the server. Without one they are read on the request thread.
   */
  cardReader?: CardReader | undefined;
  clock: () => Date;
  config: Config;
  /** The branch's background sync, when an archive is configured (admin page, "Sincronizza ora"). */
  syncScheduler?: SyncScheduler | undefined;
  /** The document file store; without it documents are metadata only (no upload, no view). */
  fileStore?: FileStore | undefined;
  /**
   * Makes the stamped pages of a consultation (issue 11): the server's worker pool
   * (documents/stamp_pool.ts), closed with the server. Without one they are made on the
   * request thread.
   */
  stamper?: PageStamper | undefined;
  /**
   * Whether the composition has finished what it does once the index is built (the cache
   * warm-up, a full collection of the build's garbage): `/healthz` says ready only then, so
   * a kiosk declared ready answers at its usual speed. Absent: ready with the index.
   */
  warmedUp?: (() => boolean) | undefined;
  /** Told when a booking is confirmed, cancelled or rescheduled here (notices hook in). */
  onBookingEvent?: BookingEventSink | undefined;
}
