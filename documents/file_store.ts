/**
 * The bytes of documents, beside the DB and never in its rows: a content-addressed store where
 * a file lives at `<root>/ab/cd/<name>`, its name being its sha256 (or, when the store is
 * encrypted, an HMAC of it: see documents/file_cipher.ts and docs/DOCUMENTS.md). The same
 * bytes are stored once, whoever puts them and however often.
 *
 * A put streams into `<root>/.tmp/`, hashing as it goes, checks the expected hash and size,
 * fsyncs and renames into place: a reader sees a whole, verified file or none, and a failure
 * (wrong hash, too large, a cut stream, a crash) leaves no partial file under a real name.
 */
import { createHash } from "node:crypto";
import {
  checkChunkSize,
  chunkCount,
  chunkOffset,
  CipherError,
  DEFAULT_CHUNK_SIZE,
  deriveStoreKeys,
  type FileHeader,
  HEADER_BYTES,
  newHeader,
  openChunk,
  openHeader,
  plainSize,
  sealChunk,
  sealedName,
  sealHeader,
  type StoreKeys,
  TAG_BYTES,
  toHex,
} from "./file_cipher.ts";

/** How a store is opened. */
export interface FileStoreOptions {
  /**
   * Key material (the DB key, e.g. FALDONE_DB_KEY): files are encrypted at rest when given.
   * A store made with a key cannot be opened without it, nor with another one.
   */
  key?: string | Uint8Array | undefined;
  /** The largest file `put` accepts, in bytes, unless a put says otherwise. */
  maxBytes?: number | undefined;
  /** Plaintext bytes per encrypted chunk; only read when a new encrypted store is made. */
  chunkSize?: number | undefined;
}

/** What a caller knows about the bytes it puts (from an import line or a sync manifest). */
export interface Expected {
  sha256?: string | undefined;
  bytes?: number | undefined;
}

export interface PutOptions {
  /** Overrides the store's `maxBytes` for this put (e.g. the counter upload's setting). */
  maxBytes?: number | undefined;
  /** Called after each piece is written, with the bytes taken so far. */
  onProgress?: ((bytes: number) => void) | undefined;
  /**
   * Folders whose new entries the caller makes durable itself, once for many files, with
   * `syncDirs` before anything refers to them (an import syncs each batch's folders together:
   * one folder fsync per file was most of a 2,000-file import's waiting). The file's bytes
   * are synced before it is renamed in either way, so a crash never leaves a partial file
   * under a hash name, at most a file that is not there.
   */
  dirsToSync?: Set<string> | undefined;
  /**
   * Whether a file already under the expected sha256's name, of the expected size, is taken
   * as is without reading the source (default true). False: the source is read and verified
   * all the same, and replaces whatever is under that name: for a caller that knows the name
   * alone is not proof enough (the import trusts a stored file only when its database recorded
   * it verified, docs/IMPORT.md "Re-import"). A file of another size is never trusted.
   */
  trustExisting?: boolean | undefined;
  /**
   * Called with the first piece before it is hashed or kept (for an empty source, with no
   * bytes); throwing refuses the put and leaves nothing. `putFile`'s pieces are whole 1 MiB
   * reads, so there it sees the first 4 KiB of any file that has them: the type's magic bytes,
   * checked on the very bytes that are stored, with no separate open of the source.
   */
  checkHead?: ((head: Uint8Array) => void) | undefined;
}

export interface PutResult {
  sha256: string;
  bytes: number;
  /**
   * False when the store already held these bytes: nothing was written. True when this put
   * wrote them, also over an untrusted file of that name it replaced.
   */
  created: boolean;
}

export interface StoredFile {
  sha256: string;
  /** The plaintext size. */
  bytes: number;
  /** The size on disk (header and tags included when encrypted). */
  storedBytes: number;
  modified: Date | null;
}

/** One file met by `list`: `sha256` is undefined when its header does not open. */
export interface ListedFile {
  name: string;
  sha256: string | undefined;
  bytes: number | undefined;
  storedBytes: number;
  modified: Date | null;
  damaged?: string;
}

/** A byte range to read, like `Blob.slice`: `start` included, `end` excluded. */
export interface ByteRange {
  start?: number | undefined;
  end?: number | undefined;
}

