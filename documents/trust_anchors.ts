/**
 * Trust anchors for checking signers' certificate chains. They cannot be fetched offline, so an
 * admin drops a folder of certificates (e.g. the CA certificates of a snapshot of the Italian
 * trusted list, converted to PEM) and the kiosk loads it. Every certificate in the folder is
 * trusted as given: choosing the folder's contents is the admin's decision.
 */
import * as pkijs from "pkijs";
import { pemBlocks } from "./pem.ts";

/** The certificates a chain may end at, and the files that could not be read. */
export interface TrustAnchors {
  certificates: pkijs.Certificate[];
  skipped: { file: string; reason: string }[];
}

const CERTIFICATE_FILE = /\.(pem|crt|cer|der)$/i;

/** Certificates in one file: any number of PEM `CERTIFICATE` blocks, or one DER certificate. */
export function parseCertificates(bytes: Uint8Array): pkijs.Certificate[] {
  const text = new TextDecoder("latin1").decode(bytes);
  const ders = text.includes("-----BEGIN")
    ? pemBlocks(text, (label) => label === "CERTIFICATE" || label === "TRUSTED CERTIFICATE")
    : [bytes];
  return ders.map((der) => pkijs.Certificate.fromBER(der as Uint8Array<ArrayBuffer>));
}

function fingerprint(cert: pkijs.Certificate): string {
  const der = new Uint8Array(cert.toSchema().toBER(false));
  return Array.from(der, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Loads every `.pem`, `.crt`, `.cer` and `.der` file directly inside `dir` (sorted by name,
 * duplicates kept once). A file that holds no readable certificate is listed in `skipped`
 * instead of failing the whole folder; a missing folder throws (Deno.errors.NotFound).
 */
export async function loadTrustAnchors(dir: string): Promise<TrustAnchors> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && CERTIFICATE_FILE.test(entry.name)) names.push(entry.name);
  }
  names.sort();
  const seen = new Set<string>();
  const anchors: TrustAnchors = { certificates: [], skipped: [] };
  for (const name of names) {
    let certs: pkijs.Certificate[];
    try {
      certs = parseCertificates(await Deno.readFile(`${dir}/${name}`));
    } catch (e) {
      anchors.skipped.push({ file: name, reason: e instanceof Error ? e.message : String(e) });
      continue;
    }
    if (certs.length === 0) {
      anchors.skipped.push({ file: name, reason: "no certificate in the file" });
      continue;
    }
    for (const cert of certs) {
      const key = fingerprint(cert);
      if (seen.has(key)) continue;
      seen.add(key);
      anchors.certificates.push(cert);
    }
  }
  return anchors;
}
