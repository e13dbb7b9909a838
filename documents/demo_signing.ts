/**
 * Makes a small PKI and CAdES-BES enveloping signatures (`.p7m`) with WebCrypto + PKI.js:
 * for the tests of `signed_file.ts` and for the demo archive (a demo CA whose anchor the demo
 * trusts, a council session signed by its President and Secretary). Names are deterministic;
 * keys and serial numbers are random. Never used to verify anything: that is signed_file.ts.
 */
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { OID, webCryptoEngine } from "./pki_engine.ts";

/** A certificate with the private key that can sign with it. */
export interface KeyedCertificate {
  certificate: pkijs.Certificate;
  privateKey: CryptoKey;
}

/** A signer: its certificate, its key, and the CA certificates to embed beside it. */
export interface SignerIdentity extends KeyedCertificate {
  /** Intermediates between the signer and the root (not the root itself), nearest first. */
  intermediates: pkijs.Certificate[];
}

/** Validity window of a certificate; the caller decides the dates (no hidden clock). */
export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** Subject of a person's signing certificate, in the style of Italian qualified certificates. */
export interface PersonSubject {
  givenName: string;
  surname: string;
  /** Codice fiscale; written as `TINIT-<code>` in the subject serialNumber (ETSI EN 319 412-1). */
  taxCode: string;
  /** The subject serialNumber exactly as written, instead of `TINIT-<taxCode>`. */
  subjectSerialNumber?: string;
  organization?: string;
  /** Defaults to `SURNAME GIVENNAME` upper-cased, as many Italian CAs write it. */
  commonName?: string;
  /** Extra attributes, e.g. `title`; type is an OID. */
  extra?: { type: string; value: string }[];
}

const RSA_KEY: RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
};

function newKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(RSA_KEY, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
}

function randomSerial(): asn1js.Integer {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x10; // positive and exactly 16 bytes long
  return new asn1js.Integer({ valueHex: bytes.buffer });
}

function attribute(type: string, value: string): pkijs.AttributeTypeAndValue {
  // countryName and serialNumber are PrintableString by X.520; the rest UTF8String.
  const printable = type === OID.countryName || type === OID.serialNumber;
  return new pkijs.AttributeTypeAndValue({
    type,
    value: printable ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
  });
}

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** keyUsage as a DER BIT STRING: bit 0 is the high bit of the first byte. */
function keyUsage(bits: number[]): asn1js.BitString {
  let byte = 0;
  for (const bit of bits) byte |= 0x80 >> bit;
  let unused = 0;
  while (unused < 7 && (byte & (1 << unused)) === 0) unused++;
  return new asn1js.BitString({ valueHex: new Uint8Array([byte]).buffer, unusedBits: unused });
}

const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 };

async function issue(
  subject: pkijs.AttributeTypeAndValue[],
  publicKey: CryptoKey,
  issuer: KeyedCertificate | "self",
  selfKey: CryptoKey,
  validity: Validity,
  isCa: boolean,
): Promise<pkijs.Certificate> {
  const engine = webCryptoEngine();
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = randomSerial();
  cert.subject.typesAndValues.push(...subject);
  if (issuer === "self") cert.issuer.typesAndValues.push(...subject);
  else {cert.issuer = new pkijs.RelativeDistinguishedNames({
      schema: issuer.certificate.subject.toSchema(),
    });}
  cert.notBefore.value = validity.notBefore;
  cert.notAfter.value = validity.notAfter;
  await cert.subjectPublicKeyInfo.importKey(publicKey, engine);
  const keyId = await engine.digest(
    { name: "SHA-1" },
    cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView.slice(),
  );
  cert.extensions = [
    extension(
      OID.basicConstraints,
      true,
      new pkijs.BasicConstraints(isCa ? { cA: true } : {}).toSchema(),
    ),
    extension(
      OID.keyUsage,
      true,
      keyUsage(
        isCa
          ? [KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]
          : [KEY_USAGE.digitalSignature, KEY_USAGE.nonRepudiation],
      ),
    ),
    extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyId })),
  ];
  await cert.sign(issuer === "self" ? selfKey : issuer.privateKey, "SHA-256", engine);
  // Round-trip so that extensions carry their parsed values, as a certificate read from a file.
  return pkijs.Certificate.fromBER(cert.toSchema().toBER(false));
}

/** A self-signed root CA named `commonName` (organization and country IT). */
export async function createRootCa(
  commonName: string,
  validity: Validity,
  organization = "Faldone demo",
): Promise<KeyedCertificate> {
  const keys = await newKeyPair();
  const subject = [
    attribute(OID.countryName, "IT"),
    attribute(OID.organizationName, organization),
    attribute(OID.commonName, commonName),
  ];
  const certificate = await issue(subject, keys.publicKey, "self", keys.privateKey, validity, true);
  return { certificate, privateKey: keys.privateKey };
}

