/**
 * Encryption at rest of the file store: AES-256-GCM over fixed-size chunks, so that a byte
 * range is read by decrypting only the chunks it touches (seeking in a 1 GB video must not
 * decrypt the whole file). The keys come from the same material as the DB key, through HKDF.
 *
 * A stored file is a header, then its chunks, each `chunkSize` bytes of plaintext (the last
 * one shorter, and empty only for an empty file) followed by its 16-byte GCM tag:
 *
 *   0   8  magic "FALDSTO1"
 *   8   8  key id: tells a wrong key from a damaged file
 *   16  4  chunk size, big-endian
 *   20  8  random nonce prefix, new for every file
 *   28 48  the plaintext's sha256, sealed (nonce prefix ‖ FFFFFFFF, AAD = bytes 0..28):
 *          binds the file to its name, and lets `list` say which sha256 a file holds
 *   76  4  reserved, zero
 *
 * Chunk i is sealed with nonce = prefix ‖ u32 i and AAD = one byte, 1 on the last chunk:
 * a file cut at a chunk boundary, chunks moved or swapped in from another file all fail.
 */

/** Plaintext bytes per chunk unless the store was made with another size. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
export const HEADER_BYTES = 80;
export const TAG_BYTES = 16;
const MAGIC = new TextEncoder().encode("FALDSTO1");
const SHA_SLOT = 0xffffffff;

/** The keys of an encrypted store, all derived from one secret. */
export interface StoreKeys {
  /** Seals chunks and the header's sha256. */
  aes: CryptoKey;
  /** Names files by HMAC(sha256), so the disk does not say which known file it holds. */
  names: CryptoKey;
  /** 8 bytes, public: recorded in the store marker and each header to spot a wrong key. */
  keyId: Uint8Array;
}

/** Why a stored file could not be read back. */
export class CipherError extends Error {
  constructor(readonly reason: "key" | "corrupt", message: string) {
    super(message);
  }
}

const enc = new TextEncoder();

/**
 * Derives the store's keys from key material (e.g. the value of FALDONE_DB_KEY) with
 * HKDF-SHA256; each purpose gets its own `info`, so no key is used for two jobs and the DB
 * key itself never touches a file.
 */
export async function deriveStoreKeys(material: string | Uint8Array): Promise<StoreKeys> {
  const raw = typeof material === "string" ? enc.encode(material) : material;
  if (raw.length < 16) {
    throw new CipherError("key", "Chiave del file store troppo corta: servono almeno 16 byte");
  }
  const base = await crypto.subtle.importKey("raw", raw as BufferSource, "HKDF", false, [
    "deriveKey",
    "deriveBits",
  ]);
  const params = (info: string): HkdfParams => ({
    name: "HKDF",
    hash: "SHA-256",
    salt: enc.encode("faldone file store"),
    info: enc.encode(info),
  });
  const aes = await crypto.subtle.deriveKey(
    params("aes-256-gcm chunks v1"),
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  const names = await crypto.subtle.deriveKey(
    params("hmac file names v1"),
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
  const keyId = new Uint8Array(await crypto.subtle.deriveBits(params("key id v1"), base, 64));
  return { aes, names, keyId };
}

/** The name a file with this sha256 has on disk in an encrypted store. */
export async function sealedName(keys: StoreKeys, sha256: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", keys.names, enc.encode(sha256));
  return toHex(new Uint8Array(mac));
}

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function nonce(prefix: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const iv = new Uint8Array(12);
  iv.set(prefix, 0);
  new DataView(iv.buffer).setUint32(8, index);
  return iv;
}

const FINAL = new Uint8Array([1]);
const NOT_FINAL = new Uint8Array([0]);

/** Throws unless `chunkSize` is a size a store may use (1 KiB to 16 MiB). */
export function checkChunkSize(chunkSize: number): number {
  if (!Number.isInteger(chunkSize) || chunkSize < 1024 || chunkSize > 16 * 1024 * 1024) {
    throw new RangeError(`chunk size must be 1 KiB to 16 MiB, got ${chunkSize}`);
  }
  return chunkSize;
}

/** What a header says, once checked against the store's key. */
export interface FileHeader {
  chunkSize: number;
  noncePrefix: Uint8Array;
}

/** A new header's fixed part; the sealed sha256 is added by `sealHeader` at the end. */
export function newHeader(chunkSize: number): FileHeader {
  return { chunkSize, noncePrefix: crypto.getRandomValues(new Uint8Array(8)) };
}

/** The 80 header bytes, with the plaintext's sha256 sealed into them. */
export async function sealHeader(
  keys: StoreKeys,
  header: FileHeader,
  sha256: string,
): Promise<Uint8Array> {
  const out = new Uint8Array(HEADER_BYTES);
  out.set(MAGIC, 0);
  out.set(keys.keyId, 8);
  new DataView(out.buffer).setUint32(16, header.chunkSize);
  out.set(header.noncePrefix, 20);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce(header.noncePrefix, SHA_SLOT), additionalData: out.slice(0, 28) },
    keys.aes,
    fromHex(sha256) as BufferSource,
  );
  out.set(new Uint8Array(sealed), 28);
  return out;
}

