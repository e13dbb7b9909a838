/**
 * Real documents for the demo archive, made at first start and put in the file store: PDF
 * scans of a few dossiers (one also with a multi-page TIFF), public PDF attachments of recent
 * acts, and two council sessions of the last year with a short WAV recording signed by the
 * President of the Council and the Municipal Secretary, from a demo CA whose root is written
 * to the trust-anchors folder so the demo shows both signers verified. The second session's
 * file was altered after signing: the viewer must say so.
 */
import type * as pkijs from "pkijs";
import type { documentFiles } from "../db/schema.ts";
import type { ActDoc, DocumentRef, DossierDoc, RecordDoc } from "../domain/records.ts";
import {
  certificateToPem,
  createRootCa,
  createSigner,
  signEnveloping,
  type SignerIdentity,
} from "../documents/demo_signing.ts";
import type { FileStore } from "../documents/file_store.ts";
import { ingestedRows, ingestFile } from "../documents/ingest.ts";
import { loadTrustAnchors } from "../documents/trust_anchors.ts";
import { scanPdf, scanTiff, sessionWav } from "./demo_files.ts";

/** Where the demo's documents go. */
export interface DemoDocumentsOptions {
  store: FileStore;
  /** The trust-anchors folder the kiosk reads; the demo CA's root is written there. */
  anchorsDir: string;
  clock: () => Date;
}

/** Name of the demo CA's root in the anchors folder. */
export const DEMO_ANCHOR_FILE = "faldone-demo-ca.pem";

/** How many records of each kind get real documents. */
const SCANNED_DOSSIERS = 6;
const PUBLIC_ACTS = 4;
const SESSIONS = 2;
/** Seconds of each session recording (16 KB a second). */
const SESSION_SECONDS = 4;

type FileRow = typeof documentFiles.$inferInsert;

/**
 * Rewrites the documents of selected records of a generated archive as real files, stored as
 * it goes. Select with `dossiers`, the archive's dossier count (the scanned ones are spread
 * over the years). Returns the `document_files` rows to write with the records.
 */
export class DemoDocuments {
  readonly rows: FileRow[] = [];
  /** Files put in the store (signed content counted apart from its envelope). */
  stored = 0;
  private dossierIndex = 0;
  private scanned = 0;
  private publicActs = 0;
  private sessions = 0;
  private signers: Promise<{ signers: SignerIdentity[]; anchors: pkijs.Certificate[] }> | undefined;

  constructor(private readonly options: DemoDocumentsOptions, private readonly dossiers: number) {
    // RSA key pairs take a second or more, on WebCrypto's threads: started now, they are
    // ready by the time the stream reaches the council sessions, near its end.
    this.demoPki().catch(() => {});
  }

  /** The record with its documents made real when it is one of the chosen ones. */
  async apply(doc: RecordDoc): Promise<RecordDoc> {
    return doc.record === "dossier" ? await this.dossier(doc) : await this.act(doc);
  }

  private async dossier(doc: DossierDoc): Promise<DossierDoc> {
    const i = this.dossierIndex++;
    const step = Math.max(1, Math.floor(this.dossiers / SCANNED_DOSSIERS));
    if (i % step !== step - 1 || this.scanned >= SCANNED_DOSSIERS) return doc;
    const n = this.scanned++;
    const folder = `scans/${doc.series}/${doc.year}/${doc.number}`;
    const pages = 2 + (n % 4);
    const pdf = await scanPdf(doc.year * 1000 + n, {
      title: `${doc.type} ${doc.number}/${doc.year}`,
      lines: [
        doc.subject ?? "Pratica edilizia",
        ...doc.addresses.slice(0, 2).map((a) => `${a.street} ${a.civic ?? ""}`.trim()),
        doc.protocolNumber ? `Prot. n. ${doc.protocolNumber}` : "",
      ].filter((l) => l !== ""),
    }, pages);
    const documents = [
      await this.put(pdf, `${folder}/pratica.pdf`, "Scansione della pratica", pages),
    ];
    if (n === 2) {
      // Archive scanners deliver multi-page TIFFs: the viewer converts them page by page.
      const tiff = scanTiff(doc.year, 3);
      documents.push(await this.put(tiff, `${folder}/tavole.tif`, "Tavole di progetto (TIFF)", 3));
    }
    return { ...doc, documents };
  }

