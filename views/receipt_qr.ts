/** The QR of a receipt code, as an SVG data URI generated locally (no network, no script). */
// @ts-types="./qrcode_types.d.ts"
import { toString } from "qrcode";

/** `data:image/svg+xml;base64,…` encoding `code`, for an `<img>` (CSP allows data: images). */
export async function receiptQrDataUri(code: string): Promise<string> {
  const svg = await toString(code, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}

/** The pagoPA notice's QR: version 4, ECC level M, as the notice specification asks. */
export async function noticeQrDataUri(payload: string): Promise<string> {
  const svg = await toString(payload, {
    type: "svg",
    margin: 1,
    errorCorrectionLevel: "M",
    version: 4,
  });
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}