/**
 * Checks a header against the key and returns it with the sha256 it holds. A key id that
 * differs means the wrong key; a header that does not open under the right key means damage.
 */
export async function openHeader(
  keys: StoreKeys,
  bytes: Uint8Array,
): Promise<FileHeader & { sha256: string }> {
  if (bytes.length < HEADER_BYTES || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new CipherError("corrupt", "File cifrato danneggiato: intestazione non riconosciuta");
  }
  if (!keys.keyId.every((b, i) => bytes[8 + i] === b)) {
    throw new CipherError(
      "key",
      "Chiave errata: questo file è stato cifrato con un'altra chiave (FALDONE_DB_KEY)",
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkSize = view.getUint32(16);
  const noncePrefix = bytes.slice(20, 28);
  try {
    const sha = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: nonce(noncePrefix, SHA_SLOT), additionalData: bytes.slice(0, 28) },
      keys.aes,
      bytes.slice(28, 76),
    );
    return { chunkSize, noncePrefix, sha256: toHex(new Uint8Array(sha)) };
  } catch {
    throw new CipherError("corrupt", "File cifrato alterato: l'intestazione non si verifica");
  }
}

/** Seals chunk `index` (plaintext at most `chunkSize` bytes) into ciphertext ‖ tag. */
export async function sealChunk(
  keys: StoreKeys,
  header: FileHeader,
  index: number,
  plain: Uint8Array,
  final: boolean,
): Promise<Uint8Array> {
  if (index >= SHA_SLOT) throw new RangeError("file too large for its chunk size");
  const sealed = await crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: nonce(header.noncePrefix, index),
      additionalData: final ? FINAL : NOT_FINAL,
    },
    keys.aes,
    plain as BufferSource,
  );
  return new Uint8Array(sealed);
}

/** Opens chunk `index`; any change to it, its place or its being last throws. */
export async function openChunk(
  keys: StoreKeys,
  header: FileHeader,
  index: number,
  sealed: Uint8Array,
  final: boolean,
): Promise<Uint8Array> {
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: nonce(header.noncePrefix, index),
        additionalData: final ? FINAL : NOT_FINAL,
      },
      keys.aes,
      sealed as BufferSource,
    );
    return new Uint8Array(plain);
  } catch {
    throw new CipherError(
      "corrupt",
      `File cifrato alterato o danneggiato: il blocco ${index} non si verifica`,
    );
  }
}

/** How many chunks hold `plainBytes` (an empty file still has one, empty, final chunk). */
export function chunkCount(plainBytes: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(plainBytes / chunkSize));
}

/** The size on disk of a file of `plainBytes`. */
export function sealedSize(plainBytes: number, chunkSize: number): number {
  return HEADER_BYTES + plainBytes + TAG_BYTES * chunkCount(plainBytes, chunkSize);
}

/** The plaintext size of a stored file of `storedBytes`, or undefined if no size fits. */
export function plainSize(storedBytes: number, chunkSize: number): number | undefined {
  const body = storedBytes - HEADER_BYTES;
  if (body < TAG_BYTES) return undefined;
  const chunks = Math.ceil(body / (chunkSize + TAG_BYTES));
  const plain = body - chunks * TAG_BYTES;
  return sealedSize(plain, chunkSize) === storedBytes ? plain : undefined;
}

/** Where chunk `index`'s sealed bytes start in the stored file. */
export function chunkOffset(index: number, chunkSize: number): number {
  return HEADER_BYTES + index * (chunkSize + TAG_BYTES);
}
