/**
 * Opens a CAdES/PKCS#7 enveloping signed file (`.p7m`) and verifies every signature in it
 * with PKI.js over WebCrypto: the content digest against each signer's messageDigest
 * attribute, the signature over the signed attributes, the ESS signing-certificate binding,
 * and, when trust anchors are given, the signer's chain to one of them. Parallel signatures
 * (several SignerInfos) and nested envelopes (a `.p7m` signed again) are both walked.
 *
 * Not checked here, and said so in every report: revocation (CRL/OCSP need the network),
 * timestamp tokens, and the qualified status of the certificate in the trusted list.
 */
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { validateTaxCode } from "../domain/codice_fiscale.ts";
import { it, type Messages } from "../i18n/it.ts";
import { detectFileType, FILE_EXTENSIONS, type SupportedMime } from "./file_type.ts";
import { decodeBase64, pemBlocks } from "./pem.ts";
import { OID, webCryptoEngine } from "./pki_engine.ts";

/** Envelopes inside envelopes beyond this are refused: real files have two at most. */
export const MAX_ENVELOPE_DEPTH = 8;

/** Why a file could not be opened as a signed file at all (per-signer problems are statuses). */
export type SignedFileErrorCode = "not_signed_file" | "detached_content" | "too_deep";

/** A file that is not a readable enveloping signature; `message` is for the user, in Italian. */
export class SignedFileError extends Error {
  constructor(readonly code: SignedFileErrorCode, message: string) {
    super(message);
    this.name = "SignedFileError";
  }
}

/**
 * `valid`: content digest and signature both verify. `altered`: the content no longer matches
 * the digest the signer signed. `invalid`: the signature does not verify, or the signer's
 * certificate is missing, unreadable or not the one the signature names.
 */
export type SignatureStatus = "valid" | "invalid" | "altered";

/** `not_checked` whenever no trust anchors were given: never read it as trusted. */
export type ChainStatus = "trusted" | "untrusted" | "not_checked";

/** What one signature says and how it fared. */
export interface SignerReport {
  /** 0 for the outermost envelope, 1 for the one inside it, … */
  envelope: number;
  /** Position of the SignerInfo within its envelope. */
  index: number;
  /** Given name and surname when the certificate has them, else its common name. */
  name: string | null;
  commonName: string | null;
  givenName: string | null;
  surname: string | null;
  organization: string | null;
  /** Codice fiscale from the subject serialNumber (`TINIT-…`, older `IT:…`), when well-formed. */
  taxCode: string | null;
  /** The subject serialNumber as written, for display when it is not a tax code. */
  subjectSerialNumber: string | null;
  /** The CA that issued the signer's certificate (its common name or organization). */
  issuer: string | null;
  /** The signingTime attribute: declared by the signer, not proven (no timestamp token). */
  signingTime: Date | null;
  certificateValidity: { notBefore: Date; notAfter: Date } | null;
  status: SignatureStatus;
  /** Why the status is not `valid` (English, for logs and the admin). */
  statusReason: string | null;
  chain: ChainStatus;
  /** When the chain was checked: the declared signing time, or the clock without one. */
  chainCheckedAt: Date | null;
  chainReason: string | null;
  /** Offline, revocation is never checked. */
  revocation: "not_checked";
}

/** The innermost content and every signature around it. */
export interface SignedFile {
  content: Uint8Array;
  /** By magic bytes; null when the content is none of the kept types. */
  mime: SupportedMime | null;
  /** The given file name without its `.p7m` suffixes (extension added from the type if none). */
  fileName: string | null;
  /** How many envelopes were opened (2 for a `.pdf.p7m.p7m`). */
  envelopes: number;
  signers: SignerReport[];
}

export interface VerifyOptions {
  /** Certificates a chain may end at; omitted or empty: chains are `not_checked`. */
  anchors?: pkijs.Certificate[];
  /** Name of the `.p7m` as stored, to derive the inner name. */
  fileName?: string;
  /** Used to check chains of signatures that declare no signing time. */
  clock?: () => Date;
}

const NOT_SIGNED = "Il file non è una busta firmata (.p7m) leggibile.";