/** A CA certificate issued by `issuer`, to sit between a root and signers. */
export async function createIntermediateCa(
  issuer: KeyedCertificate,
  commonName: string,
  validity: Validity,
  organization = "Faldone demo",
): Promise<KeyedCertificate> {
  const keys = await newKeyPair();
  const subject = [
    attribute(OID.countryName, "IT"),
    attribute(OID.organizationName, organization),
    attribute(OID.commonName, commonName),
  ];
  const certificate = await issue(subject, keys.publicKey, issuer, keys.privateKey, validity, true);
  return { certificate, privateKey: keys.privateKey };
}

/**
 * A person's signing certificate issued by `issuer`. `intermediates` are the CA certificates
 * to embed in envelopes (pass the intermediate CA when there is one, never the root).
 */
export async function createSigner(
  issuer: KeyedCertificate,
  person: PersonSubject,
  validity: Validity,
  intermediates: pkijs.Certificate[] = [],
): Promise<SignerIdentity> {
  const keys = await newKeyPair();
  const subject = [
    attribute(OID.countryName, "IT"),
    ...(person.organization ? [attribute(OID.organizationName, person.organization)] : []),
    attribute(OID.surname, person.surname),
    attribute(OID.givenName, person.givenName),
    attribute(OID.serialNumber, person.subjectSerialNumber ?? `TINIT-${person.taxCode}`),
    attribute(
      OID.commonName,
      person.commonName ?? `${person.surname} ${person.givenName}`.toUpperCase(),
    ),
    ...(person.extra ?? []).map((a) => attribute(a.type, a.value)),
  ];
  const certificate = await issue(
    subject,
    keys.publicKey,
    issuer,
    keys.privateKey,
    validity,
    false,
  );
  return { certificate, privateKey: keys.privateKey, intermediates };
}

/** ESS signing-certificate-v2 (RFC 5035): binds the signature to this exact certificate. */
async function signingCertificateV2(cert: pkijs.Certificate): Promise<pkijs.Attribute> {
  const hash = await crypto.subtle.digest("SHA-256", cert.toSchema().toBER(false));
  // hashAlgorithm is omitted: its DEFAULT is SHA-256.
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: hash })],
  });
  const value = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
  return new pkijs.Attribute({ type: OID.signingCertificateV2, values: [value] });
}

function sameCertificate(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  const x = new Uint8Array(a.toSchema().toBER(false));
  const y = new Uint8Array(b.toSchema().toBER(false));
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * Wraps `content` in a CAdES-BES enveloping SignedData (DER `.p7m`) signed by every signer
 * in `signers` in parallel (one SignerInfo each), with contentType, signingTime,
 * messageDigest and signing-certificate-v2 signed attributes, SHA-256 with RSA.
 * Nest envelopes by signing the returned bytes again.
 */
export async function signEnveloping(
  content: Uint8Array,
  signers: SignerIdentity[],
  signingTime: Date,
): Promise<Uint8Array> {
  if (signers.length === 0) throw new Error("signEnveloping needs at least one signer");
  const engine = webCryptoEngine();
  const digest = await crypto.subtle.digest("SHA-256", content as Uint8Array<ArrayBuffer>);
  const certificates: pkijs.Certificate[] = [];
  for (const s of signers) {
    for (const c of [s.certificate, ...s.intermediates]) {
      if (!certificates.some((known) => sameCertificate(known, c))) certificates.push(c);
    }
  }
  const signerInfos: pkijs.SignerInfo[] = [];
  for (const s of signers) {
    signerInfos.push(
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: s.certificate.issuer,
          serialNumber: s.certificate.serialNumber,
        }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({
              type: OID.contentType,
              values: [new asn1js.ObjectIdentifier({ value: OID.data })],
            }),
            new pkijs.Attribute({
              type: OID.signingTime,
              values: [new asn1js.UTCTime({ valueDate: signingTime })],
            }),
            new pkijs.Attribute({
              type: OID.messageDigest,
              values: [new asn1js.OctetString({ valueHex: digest })],
            }),
            await signingCertificateV2(s.certificate),
          ],
        }),
      }),
    );
  }
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID.data,
      eContent: new asn1js.OctetString({ valueHex: content.slice().buffer }),
    }),
    signerInfos,
    certificates,
  });
  for (const [i, s] of signers.entries()) {
    await signed.sign(s.privateKey, i, "SHA-256", undefined, engine);
  }
  const envelope = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signed.toSchema(true),
  });
  return new Uint8Array(envelope.toSchema().toBER(false));
}

/** A certificate as PEM text, the format trust-anchor folders hold. */
export function certificateToPem(cert: pkijs.Certificate): string {
  const der = new Uint8Array(cert.toSchema().toBER(false));
  let binary = "";
  for (const b of der) binary += String.fromCharCode(b);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