export type FileStoreErrorReason =
  | "hash"
  | "size"
  | "too_large"
  | "missing"
  | "range"
  | "key"
  | "corrupt"
  | "layout";

/** Why the store refused or could not serve; the message is for the user, in Italian. */
export class FileStoreError extends Error {
  constructor(readonly reason: FileStoreErrorReason, message: string) {
    super(message);
  }
}

const MARKER = "faldone-store.json";
const TEMP_DIR = ".tmp";
/** Temp files older than this at open belong to a put that died (a kill -9, a power cut). */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;
const READ_PIECE = 256 * 1024;
/** What `putFile` reads (hashes, seals) at a time. */
const COPY_PIECE = 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;

interface Marker {
  format: "faldone-file-store";
  version: 1;
  encryption: null | { cipher: "AES-256-GCM"; chunkSize: number; keyId: string };
}

/**
 * Opens (and on first use creates) the store at `root`. Throws FileStoreError("key") when the
 * key does not match the store's: at start, not at the first document someone opens.
 */
export async function openFileStore(
  root: string,
  options: FileStoreOptions = {},
): Promise<FileStore> {
  await Deno.mkdir(`${root}/${TEMP_DIR}`, { recursive: true, mode: 0o700 });
  const keys = options.key === undefined ? undefined : await keysOrError(options.key);
  let marker = await readMarker(root);
  if (!marker) {
    if (await hasShards(root)) {
      throw new FileStoreError(
        "layout",
        `La cartella ${root} contiene file ma non ${MARKER}: non è un file store di Faldone`,
      );
    }
    marker = {
      format: "faldone-file-store",
      version: 1,
      encryption: keys
        ? {
          cipher: "AES-256-GCM",
          chunkSize: checkChunkSize(options.chunkSize ?? DEFAULT_CHUNK_SIZE),
          keyId: toHex(keys.keyId),
        }
        : null,
    };
    await writeAtomically(root, MARKER, new TextEncoder().encode(JSON.stringify(marker) + "\n"));
  }
  if (marker.encryption && !keys) {
    throw new FileStoreError(
      "key",
      "Il file store è cifrato: impostare la chiave (FALDONE_DB_KEY) usata per crearlo",
    );
  }
  if (!marker.encryption && keys) {
    throw new FileStoreError(
      "key",
      "Il file store non è cifrato ma è stata data una chiave: va prima cifrato, oppure avviare senza chiave",
    );
  }
  if (marker.encryption && keys && marker.encryption.keyId !== toHex(keys.keyId)) {
    throw new FileStoreError(
      "key",
      "Chiave errata: il file store è stato cifrato con un'altra chiave (FALDONE_DB_KEY)",
    );
  }
  await removeStaleTemps(root);
  return new FileStore(root, options.maxBytes, keys, marker.encryption?.chunkSize);
}

async function keysOrError(material: string | Uint8Array): Promise<StoreKeys> {
  try {
    return await deriveStoreKeys(material);
  } catch (err) {
    if (err instanceof CipherError) throw new FileStoreError("key", err.message);
    throw err;
  }
}

/**
 * What opens the same store in a worker (documents/stamp_pool.ts): its root, limits and keys.
 * The keys are the derived, non-extractable CryptoKeys, which a worker receives as clones: the
 * key material itself (FALDONE_DB_KEY) never leaves the process that read it.
 */
export interface FileStoreHandle {
  root: string;
  maxBytes: number | undefined;
  keys: StoreKeys | undefined;
  chunkSize: number | undefined;
}

/** The store a `FileStore.handle()` describes, e.g. inside a worker (nothing is checked again). */
export function fileStoreFromHandle(handle: FileStoreHandle): FileStore {
  return new FileStore(handle.root, handle.maxBytes, handle.keys, handle.chunkSize);
}

/** The store itself; get one from `openFileStore`. */
export class FileStore {
  /** @internal use openFileStore */
  constructor(
    readonly root: string,
    readonly maxBytes: number | undefined,
    private readonly keys: StoreKeys | undefined,
    private readonly chunkSize: number | undefined,
  ) {}

  /** Shard folders known to exist (made or met by this process's puts). */
  private readonly dirs = new Set<string>();
  /** Read buffers of finished `putFile`s, reused: no garbage per piece. */
  private readonly buffers: Uint8Array[] = [];

