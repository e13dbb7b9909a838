/**
 * The one place that ties PKI.js to the runtime's WebCrypto, and the object identifiers the
 * signed-file code names. An explicit engine is passed to every PKI.js call instead of
 * `pkijs.setEngine`, so no module depends on global state set elsewhere.
 */
import * as pkijs from "pkijs";

let engine: pkijs.CryptoEngine | undefined;

/** PKI.js crypto engine over `globalThis.crypto` (Deno's WebCrypto). */
export function webCryptoEngine(): pkijs.CryptoEngine {
  engine ??= new pkijs.CryptoEngine({ name: "webcrypto", crypto: globalThis.crypto });
  return engine;
}

/** Object identifiers used by the signing and verifying code. */
export const OID = {
  // PKCS#7 / CMS content types (RFC 5652)
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  // CMS signed attributes (RFC 5652, RFC 2634, RFC 5035)
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  // X.520 name attributes
  commonName: "2.5.4.3",
  surname: "2.5.4.4",
  serialNumber: "2.5.4.5",
  countryName: "2.5.4.6",
  organizationName: "2.5.4.10",
  title: "2.5.4.12",
  givenName: "2.5.4.42",
  // X.509 extensions
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
} as const;
