/**
 * The pages of a stored TIFF as PNG images for the viewer, converted at first view and kept.
 *
 * - Conversion runs in a worker (documents/_tiff_page_worker.ts), one TIFF at a time for the
 *   whole server: a kiosk PC has two cores, and the requests keep one.
 * - A TIFF is never converted twice at once: every viewer of it waits on the same conversion,
 *   and each page is served as soon as it is ready (page 1 does not wait for page 20).
 * - Each PNG goes into the file store like any file (encrypted when the store is), recorded
 *   through `onStored` so the disk budget counts it; which PNGs make the pages of which TIFF
 *   is a small list in `<store>/.pages/<tiff sha256>.json`. A list whose PNG went missing
 *   (evicted) is converted again.
 */
import type { FileStore } from "./file_store.ts";
import type { FromTiffWorker } from "./_tiff_page_messages.ts";

/** The pages of one TIFF. */
export interface TiffPageSet {
  count: number;
  /** The sha256 of page `index` (0-based) once stored; rejects if the conversion failed. */
  page(index: number): Promise<string>;
}

/** A stored PNG page, for the caller's bookkeeping (a `document_files` row). */
export interface StoredPage {
  sha256: string;
  bytes: number;
  created: boolean;
}

/** A TIFF that cannot be shown: the message is for the user, in Italian. */
export class TiffPagesError extends Error {}

interface Manifest {
  format: "faldone-tiff-pages";
  version: 1;
  pages: { sha256: string; bytes: number }[];
}

/** Converts and remembers the pages of TIFFs in `store`. */
export class TiffPageCache {
  private readonly running = new Map<string, Promise<TiffPageSet>>();
  /** One conversion at a time: each starts after the previous one ended. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: FileStore,
    private readonly onStored: (page: StoredPage) => Promise<void> = () => Promise.resolve(),
  ) {}

  /** The pages of the stored TIFF `sha256`, converting it if no complete list is kept. */
  pages(sha256: string): Promise<TiffPageSet> {
    const running = this.running.get(sha256);
    if (running) return running;
    const started = this.fromManifest(sha256).then((kept) => kept ?? this.convert(sha256));
    this.running.set(sha256, started);
    // Once the count is known the set is kept until its conversion ends (see convert).
    started.catch(() => this.running.delete(sha256));
    return started;
  }

  private manifestPath(sha256: string): string {
    return `${this.store.root}/.pages/${sha256}.json`;
  }

  private async fromManifest(sha256: string): Promise<TiffPageSet | undefined> {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await Deno.readTextFile(this.manifestPath(sha256)));
    } catch {
      return undefined; // none yet, or unreadable: convert again
    }
    if (manifest.format !== "faldone-tiff-pages" || !Array.isArray(manifest.pages)) {
      return undefined;
    }
    for (const page of manifest.pages) if (!await this.store.has(page.sha256)) return undefined;
    this.running.delete(sha256);
    const shas = manifest.pages.map((p) => p.sha256);
    return {
      count: shas.length,
      page: (index) =>
        index >= 0 && index < shas.length
          ? Promise.resolve(shas[index]!)
          : Promise.reject(new RangeError(`page ${index} of ${shas.length}`)),
    };
  }

  private convert(sha256: string): Promise<TiffPageSet> {
    return new Promise<TiffPageSet>((resolveSet, rejectSet) => {
      const slots: PromiseWithResolvers<string>[] = [];
      let failure: Error | undefined;
      const fail = (err: Error) => {
        failure ??= err;
        rejectSet(failure);
        for (const slot of slots) slot.reject(failure);
      };
      const job = this.queue.then(() => this.runWorker(sha256, slots, resolveSet, fail));
      this.queue = job.catch(() => {});
      job.catch((err) => fail(err instanceof Error ? err : new Error(String(err))))
        .finally(() => this.running.delete(sha256));
    });
  }

  private async runWorker(
    sha256: string,
    slots: PromiseWithResolvers<string>[],
    resolveSet: (set: TiffPageSet) => void,
    fail: (err: Error) => void,
  ): Promise<void> {
    const bytes = new Uint8Array(await new Response(await this.store.open(sha256)).arrayBuffer());
    const worker = new Worker(new URL("./_tiff_page_worker.ts", import.meta.url), {
      type: "module",
    });
    const stored: Manifest["pages"] = [];
    // Pages are stored in order, one after the other, while the worker decodes the next.
    let storing: Promise<void> = Promise.resolve();
    try {
      await new Promise<void>((resolve, reject) => {
        worker.onerror = (event) => {
          event.preventDefault(); // handled here, not a crash of the whole server
          reject(new TiffPagesError(`Conversione del TIFF non riuscita: ${event.message}`));
        };
        worker.onmessage = (event: MessageEvent<FromTiffWorker>) => {
          const m = event.data;
          if ("count" in m) {
            for (let i = 0; i < m.count; i++) {
              const slot = Promise.withResolvers<string>();
              slot.promise.catch(() => {}); // a page nobody asked for may fail unobserved
              slots.push(slot);
            }
            resolveSet({
              count: m.count,
              page: (index) =>
                slots[index]?.promise ??
                  Promise.reject(new RangeError(`page ${index} of ${m.count}`)),
            });
          } else if ("page" in m) {
            storing = storing.then(async () => {
              const put = await this.store.put(ReadableStream.from([m.png]));
              await this.onStored(put);
              stored[m.page] = { sha256: put.sha256, bytes: put.bytes };
              slots[m.page]?.resolve(put.sha256);
            });
            storing.catch(reject);
          } else if ("done" in m) {
            storing.then(resolve, reject);
          } else {
            reject(new TiffPagesError(m.failed));
          }
        };
        worker.postMessage(bytes, [bytes.buffer]);
      });
    } catch (err) {
      fail(err instanceof Error ? err : new Error(String(err)));
      return;
    } finally {
      worker.terminate();
    }
    await this.writeManifest(sha256, stored);
  }

  private async writeManifest(sha256: string, pages: Manifest["pages"]): Promise<void> {
    const path = this.manifestPath(sha256);
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
    const temp = `${path}.${crypto.randomUUID()}.part`;
    const manifest: Manifest = { format: "faldone-tiff-pages", version: 1, pages };
    await Deno.writeTextFile(temp, JSON.stringify(manifest), { mode: 0o600 });
    await Deno.rename(temp, path); // a reader sees a whole list or none
  }
}