  get encrypted(): boolean {
    return this.keys !== undefined;
  }

  /** What a worker needs to open this store itself (`fileStoreFromHandle`). */
  handle(): FileStoreHandle {
    return { root: this.root, maxBytes: this.maxBytes, keys: this.keys, chunkSize: this.chunkSize };
  }

  /**
   * Streams `source` into the store and returns its sha256 and size. With `expected`, a hash
   * or size that differs throws FileStoreError and stores nothing; when a file with the
   * expected hash is already here the source is not even read.
   */
  async put(
    source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
    expected: Expected = {},
    options: PutOptions = {},
  ): Promise<PutResult> {
    const wantSha = expected.sha256 === undefined ? undefined : checkedSha(expected.sha256);
    const limit = options.maxBytes ?? this.maxBytes;
    if (limit !== undefined && expected.bytes !== undefined && expected.bytes > limit) {
      await cancel(source);
      throw tooLarge(limit);
    }
    const before = await this.before(wantSha, expected, options);
    if (before.held) {
      await cancel(source);
      return before.held;
    }
    const temp = this.tempPath();
    const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
    let closed = false;
    const sink = this.keys
      ? new SealingSink(file, this.keys, newHeader(this.chunkSize!))
      : new PlainSink(file);
    try {
      const hash = createHash("sha256");
      await sink.begin();
      let bytes = 0;
      let headSeen = false;
      for await (const piece of source) {
        if (!headSeen) {
          headSeen = true;
          options.checkHead?.(piece);
        }
        bytes += piece.byteLength;
        if (limit !== undefined && bytes > limit) throw tooLarge(limit);
        if (expected.bytes !== undefined && bytes > expected.bytes) {
          throw sizeMismatch(expected.bytes, bytes);
        }
        hash.update(piece);
        await sink.write(piece);
        options.onProgress?.(bytes);
      }
      if (!headSeen) options.checkHead?.(new Uint8Array(0));
      const sha256 = hash.digest("hex");
      checkWhole(expected, wantSha, bytes, sha256);
      await sink.end(sha256);
      await file.syncData();
      file.close();
      closed = true;
      return await this.place(temp, sha256, bytes, before.replace, options.dirsToSync);
    } catch (err) {
      await sink.settle(); // no write still running on the file when it is closed
      if (!closed) file.close();
      await Deno.remove(temp).catch(() => {});
      throw err;
    }
  }

  /**
   * Puts the file at `path`, as `put` does a stream, with less work per byte. A plain store
   * has the kernel copy it into `.tmp` (`copy_file_range`: no byte passes through the process)
   * and then hashes the copy, that is exactly the bytes that will be renamed into place,
   * through one reused 1 MiB buffer; an encrypted store reads the source through such a buffer
   * into the sealing. Same checks, errors and guarantees as `put`.
   */
  async putFile(
    path: string,
    expected: Expected = {},
    options: PutOptions = {},
  ): Promise<PutResult> {
    const wantSha = expected.sha256 === undefined ? undefined : checkedSha(expected.sha256);
    const limit = options.maxBytes ?? this.maxBytes;
    if (limit !== undefined && expected.bytes !== undefined && expected.bytes > limit) {
      throw tooLarge(limit);
    }
    if (this.keys) return await this.put(this.piecesOf(path), expected, options);
    const before = await this.before(wantSha, expected, options);
    if (before.held) return before.held;
    // Without a declared size, a source over the limit is refused before it is copied.
    if (
      limit !== undefined && expected.bytes === undefined && (await Deno.stat(path)).size > limit
    ) {
      throw tooLarge(limit);
    }
    const temp = this.tempPath();
    const buffer = this.buffers.pop() ?? new Uint8Array(COPY_PIECE);
    try {
      await Deno.copyFile(path, temp);
      const hash = createHash("sha256");
      let bytes = 0;
      let sha256: string;
      {
        using file = await Deno.open(temp, { read: true, write: true });
        for (;;) {
          const n = await readFull(file, buffer);
          if (bytes === 0) options.checkHead?.(buffer.subarray(0, n));
          if (n === 0) break;
          bytes += n;
          if (limit !== undefined && bytes > limit) throw tooLarge(limit);
          if (expected.bytes !== undefined && bytes > expected.bytes) {
            throw sizeMismatch(expected.bytes, bytes);
          }
          hash.update(buffer.subarray(0, n));
          options.onProgress?.(bytes);
        }
        sha256 = hash.digest("hex");
        checkWhole(expected, wantSha, bytes, sha256);
        await file.syncData();
      }
      // Deno.copyFile gives the copy the source's mode; the store's files are 0600.
      await Deno.chmod(temp, 0o600);
      return await this.place(temp, sha256, bytes, before.replace, options.dirsToSync);
    } catch (err) {
      await Deno.remove(temp).catch(() => {});
      throw err;
    } finally {
      this.buffers.push(buffer);
    }
  }

