/**
 * A signed file's verification as stored in `document_files.signature`: checked once, when
 * the envelope enters the store (import, upload, demo), since parsing a large envelope costs
 * seconds and memory; the viewer shows the stored report. JSON has no dates, so the report's
 * dates travel as ISO text and come back as `Date` for `describeSigner`.
 */
import type { SignedFile, SignerReport } from "./signed_file.ts";
import type { SupportedMime } from "./file_type.ts";

/** What was verified, and when. */
export interface SignatureReport {
  /** When the check ran (the chain was checked at each signer's `chainCheckedAt`). */
  checkedAt: Date;
  envelopes: number;
  /** The wrapped content's type by magic bytes, null when unsupported. */
  contentMime: SupportedMime | null;
  /** The inner name (`seduta.wav` for `seduta.wav.p7m`), when the envelope's name was known. */
  contentFileName: string | null;
  /** Whether trust anchors were configured: without them every chain is `not_checked`. */
  anchors: number;
  signers: SignerReport[];
}

/** The report of a freshly verified file. */
export function signatureReport(
  file: SignedFile,
  checkedAt: Date,
  anchors: number,
): SignatureReport {
  return {
    checkedAt,
    envelopes: file.envelopes,
    contentMime: file.mime,
    contentFileName: file.fileName,
    anchors,
    signers: file.signers,
  };
}

/** The report as stored (dates as ISO text). */
export function signatureReportJson(report: SignatureReport): string {
  return JSON.stringify(report);
}

const DATE_KEYS = new Set(["checkedAt", "signingTime", "chainCheckedAt", "notBefore", "notAfter"]);

/** A stored report read back, dates revived; undefined for text that is not one. */
export function parseSignatureReport(text: string | null): SignatureReport | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(
      text,
      (key, v) => DATE_KEYS.has(key) && typeof v === "string" ? new Date(v) : v,
    );
    if (typeof value !== "object" || value === null || !("signers" in value)) return undefined;
    return value as SignatureReport;
  } catch {
    return undefined;
  }
}

/** The worst status among the signers: one altered signature makes the file altered. */
export function overallStatus(report: SignatureReport): "valid" | "invalid" | "altered" {
  const statuses = report.signers.map((s) => s.status);
  if (statuses.includes("altered")) return "altered";
  if (statuses.includes("invalid")) return "invalid";
  return "valid";
}