  private async act(doc: ActDoc): Promise<ActDoc> {
    if (doc.kind === "delibera_consiglio" && doc.year >= 2020 && this.sessions < SESSIONS) {
      const altered = this.sessions++ === 1;
      return { ...doc, attachments: [await this.session(doc, altered)] };
    }
    const publicOnes = doc.attachments.filter((a) => a.public);
    if (doc.year < 2020 || publicOnes.length === 0 || this.publicActs >= PUBLIC_ACTS) return doc;
    this.publicActs++;
    const attachments: DocumentRef[] = [];
    for (const [k, a] of doc.attachments.entries()) {
      if (!a.public) {
        attachments.push(a);
        continue;
      }
      const pages = 2;
      const pdf = await scanPdf(doc.year * 100 + k, {
        title: `${a.title ?? "Allegato"} - ${doc.id}`,
        lines: [doc.subject, `Atto n. ${doc.number}/${doc.year} del ${doc.date}`],
      }, pages);
      attachments.push(await this.put(pdf, a.file, a.title ?? "Allegato", pages, true));
    }
    return { ...doc, attachments };
  }

  private async session(doc: ActDoc, altered: boolean): Promise<DocumentRef> {
    const { signers } = await this.demoPki();
    const wav = sessionWav(doc.year * 10 + Number(altered), SESSION_SECONDS);
    const signedAt = new Date(`${doc.date}T19:30:00Z`);
    let envelope = await signEnveloping(wav, signers, signedAt);
    if (altered) envelope = alterContent(envelope, wav);
    return await this.put(
      envelope,
      `sedute/${doc.year}/${doc.id}/seduta.wav.p7m`,
      altered
        ? "Registrazione della seduta (copia alterata dopo la firma)"
        : "Registrazione della seduta, firmata digitalmente",
      1,
      true,
    );
  }

  /** The demo CA, its root written to the anchors folder, and the two signers. */
  private demoPki() {
    this.signers ??= (async () => {
      const validity = {
        notBefore: new Date("2020-01-01T00:00:00Z"),
        notAfter: new Date("2035-12-31T00:00:00Z"),
      };
      const root = await createRootCa("Faldone Demo CA", validity, "Comune di Faldone (demo)");
      const organization = "Comune di Faldone";
      // Key pairs are made on WebCrypto's threads: both signers at once.
      const [president, secretary] = await Promise.all([
        createSigner(root, {
          givenName: "Giovanna",
          surname: "Ferri",
          taxCode: "FRRGNN65C41D612A",
          organization,
          extra: [{ type: "2.5.4.12", value: "Presidente del Consiglio" }],
        }, validity),
        createSigner(root, {
          givenName: "Paolo",
          surname: "Marchetti",
          taxCode: "MRCPLA70A01D612X",
          organization,
          extra: [{ type: "2.5.4.12", value: "Segretario comunale" }],
        }, validity),
      ]);
      const anchors = await this.writeAnchor(root.certificate);
      return { signers: [president, secretary], anchors };
    })();
    return this.signers;
  }

  /**
   * Writes the demo root beside the demo data, unless the folder already holds other anchors
   * (an admin's real list is never mixed with a demo CA); returns the anchors to verify with.
   */
  private async writeAnchor(root: pkijs.Certificate): Promise<pkijs.Certificate[]> {
    const dir = this.options.anchorsDir;
    await Deno.mkdir(dir, { recursive: true });
    const others: string[] = [];
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name !== DEMO_ANCHOR_FILE) others.push(entry.name);
    }
    if (others.length === 0) {
      await Deno.writeTextFile(`${dir}/${DEMO_ANCHOR_FILE}`, certificateToPem(root));
    }
    return (await loadTrustAnchors(dir)).certificates;
  }

  private async put(
    bytes: Uint8Array,
    file: string,
    title: string,
    pages: number,
    isPublic = false,
  ): Promise<DocumentRef> {
    const anchors = file.endsWith(".p7m") ? (await this.demoPki()).anchors : undefined;
    const stored = await ingestFile(this.options.store, { bytes }, {
      fileName: file.slice(file.lastIndexOf("/") + 1),
      clock: this.options.clock,
      ...(anchors ? { anchors } : {}),
    });
    const rows = ingestedRows(stored, this.options.clock());
    this.rows.push(...rows);
    this.stored += rows.length;
    return { file, title, pages, bytes: stored.bytes, sha256: stored.sha256, public: isPublic };
  }
}

/**
 * The envelope with one byte of its signed content changed and the signatures left as they
 * were: what a copy edited after signing looks like.
 */
export function alterContent(envelope: Uint8Array, content: Uint8Array): Uint8Array {
  const probe = content.subarray(content.length >> 1, (content.length >> 1) + 32);
  const at = indexOf(envelope, probe);
  if (at < 0) throw new Error("the content is not stored contiguously in the envelope");
  const out = envelope.slice();
  out[at] = (out[at] ?? 0) ^ 0x01;
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