  /** A file's pieces through one reused buffer; each is consumed before the next read. */
  private async *piecesOf(path: string): AsyncGenerator<Uint8Array> {
    using file = await Deno.open(path, { read: true });
    const buffer = this.buffers.pop() ?? new Uint8Array(COPY_PIECE);
    try {
      for (;;) {
        const n = await readFull(file, buffer);
        if (n === 0) return;
        yield buffer.subarray(0, n);
      }
    } finally {
      this.buffers.push(buffer);
    }
  }

  /**
   * What the store holds under the expected name before a put: `held` when it can be taken as
   * is (trusted, of the expected size: nothing is read), `replace` when a file there is not
   * trusted and the verified copy is to be renamed over it.
   */
  private async before(
    wantSha: string | undefined,
    expected: Expected,
    options: PutOptions,
  ): Promise<{ held?: PutResult; replace: boolean }> {
    if (!wantSha) return { replace: false };
    const here = await this.stat(wantSha).catch((err) => {
      // A damaged file (a size no encrypted file can have) is replaced like any untrusted one.
      if (err instanceof FileStoreError && err.reason === "corrupt") return "damaged" as const;
      throw err;
    });
    if (!here) return { replace: false };
    if (
      here !== "damaged" && options.trustExisting !== false &&
      (expected.bytes === undefined || here.bytes === expected.bytes)
    ) {
      return { held: { sha256: wantSha, bytes: here.bytes, created: false }, replace: false };
    }
    return { replace: true };
  }

  private tempPath(): string {
    return `${this.root}/${TEMP_DIR}/${crypto.randomUUID()}.part`;
  }

  /**
   * Renames a verified, synced temp file into place. When the name is already taken by a put
   * that ran at the same time (not `replace`), the temp file is dropped: same bytes.
   */
  private async place(
    temp: string,
    sha256: string,
    bytes: number,
    replace: boolean,
    dirsToSync: Set<string> | undefined,
  ): Promise<PutResult> {
    const path = await this.pathOf(sha256);
    if (!replace && await exists(path)) {
      await Deno.remove(temp);
      return { sha256, bytes, created: false };
    }
    const dir = path.slice(0, path.lastIndexOf("/"));
    const made = await this.ensureDir(dir);
    try {
      await Deno.rename(temp, path);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
      // The folder was removed since it was made (by hand): made again, once.
      this.dirs.delete(dir);
      made.push(...await this.ensureDir(dir));
      await Deno.rename(temp, path);
    }
    const toSync = [dir, ...made];
    if (dirsToSync) { for (const d of toSync) dirsToSync.add(d); }
    else await this.syncDirs(toSync);
    return { sha256, bytes, created: true };
  }

  /**
   * Makes a shard folder `<root>/ab/cd` if needed; returns the folders that got a new entry
   * (its parent, and the root for a new `ab`), whose entries must be synced too: a new file in
   * a new folder is only durable once the folder's own name is.
   */
  private async ensureDir(dir: string): Promise<string[]> {
    if (this.dirs.has(dir)) return [];
    const parent = dir.slice(0, dir.lastIndexOf("/"));
    const made: string[] = [];
    let isNew: boolean;
    try {
      isNew = await mkdirOnce(dir);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
      if (await mkdirOnce(parent)) made.push(this.root);
      isNew = await mkdirOnce(dir);
    }
    if (isNew) made.push(parent);
    if (this.dirs.size >= 100_000) this.dirs.clear();
    this.dirs.add(dir);
    return made;
  }