/** DER bytes of an envelope given as DER, bare base64 or PEM (`PKCS7`, `CMS`). */
function envelopeDer(bytes: Uint8Array): Uint8Array {
  if (bytes[0] === 0x30) return bytes;
  // Text can only be base64 or PEM; a binary file that is not DER is rejected right away.
  if (bytes.subarray(0, 4096).some((b) => b < 0x09 || (b > 0x0d && b < 0x20) || b > 0x7e)) {
    throw new SignedFileError("not_signed_file", NOT_SIGNED);
  }
  const text = new TextDecoder().decode(bytes);
  const der = text.includes("-----BEGIN")
    ? pemBlocks(
      text,
      (label) => label === "PKCS7" || label === "CMS" || label === "PKCS #7 SIGNED DATA",
    )[0]
    : decodeBase64(text);
  if (!der || der[0] !== 0x30) throw new SignedFileError("not_signed_file", NOT_SIGNED);
  return der;
}

/**
 * asn1js limits what one parse may allocate (16 MiB of content, 10,000 nodes) against hostile
 * input; a signed council session is far bigger, and chunked BER content has a node per chunk.
 * The limits follow the input instead: no value can be longer than the file, and chunks
 * shorter than 512 bytes on average are refused. Embedded parsing of every OCTET STRING is off:
 * the content is megabytes of audio, and nested envelopes are parsed on purpose.
 */
function berOptions(input: Uint8Array): asn1js.FromBerOptions {
  return {
    maxContentLength: input.length,
    maxNodes: 10_000 + Math.floor(input.length / 512),
    parseEmbedded: false,
    copyInput: false,
  };
}

/** The SignedData in DER/BER bytes, or null when they are not a CMS SignedData. */
function parseSignedData(der: Uint8Array): pkijs.SignedData | null {
  try {
    const asn = asn1js.fromBER(der as Uint8Array<ArrayBuffer>, berOptions(der));
    if (asn.offset === -1) return null;
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== OID.signedData) return null;
    return new pkijs.SignedData({ schema: info.content });
  } catch {
    return null;
  }
}

function encapsulatedContent(signed: pkijs.SignedData): Uint8Array {
  const eContent = signed.encapContentInfo.eContent;
  if (!eContent) {
    throw new SignedFileError(
      "detached_content",
      "La firma è separata dal documento (.p7s): manca il contenuto firmato.",
    );
  }
  // A constructed (chunked, BER) OCTET STRING is joined by getValue().
  return new Uint8Array(eContent.getValue());
}

function nameAttribute(name: pkijs.RelativeDistinguishedNames, type: string): string | null {
  const found = name.typesAndValues.find((tv) => tv.type === type);
  const value = found?.value.valueBlock.value;
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function taxCodeFrom(subjectSerial: string | null): string | null {
  if (!subjectSerial) return null;
  // ETSI EN 319 412-1 semantics identifier (TINIT-), or the pre-2016 Italian "IT:" form.
  const match = /^(?:TINIT-|IT:)(.+)$/i.exec(subjectSerial.trim());
  if (!match?.[1]) return null;
  const result = validateTaxCode(match[1]);
  return result.ok ? result.normalized : null;
}

function attributeValue(info: pkijs.SignerInfo, type: string): asn1js.AsnType | null {
  return info.signedAttrs?.attributes.find((a) => a.type === type)?.values[0] ?? null;
}

function signingTimeOf(info: pkijs.SignerInfo): Date | null {
  const value = attributeValue(info, OID.signingTime);
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) {
    return value.toDate();
  }
  return null;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function digestWith(algorithmOid: string, data: Uint8Array): Promise<Uint8Array | null> {
  const algorithm = webCryptoEngine().getAlgorithmByOID(algorithmOid);
  if (!("name" in algorithm)) return null;
  return new Uint8Array(
    await crypto.subtle.digest(algorithm.name, data as Uint8Array<ArrayBuffer>),
  );
}

/**
 * Compares the content with the messageDigest signed attribute: true/false, or null when there
 * is nothing to compare (no signed attributes, no readable messageDigest, unknown hash); then
 * PKI.js's verify decides, and such a signer can only come out valid or invalid.
 */
async function contentMatches(
  info: pkijs.SignerInfo,
  content: Uint8Array,
  digests: Map<string, Promise<Uint8Array | null>>,
): Promise<boolean | null> {
  const signed = attributeValue(info, OID.messageDigest);
  if (!(signed instanceof asn1js.OctetString)) return null;
  // Parallel signers almost always share the hash: digest a large content once per algorithm.
  const oid = info.digestAlgorithm.algorithmId;
  if (!digests.has(oid)) digests.set(oid, digestWith(oid, content));
  const actual = await digests.get(oid)!;
  return actual === null ? null : equalBytes(actual, signed.valueBlock.valueHexView);
}

/**
 * The ESS signing-certificate(-v2) attribute, when present, must name the certificate that
 * verified the signature; otherwise a certificate with the same key could be swapped in.
 * Returns a reason when it does not, null when it does or is absent.
 */
async function signingCertificateProblem(
  info: pkijs.SignerInfo,
  cert: pkijs.Certificate,
): Promise<string | null> {
  const v2 = attributeValue(info, OID.signingCertificateV2);
  const v1 = attributeValue(info, OID.signingCertificate);
  const attr = v2 ?? v1;
  if (!attr) return null;
  // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies OPTIONAL }
  // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, … }
  // ESSCertID   ::= SEQUENCE { certHash OCTET STRING (SHA-1), … }
  const certs = attr instanceof asn1js.Sequence ? attr.valueBlock.value[0] : undefined;
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(first instanceof asn1js.Sequence)) return "unreadable signing-certificate attribute";
  const [head, second] = first.valueBlock.value;
  let hashOid = v2 ? "2.16.840.1.101.3.4.2.1" : "1.3.14.3.2.26";
  let hash: asn1js.AsnType | undefined = head;
  if (v2 && head instanceof asn1js.Sequence) {
    const algorithm = new pkijs.AlgorithmIdentifier({ schema: head });
    hashOid = algorithm.algorithmId;
    hash = second;
  }
  if (!(hash instanceof asn1js.OctetString)) return "unreadable signing-certificate attribute";
  const actual = await digestWith(hashOid, new Uint8Array(cert.toSchema().toBER(false)));
  if (!actual) return `unsupported hash in signing-certificate attribute: ${hashOid}`;
  return equalBytes(actual, hash.valueBlock.valueHexView)
    ? null
    : "the signing-certificate attribute names another certificate";
}

