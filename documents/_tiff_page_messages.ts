/** What the TIFF page worker (documents/_tiff_page_worker.ts) sends back. */
export type FromTiffWorker =
  | { count: number }
  | { page: number; png: Uint8Array }
  | { done: true }
  | { failed: string };