  /**
   * Takes a finished file of ours (a verified download under the store's `.tmp`) into the
   * store. A plain store hashes it through one reused buffer and renames it into place: no
   * copy, and no garbage per piece (a 1 GB file fetched by a branch otherwise grew the process
   * by over 80 MB before V8 collected the pieces). An encrypted store seals a copy as `put`
   * does. The file at `path` is gone afterwards, whatever the outcome.
   */
  async adopt(path: string, expected: Expected = {}): Promise<PutResult> {
    if (this.keys || !path.startsWith(`${this.root}/${TEMP_DIR}/`)) {
      try {
        const file = await Deno.open(path, { read: true });
        return await this.put(file.readable, expected);
      } finally {
        await Deno.remove(path).catch(() => {});
      }
    }
    try {
      const wantSha = expected.sha256 === undefined ? undefined : checkedSha(expected.sha256);
      const hash = createHash("sha256");
      let bytes = 0;
      {
        using file = await Deno.open(path, { read: true, write: true });
        const piece = new Uint8Array(1 << 20);
        for (;;) {
          const n = await file.read(piece);
          if (n === null) break;
          hash.update(piece.subarray(0, n));
          bytes += n;
        }
        await file.syncData();
      }
      const sha256 = hash.digest("hex");
      checkWhole(expected, wantSha, bytes, sha256);
      await Deno.chmod(path, 0o600);
      return await this.place(path, sha256, bytes, false, undefined);
    } finally {
      await Deno.remove(path).catch(() => {});
    }
  }

  /** Makes the entries of `dirs` durable (see PutOptions.dirsToSync), all at once. */
  async syncDirs(dirs: Iterable<string>): Promise<void> {
    await Promise.all([...dirs].map(syncDir));
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== undefined;
  }

  /** Size and time of the file with this sha256, or undefined when the store does not hold it. */
  async stat(sha256: string): Promise<StoredFile | undefined> {
    const sha = checkedSha(sha256);
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(await this.pathOf(sha));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined;
      throw err;
    }
    const bytes = this.plainBytesOf(info.size);
    if (bytes === undefined) {
      throw new FileStoreError("corrupt", `File ${sha} danneggiato: dimensione non valida`);
    }
    return { sha256: sha, bytes, storedBytes: info.size, modified: info.mtime };
  }

  /**
   * The bytes `range.start` (default 0) to `range.end` (excluded; default the end) of a file
   * as a stream, read on demand: an encrypted file decrypts only the chunks the range touches.
   * Throws FileStoreError "missing", "range", "key" or "corrupt" before any byte is sent; a
   * chunk altered on disk errors the stream when it is reached, and no byte of it is given.
   */
  async open(sha256: string, range: ByteRange = {}): Promise<ReadableStream<Uint8Array>> {
    const sha = checkedSha(sha256);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(await this.pathOf(sha), { read: true });
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        throw new FileStoreError("missing", `File ${sha} non presente in questa sede`);
      }
      throw err;
    }
    try {
      const stored = (await file.stat()).size;
      if (!this.keys) {
        const { start, end } = checkedRange(range, stored);
        if (end === stored) {
          // To the end (a whole file, a player's `bytes=N-`): Deno's own file stream, which
          // Deno.serve sends natively; it closes the file when done or cancelled.
          await file.seek(start, Deno.SeekMode.Start);
          return file.readable;
        }
        return plainStream(file, start, end);
      }
      const header = await readHeader(file, this.keys);
      if (header.sha256 !== sha) {
        throw new FileStoreError(
          "corrupt",
          `File ${sha} alterato: sul disco c'è il contenuto di un altro file`,
        );
      }
      const size = plainSize(stored, header.chunkSize);
      if (size === undefined) {
        throw new FileStoreError("corrupt", `File ${sha} troncato o danneggiato`);
      }
      const { start, end } = checkedRange(range, size);
      return sealedStream(file, this.keys, header, size, start, end);
    } catch (err) {
      file.close();
      if (err instanceof CipherError) throw new FileStoreError(err.reason, err.message);
      throw err;
    }
  }

  /** Deletes the file; false when it was not here. */
  async remove(sha256: string): Promise<boolean> {
    try {
      await Deno.remove(await this.pathOf(checkedSha(sha256)));
      return true;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      throw err;
    }
  }

  /** Every stored file; an encrypted store reads each header to tell its sha256. */
  async *list(): AsyncGenerator<ListedFile> {
    for await (const { path, name, info } of this.walk()) {
      const base = { name, storedBytes: info.size, modified: info.mtime };
      if (!this.keys) {
        yield { ...base, sha256: name, bytes: info.size };
        continue;
      }
      const file = await Deno.open(path, { read: true });
      try {
        const header = await readHeader(file, this.keys);
        yield { ...base, sha256: header.sha256, bytes: plainSize(info.size, header.chunkSize) };
      } catch (err) {
        if (!(err instanceof CipherError)) throw err;
        yield { ...base, sha256: undefined, bytes: undefined, damaged: err.message };
      } finally {
        file.close();
      }
    }
  }

  /** How many files and bytes the store holds, on disk and as plaintext, for a disk budget. */
  async usage(): Promise<{ files: number; bytes: number; storedBytes: number }> {
    let files = 0, bytes = 0, storedBytes = 0;
    for await (const { info } of this.walk()) {
      files++;
      storedBytes += info.size;
      bytes += this.plainBytesOf(info.size) ?? 0;
    }
    return { files, bytes, storedBytes };
  }

  private plainBytesOf(storedBytes: number): number | undefined {
    return this.chunkSize === undefined ? storedBytes : plainSize(storedBytes, this.chunkSize);
  }

  private async pathOf(sha256: string): Promise<string> {
    const name = this.keys ? await sealedName(this.keys, sha256) : sha256;
    return `${this.root}/${name.slice(0, 2)}/${name.slice(2, 4)}/${name}`;
  }

  private async *walk(): AsyncGenerator<{ path: string; name: string; info: Deno.FileInfo }> {
    for (const a of await shardDirs(this.root)) {
      for (const b of await shardDirs(`${this.root}/${a}`)) {
        for await (const entry of Deno.readDir(`${this.root}/${a}/${b}`)) {
          if (!entry.isFile || !SHA256.test(entry.name)) continue;
          const path = `${this.root}/${a}/${b}/${entry.name}`;
          const info = await Deno.stat(path).catch(() => undefined);
          if (info) yield { path, name: entry.name, info };
        }
      }
    }
  }
}