interface SignatureOutcome {
  cert: pkijs.Certificate | null;
  verified: boolean;
  reason: string | null;
}

async function verifySignature(signed: pkijs.SignedData, index: number): Promise<SignatureOutcome> {
  try {
    const result = await signed.verify(
      { signer: index, extendedMode: true, checkChain: false },
      webCryptoEngine(),
    );
    const cert = result.signerCertificate ?? null;
    return {
      cert,
      verified: result.signatureVerified === true,
      reason: result.signatureVerified === true ? null : "the signature does not verify",
    };
  } catch (e) {
    if (e instanceof pkijs.SignedDataVerifyError) {
      return { cert: e.signerCertificate, verified: false, reason: e.message };
    }
    return { cert: null, verified: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

async function checkChain(
  signed: pkijs.SignedData,
  cert: pkijs.Certificate,
  anchors: pkijs.Certificate[],
  at: Date,
): Promise<{ chain: ChainStatus; reason: string | null }> {
  const embedded = (signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate && c !== cert,
  );
  try {
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: anchors,
      // The engine takes the last certificate as the one to validate.
      certs: [...embedded, cert],
      checkDate: at,
    });
    const result = await engine.verify({}, webCryptoEngine());
    return result.result
      ? { chain: "trusted", reason: null }
      : { chain: "untrusted", reason: result.resultMessage };
  } catch (e) {
    const message = e instanceof Error
      ? e.message
      : (e as { resultMessage?: string })?.resultMessage ?? String(e);
    return { chain: "untrusted", reason: message };
  }
}

function issuerLabel(cert: pkijs.Certificate): string | null {
  return nameAttribute(cert.issuer, OID.commonName) ??
    nameAttribute(cert.issuer, OID.organizationName);
}

async function reportSigner(
  signed: pkijs.SignedData,
  index: number,
  envelope: number,
  content: Uint8Array,
  anchors: pkijs.Certificate[],
  clock: () => Date,
  digests: Map<string, Promise<Uint8Array | null>>,
): Promise<SignerReport> {
  const info = signed.signerInfos[index]!;
  const signingTime = signingTimeOf(info);
  const [outcome, matches] = await Promise.all([
    verifySignature(signed, index),
    contentMatches(info, content, digests),
  ]);
  const cert = outcome.cert;
  let status: SignatureStatus = outcome.verified ? "valid" : "invalid";
  let statusReason = outcome.reason;
  if (matches === false) {
    status = "altered";
    statusReason = "the content does not match the digest the signer signed";
  } else if (status === "valid" && cert) {
    const problem = await signingCertificateProblem(info, cert);
    if (problem) [status, statusReason] = ["invalid", problem];
  }
  const subject = cert?.subject;
  const givenName = subject ? nameAttribute(subject, OID.givenName) : null;
  const surname = subject ? nameAttribute(subject, OID.surname) : null;
  const commonName = subject ? nameAttribute(subject, OID.commonName) : null;
  const subjectSerialNumber = subject ? nameAttribute(subject, OID.serialNumber) : null;

  let chain: ChainStatus = "not_checked";
  let chainReason: string | null = "no trust anchors configured";
  let chainCheckedAt: Date | null = null;
  if (!cert) {
    chainReason = "signer certificate not found";
  } else if (anchors.length > 0) {
    chainCheckedAt = signingTime ?? clock();
    ({ chain, reason: chainReason } = await checkChain(signed, cert, anchors, chainCheckedAt));
  }
  return {
    envelope,
    index,
    name: givenName && surname ? `${givenName} ${surname}` : commonName,
    commonName,
    givenName,
    surname,
    organization: subject ? nameAttribute(subject, OID.organizationName) : null,
    taxCode: taxCodeFrom(subjectSerialNumber),
    subjectSerialNumber,
    issuer: cert ? issuerLabel(cert) : null,
    signingTime,
    certificateValidity: cert
      ? { notBefore: cert.notBefore.value, notAfter: cert.notAfter.value }
      : null,
    status,
    statusReason,
    chain,
    chainCheckedAt,
    chainReason,
    revocation: "not_checked",
  };
}

/** `delibera.pdf.p7m.p7m` → `delibera.pdf`; `atto.p7m` holding a PDF → `atto.pdf`. */
export function innerFileName(name: string, mime: SupportedMime | null): string {
  let inner = name;
  while (/\.p7m$/i.test(inner)) inner = inner.slice(0, -4);
  const base = inner.split(/[\\/]/).pop() ?? inner;
  if (!base.includes(".") && mime) inner = `${inner}.${FILE_EXTENSIONS[mime]}`;
  return inner;
}

/**
 * Opens `bytes` (DER, base64 or PEM `.p7m`) and verifies every signature of every envelope.
 * Throws SignedFileError when the bytes are not an enveloping SignedData at all; a signature
 * that fails is not an error but a signer with status `invalid` or `altered`.
 */
export async function verifySignedFile(
  bytes: Uint8Array,
  options: VerifyOptions = {},
): Promise<SignedFile> {
  const anchors = options.anchors ?? [];
  const clock = options.clock ?? (() => new Date());
  let signed = parseSignedData(envelopeDer(bytes));
  if (!signed) throw new SignedFileError("not_signed_file", NOT_SIGNED);
  const signers: SignerReport[] = [];
  let envelopes = 0;
  let content: Uint8Array;
  for (;;) {
    content = encapsulatedContent(signed);
    const digests = new Map<string, Promise<Uint8Array | null>>();
    for (let i = 0; i < signed.signerInfos.length; i++) {
      signers.push(await reportSigner(signed, i, envelopes, content, anchors, clock, digests));
    }
    envelopes++;
    // Nested envelope: the signed content is itself a DER SignedData.
    const inner = content[0] === 0x30 ? parseSignedData(content) : null;
    if (!inner) break;
    if (envelopes >= MAX_ENVELOPE_DEPTH) {
      throw new SignedFileError(
        "too_deep",
        `Il file contiene più di ${MAX_ENVELOPE_DEPTH} buste firmate una dentro l'altra.`,
      );
    }
    signed = inner;
  }
  if (signers.length === 0) {
    throw new SignedFileError("not_signed_file", "La busta non contiene alcuna firma.");
  }
  const mime = detectFileType(content) ?? null;
  return {
    content,
    mime,
    fileName: options.fileName ? innerFileName(options.fileName, mime) : null,
    envelopes,
    signers,
  };
}

/**
 * One sentence for a signer, for the signature panel, in catalogue `t`'s language (Italian by
 * default). It never says "valid" without saying what was not checked.
 */
export function describeSigner(signer: SignerReport, t: Messages = it): string {
  const w = t.misc.signer;
  if (signer.status === "altered") return w.altered;
  if (signer.status === "invalid") return w.invalid;
  switch (signer.chain) {
    case "trusted":
      return w.trusted(w.revocation);
    case "untrusted":
      return w.untrusted(w.revocation);
    case "not_checked":
      return w.notChecked(w.revocation);
  }
}
