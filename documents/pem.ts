/**
 * Base64 and PEM text around DER bytes. Signed files travel as raw DER, as bare base64
 * (some mail clients and protocol systems store them so) or PEM-armoured; certificates as
 * PEM. Only the text layer is handled here: the DER inside is read by asn1js/PKI.js.
 */

const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes base64 text, ignoring line breaks and spaces; null when it is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  const body = text.replace(/\s+/g, "");
  if (body.length === 0 || body.length % 4 !== 0 || !BASE64_BODY.test(body)) return null;
  const binary = atob(body);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The decoded bodies of every `-----BEGIN <label>-----` block whose label passes `accept`. */
export function pemBlocks(text: string, accept: (label: string) => boolean): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  const pattern = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (const match of text.matchAll(pattern)) {
    if (!accept(match[1] ?? "")) continue;
    // RFC 1421-style headers ("Proc-Type: ...") may precede the body; drop them.
    const body = (match[2] ?? "").split(/\r?\n/).filter((line) => !line.includes(":")).join("");
    const der = decodeBase64(body);
    if (der) blocks.push(der);
  }
  return blocks;
}