/** How many chunks are sealed or opened at once: WebCrypto runs them on other threads. */
const CHUNKS_IN_FLIGHT = 4;
/** Plaintext pieces are gathered to this size before a write, whatever the source sends. */
const WRITE_BATCH = 512 * 1024;

/**
 * Writes plaintext in batches, one write in flight while the next batch is read and hashed
 * (the write runs on another thread).
 */
class PlainSink {
  private pieces: Uint8Array[] = [];
  private gathered = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: Deno.FsFile) {}

  async begin(): Promise<void> {}

  async write(piece: Uint8Array): Promise<void> {
    this.pieces.push(piece);
    this.gathered += piece.length;
    if (this.gathered >= WRITE_BATCH) await this.flush();
  }

  async end(_sha256: string): Promise<void> {
    await this.flush();
    await this.writing;
  }

  /** Waits for the write in flight, whatever its outcome (after a failure). */
  async settle(): Promise<void> {
    await this.writing.catch(() => {});
  }

  private async flush(): Promise<void> {
    const batch = this.pieces.length === 1 ? this.pieces[0]! : concat(this.pieces, this.gathered);
    this.pieces = [];
    this.gathered = 0;
    await this.writing;
    this.writing = writeAll(this.file, batch);
    this.writing.catch(() => {}); // awaited by the next flush or end; not unhandled meanwhile
  }
}

/**
 * Collects pieces into chunks and seals several at once, writing them in order. A full
 * chunk waits until more bytes come, since only then is it known not to be the last one.
 */
class SealingSink {
  private buffer: Uint8Array;
  private filled = 0;
  private index = 0;
  private sealing: Promise<Uint8Array>[] = [];

  constructor(
    private readonly file: Deno.FsFile,
    private readonly keys: StoreKeys,
    private readonly header: FileHeader,
  ) {
    this.buffer = new Uint8Array(header.chunkSize);
  }

  begin(): Promise<void> {
    return writeAll(this.file, new Uint8Array(HEADER_BYTES)); // filled in by end()
  }

  async write(piece: Uint8Array): Promise<void> {
    let at = 0;
    while (at < piece.length) {
      if (this.filled === this.buffer.length) await this.flush(false);
      const take = Math.min(piece.length - at, this.buffer.length - this.filled);
      this.buffer.set(piece.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
    }
  }

  async end(sha256: string): Promise<void> {
    await this.flush(true);
    while (this.sealing.length) await this.writeOldest();
    await this.file.seek(0, Deno.SeekMode.Start);
    await writeAll(this.file, await sealHeader(this.keys, this.header, sha256));
  }

  private async flush(final: boolean): Promise<void> {
    const plain = this.buffer.subarray(0, this.filled);
    const sealed = sealChunk(this.keys, this.header, this.index, plain, final);
    sealed.catch(() => {}); // awaited in writeOldest; not unhandled meanwhile
    this.sealing.push(sealed);
    this.index++;
    this.buffer = new Uint8Array(this.header.chunkSize); // the one given away is not reused
    this.filled = 0;
    if (this.sealing.length >= CHUNKS_IN_FLIGHT) await this.writeOldest();
  }

  /** Waits for the chunks being sealed, whatever their outcome (after a failure). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.sealing);
  }

  private async writeOldest(): Promise<void> {
    await writeAll(this.file, await this.sealing.shift()!);
  }
}

function concat(pieces: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

function plainStream(file: Deno.FsFile, start: number, end: number): ReadableStream<Uint8Array> {
  let at = start;
  let done = false;
  const finish = () => {
    if (!done) file.close();
    done = true;
  };
  return new ReadableStream<Uint8Array>({
    async start() {
      await file.seek(start, Deno.SeekMode.Start);
    },
    async pull(controller) {
      try {
        if (at >= end) {
          finish();
          controller.close();
          return;
        }
        const piece = new Uint8Array(Math.min(READ_PIECE, end - at));
        await readExactly(file, piece);
        at += piece.length;
        controller.enqueue(piece);
      } catch (err) {
        finish();
        controller.error(err);
      }
    },
    cancel: finish,
  }, { highWaterMark: 0 });
}

/**
 * The chunks a range touches, read in order and opened several at once (a whole-file read
 * decrypts on other threads while the previous chunk is sent). Nothing outside the range is
 * read or decrypted.
 */
function sealedStream(
  file: Deno.FsFile,
  keys: StoreKeys,
  header: FileHeader,
  size: number,
  start: number,
  end: number,
): ReadableStream<Uint8Array> {
  const c = header.chunkSize;
  const last = chunkCount(size, c) - 1;
  let next = Math.floor(start / c); // the next chunk to read
  const opening: { index: number; plain: Promise<Uint8Array> }[] = [];
  let done = false;
  const finish = () => {
    if (!done) file.close();
    done = true;
  };
  async function readAhead(): Promise<void> {
    while (opening.length < CHUNKS_IN_FLIGHT && next * c < end) {
      const index = next++;
      const plainLength = index === last ? size - index * c : c;
      const sealed = new Uint8Array(plainLength + TAG_BYTES);
      await file.seek(chunkOffset(index, c), Deno.SeekMode.Start);
      await readExactly(file, sealed);
      const plain = openChunk(keys, header, index, sealed, index === last);
      plain.catch(() => {}); // awaited by pull in order; not unhandled meanwhile
      opening.push({ index, plain });
    }
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (start < end) await readAhead();
        const chunk = opening.shift();
        if (!chunk) {
          finish();
          controller.close();
          return;
        }
        const plain = await chunk.plain;
        const from = Math.max(start - chunk.index * c, 0);
        const to = Math.min(end - chunk.index * c, plain.length);
        controller.enqueue(plain.subarray(from, to));
      } catch (err) {
        finish();
        controller.error(
          err instanceof CipherError ? new FileStoreError(err.reason, err.message) : err,
        );
      }
    },
    cancel: finish,
  }, { highWaterMark: 0 });
}

async function readHeader(
  file: Deno.FsFile,
  keys: StoreKeys,
): Promise<FileHeader & { sha256: string }> {
  const bytes = new Uint8Array(HEADER_BYTES);
  await file.seek(0, Deno.SeekMode.Start);
  try {
    await readExactly(file, bytes);
  } catch {
    throw new CipherError("corrupt", "File cifrato troncato: manca l'intestazione");
  }
  return await openHeader(keys, bytes);
}

function checkedSha(sha256: string): string {
  const sha = sha256.toLowerCase();
  if (!SHA256.test(sha)) {
    throw new FileStoreError("hash", `Impronta sha256 non valida: "${sha256.slice(0, 80)}"`);
  }
  return sha;
}

function checkedRange(range: ByteRange, size: number): { start: number; end: number } {
  const start = range.start ?? 0;
  const end = range.end ?? size;
  if (
    !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > size || start > end
  ) {
    throw new FileStoreError(
      "range",
      `Intervallo di byte ${start}-${end} fuori dal file di ${size} byte`,
    );
  }
  return { start, end };
}

/** Throws when a whole source's size or hash is not the expected one. */
function checkWhole(
  expected: Expected,
  wantSha: string | undefined,
  bytes: number,
  sha256: string,
): void {
  if (expected.bytes !== undefined && bytes !== expected.bytes) {
    throw sizeMismatch(expected.bytes, bytes);
  }
  if (wantSha && sha256 !== wantSha) {
    throw new FileStoreError(
      "hash",
      `Impronta sha256 diversa da quella attesa: il file è alterato o non è quello indicato (${sha256})`,
    );
  }
}

/**
 * Makes one folder (0700): true when this call made it, false when it was there; throws
 * NotFound when its parent is missing.
 */
async function mkdirOnce(dir: string): Promise<boolean> {
  try {
    await Deno.mkdir(dir, { mode: 0o700 });
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) return false;
    throw err;
  }
}

function tooLarge(limit: number): FileStoreError {
  return new FileStoreError(
    "too_large",
    `File troppo grande: il limite è ${(limit / 1_000_000).toLocaleString("it-IT")} MB`,
  );
}

function sizeMismatch(expected: number, got: number): FileStoreError {
  return new FileStoreError(
    "size",
    `Dimensione diversa da quella attesa: ${expected} byte dichiarati, ${got} ${
      got > expected ? "o più " : ""
    }trovati`,
  );
}

async function cancel(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<void> {
  if (source instanceof ReadableStream) await source.cancel().catch(() => {});
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await file.write(bytes.subarray(at));
}

/** Fills `into` from the file, short only at its end; the bytes read (0 at the end). */
async function readFull(file: Deno.FsFile, into: Uint8Array): Promise<number> {
  let at = 0;
  while (at < into.length) {
    const n = await file.read(into.subarray(at));
    if (n === null) break;
    at += n;
  }
  return at;
}

async function readExactly(file: Deno.FsFile, into: Uint8Array): Promise<void> {
  let at = 0;
  while (at < into.length) {
    const n = await file.read(into.subarray(at));
    if (n === null) throw new FileStoreError("corrupt", "File più corto del previsto");
    at += n;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** Makes a rename durable: without it a power cut may forget the new name. */
async function syncDir(dir: string): Promise<void> {
  const handle = await Deno.open(dir, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

async function writeAtomically(root: string, name: string, bytes: Uint8Array): Promise<void> {
  const temp = `${root}/${TEMP_DIR}/${crypto.randomUUID()}.part`;
  await Deno.writeFile(temp, bytes, { mode: 0o600 });
  await Deno.rename(temp, `${root}/${name}`);
  await syncDir(root);
}

async function readMarker(root: string): Promise<Marker | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${root}/${MARKER}`);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
  const marker = JSON.parse(text) as Marker;
  if (marker.format !== "faldone-file-store" || marker.version !== 1) {
    throw new FileStoreError("layout", `${MARKER} di un formato sconosciuto in ${root}`);
  }
  return marker;
}

async function shardDirs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory && /^[0-9a-f]{2}$/.test(entry.name)) out.push(entry.name);
  }
  return out.sort();
}

async function hasShards(root: string): Promise<boolean> {
  return (await shardDirs(root)).length > 0;
}

async function removeStaleTemps(root: string): Promise<void> {
  const now = Date.now();
  for await (const entry of Deno.readDir(`${root}/${TEMP_DIR}`)) {
    if (!entry.name.endsWith(".part")) continue;
    const path = `${root}/${TEMP_DIR}/${entry.name}`;
    const info = await Deno.stat(path).catch(() => undefined);
    if (info?.mtime && now - info.mtime.getTime() > STALE_TEMP_MS) {
      await Deno.remove(path).catch(() => {});
    }
  }
}
