// Signed files (.p7m): each test signs real bytes with a CA made here at test time and checks
// what verifySignedFile finds, including tampered copies and foreign CAs.
import assert from "node:assert/strict";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import {
  certificateToPem,
  createIntermediateCa,
  createRootCa,
  createSigner,
  type KeyedCertificate,
  signEnveloping,
  type SignerIdentity,
} from "../documents/demo_signing.ts";
import {
  describeSigner,
  innerFileName,
  MAX_ENVELOPE_DEPTH,
  SignedFileError,
  type SignedFileErrorCode,
  verifySignedFile,
} from "../documents/signed_file.ts";
import { loadTrustAnchors } from "../documents/trust_anchors.ts";
import { en } from "../i18n/en.ts";

const VALIDITY = {
  notBefore: new Date("2020-01-01T00:00:00Z"),
  notAfter: new Date("2040-01-01T00:00:00Z"),
};
const SIGNED_AT = new Date("2024-03-15T10:30:00Z");
const clock = () => new Date("2026-01-10T09:00:00Z");

/** A one-page PDF with a correct xref table, built byte by byte. */
function minimalPdf(text: string): Uint8Array {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R " +
    "/Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${`BT /F1 12 Tf 10 50 Td (${text}) Tj ET`.length} >>\nstream\n` +
    `BT /F1 12 Tf 10 50 Td (${text}) Tj ET\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

/** A mono 8 kHz 16-bit WAV of a short tone. */
function tinyWav(samples = 800): Uint8Array {
  const data = samples * 2;
  const wav = new Uint8Array(44 + data);
  const view = new DataView(wav.buffer);
  const ascii = (at: number, s: string) =>
    [...s].forEach((c, i) => (wav[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + data, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, 8000, true);
  view.setUint32(28, 16000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, data, true);
  for (let i = 0; i < samples; i++) {
    view.setInt16(44 + i * 2, Math.round(8000 * Math.sin(i / 4)), true);
  }
  return wav;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A copy of the envelope with one byte of the signed content changed. */
function tamperContent(p7m: Uint8Array, content: Uint8Array, offsetInContent: number): Uint8Array {
  const at = indexOf(p7m, content);
  assert.ok(at >= 0, "content is stored verbatim in the envelope");
  const copy = p7m.slice();
  copy[at + offsetInContent] = copy[at + offsetInContent]! ^ 0x01;
  return copy;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

// One PKI for the whole file: key generation is the slow part.
const root = await createRootCa("Faldone Test Root CA", VALIDITY);
const intermediate = await createIntermediateCa(
  root,
  "Faldone Test Firma Qualificata CA",
  VALIDITY,
);
const rossi = await createSigner(
  intermediate,
  {
    givenName: "Mario",
    surname: "Rossi",
    taxCode: "RSSMRA80A01H501U",
    organization: "Comune di Esempio",
    extra: [{ type: "2.5.4.12", value: "Presidente del Consiglio comunale" }],
  },
  VALIDITY,
  [intermediate.certificate],
);
const bianchi = await createSigner(
  intermediate,
  {
    givenName: "Anna",
    surname: "Bianchi",
    taxCode: "BNCNNA85M41F205Q",
    organization: "Comune di Esempio",
  },
  VALIDITY,
  [intermediate.certificate],
);
// A CA with the same name as the trusted root but another key: a forgery must not pass.
const forgedRoot = await createRootCa("Faldone Test Root CA", VALIDITY);
const stranger = await createSigner(forgedRoot, {
  givenName: "Giuseppe",
  surname: "Verdi",
  taxCode: "VRDGPP70C15L219C",
}, VALIDITY);

const pdf = minimalPdf("Delibera n. 12/2024");
const wav = tinyWav();
const anchors = [root.certificate];

Deno.test("a signed PDF opens with its content, signer, tax code and time, chain trusted", async () => {
  const p7m = await signEnveloping(pdf, [rossi], SIGNED_AT);
  const file = await verifySignedFile(p7m, { anchors, fileName: "delibera_12.pdf.p7m", clock });
  assert.deepEqual(file.content, pdf);
  assert.equal(file.mime, "application/pdf");
  assert.equal(file.fileName, "delibera_12.pdf");
  assert.equal(file.envelopes, 1);
  assert.equal(file.signers.length, 1);
  const [signer] = file.signers;
  assert.equal(signer?.status, "valid", signer?.statusReason ?? "");
  assert.equal(signer?.name, "Mario Rossi");
  assert.equal(signer?.commonName, "ROSSI MARIO");
  assert.equal(signer?.organization, "Comune di Esempio");
  assert.equal(signer?.taxCode, "RSSMRA80A01H501U");
  assert.equal(signer?.subjectSerialNumber, "TINIT-RSSMRA80A01H501U");
  assert.equal(signer?.issuer, "Faldone Test Firma Qualificata CA");
  assert.equal(signer?.signingTime?.toISOString(), SIGNED_AT.toISOString());
  assert.equal(signer?.chain, "trusted", signer?.chainReason ?? "");
  assert.equal(signer?.chainCheckedAt?.toISOString(), SIGNED_AT.toISOString());
  assert.equal(signer?.revocation, "not_checked");
  assert.match(describeSigner(signer!), /autorità riconosciuta; revoca non verificata/);
  assert.equal(
    describeSigner(signer!, en),
    "Signature intact, certificate issued by a recognised authority; revocation not checked " +
      "(no connection to the authorities).",
  );
});

Deno.test("a double-signed audio file reports both signers verified", async () => {
  const p7m = await signEnveloping(wav, [rossi, bianchi], SIGNED_AT);
  const file = await verifySignedFile(p7m, {
    anchors,
    fileName: "seduta_2024-03-15.wav.p7m",
    clock,
  });
  assert.deepEqual(file.content, wav);
  assert.equal(file.mime, "audio/wav");
  assert.equal(file.fileName, "seduta_2024-03-15.wav");
  assert.deepEqual(
    file.signers.map((s) => [s.envelope, s.index, s.name, s.taxCode, s.status, s.chain]),
    [
      [0, 0, "Mario Rossi", "RSSMRA80A01H501U", "valid", "trusted"],
      [0, 1, "Anna Bianchi", "BNCNNA85M41F205Q", "valid", "trusted"],
    ],
  );
});

Deno.test("an envelope inside an envelope verifies both layers and yields the inner file", async () => {
  const inner = await signEnveloping(pdf, [rossi], SIGNED_AT);
  const countersignedAt = new Date("2024-03-16T08:00:00Z");
  const outer = await signEnveloping(inner, [bianchi], countersignedAt);
  const file = await verifySignedFile(outer, { anchors, fileName: "atto.pdf.p7m.p7m", clock });
  assert.equal(file.envelopes, 2);
  assert.deepEqual(file.content, pdf);
  assert.equal(file.fileName, "atto.pdf");
  assert.deepEqual(
    file.signers.map((s) => [s.envelope, s.name, s.status, s.chain, s.signingTime?.toISOString()]),
    [
      [0, "Anna Bianchi", "valid", "trusted", countersignedAt.toISOString()],
      [1, "Mario Rossi", "valid", "trusted", SIGNED_AT.toISOString()],
    ],
  );
});

Deno.test("one changed content byte makes every signer altered", async () => {
  const p7m = await signEnveloping(wav, [rossi, bianchi], SIGNED_AT);
  const tampered = tamperContent(p7m, wav, 500);
  const file = await verifySignedFile(tampered, { anchors, clock });
  assert.deepEqual(file.signers.map((s) => s.status), ["altered", "altered"]);
  assert.notDeepEqual(file.content, wav);
  assert.match(describeSigner(file.signers[0]!), /alterato/);
  // The untouched copy still verifies, so the change alone made the difference.
  const original = await verifySignedFile(p7m, { anchors, clock });
  assert.deepEqual(original.signers.map((s) => s.status), ["valid", "valid"]);
});

Deno.test("a changed byte in the innermost file alters both nested layers", async () => {
  const outer = await signEnveloping(
    await signEnveloping(pdf, [rossi], SIGNED_AT),
    [bianchi],
    SIGNED_AT,
  );
  const file = await verifySignedFile(tamperContent(outer, pdf, 20), { anchors, clock });
  assert.deepEqual(file.signers.map((s) => s.status), ["altered", "altered"]);
});

Deno.test("a changed signature byte makes that signer invalid, not altered", async () => {
  const p7m = await signEnveloping(wav, [rossi, bianchi], SIGNED_AT);
  // DER ends with the last SignerInfo's signature value (there are no unsigned attributes).
  const broken = p7m.slice();
  broken[broken.length - 1] = broken[broken.length - 1]! ^ 0xff;
  const file = await verifySignedFile(broken, { anchors, clock });
  assert.deepEqual(file.signers.map((s) => s.status), ["valid", "invalid"]);
  assert.equal(describeSigner(file.signers[1]!), "Firma non valida.");
});

Deno.test("a certificate swapped for another one with the same key makes the signer invalid", async () => {
  // The attack the ESS signing-certificate-v2 attribute exists for: the signature still
  // verifies with the key, but the certificate shown (here: another serial number) is not the
  // one the signer signed with.
  const p7m = await signEnveloping(pdf, [rossi], SIGNED_AT);
  const signed = new pkijs.SignedData({
    schema: pkijs.ContentInfo.fromBER(p7m as Uint8Array<ArrayBuffer>).content,
  });
  const swapped = pkijs.Certificate.fromBER(rossi.certificate.toSchema().toBER(false));
  swapped.serialNumber = new asn1js.Integer({ value: 424242 });
  await swapped.sign(intermediate.privateKey, "SHA-256");
  signed.certificates = [swapped, intermediate.certificate];
  (signed.signerInfos[0]!.sid as pkijs.IssuerAndSerialNumber).serialNumber = swapped.serialNumber;
  const forged = new pkijs.ContentInfo({
    contentType: "1.2.840.113549.1.7.2",
    content: signed.toSchema(true),
  }).toSchema().toBER(false);
  const file = await verifySignedFile(new Uint8Array(forged), { anchors, clock });
  assert.equal(file.signers[0]?.status, "invalid");
  assert.match(file.signers[0]?.statusReason ?? "", /signing-certificate/);
});

Deno.test("a signer from a CA outside the anchors is untrusted, even with the same CA name", async () => {
  const p7m = await signEnveloping(pdf, [stranger], SIGNED_AT);
  const file = await verifySignedFile(p7m, { anchors, clock });
  const [signer] = file.signers;
  assert.equal(signer?.status, "valid");
  assert.equal(signer?.chain, "untrusted");
  assert.ok(signer?.chainReason);
  assert.match(describeSigner(signer!), /non risale a un'autorità riconosciuta/);
  // With the stranger's own root as anchor the same file is trusted: the anchor decides.
  const trusting = await verifySignedFile(p7m, { anchors: [forgedRoot.certificate], clock });
  assert.equal(trusting.signers[0]?.chain, "trusted");
});

Deno.test("without trust anchors the chain is not checked and never reported as trusted", async () => {
  const p7m = await signEnveloping(wav, [rossi, bianchi], SIGNED_AT);
  for (const options of [{}, { anchors: [] }]) {
    const file = await verifySignedFile(p7m, options);
    for (const signer of file.signers) {
      assert.equal(signer.status, "valid");
      assert.equal(signer.chain, "not_checked");
      assert.equal(signer.chainCheckedAt, null);
      assert.match(describeSigner(signer), /catena dei certificati non verificata/);
      assert.doesNotMatch(describeSigner(signer), /valida/);
    }
  }
});

Deno.test("the chain is checked at the declared signing time, not today", async () => {
  const shortLived = await createSigner(
    intermediate,
    {
      givenName: "Mario",
      surname: "Rossi",
      taxCode: "RSSMRA80A01H501U",
    },
    { notBefore: new Date("2021-01-01T00:00:00Z"), notAfter: new Date("2023-01-01T00:00:00Z") },
    [
      intermediate.certificate,
    ],
  );
  const inTime = await signEnveloping(pdf, [shortLived], new Date("2022-06-01T12:00:00Z"));
  assert.equal((await verifySignedFile(inTime, { anchors, clock })).signers[0]?.chain, "trusted");
  const late = await signEnveloping(pdf, [shortLived], SIGNED_AT);
  const file = await verifySignedFile(late, { anchors, clock });
  assert.equal(file.signers[0]?.chain, "untrusted");
  assert.match(file.signers[0]?.chainReason ?? "", /expired|not yet valid/);
});

Deno.test("base64 and PEM-wrapped envelopes open like DER", async () => {
  const p7m = await signEnveloping(pdf, [rossi], SIGNED_AT);
  const b64 = toBase64(p7m);
  const wrapped = b64.match(/.{1,76}/g)!.join("\r\n");
  const pem = `-----BEGIN PKCS7-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END PKCS7-----\n`;
  for (const text of [b64, wrapped, pem]) {
    const file = await verifySignedFile(new TextEncoder().encode(text), { anchors, clock });
    assert.deepEqual(file.content, pdf);
    assert.equal(file.signers[0]?.status, "valid");
    assert.equal(file.signers[0]?.chain, "trusted");
  }
});

async function assertRejects(bytes: Uint8Array, code: SignedFileErrorCode) {
  await assert.rejects(verifySignedFile(bytes, { anchors, clock }), (e: unknown) => {
    assert.ok(e instanceof SignedFileError, `expected SignedFileError, got ${e}`);
    assert.equal(e.code, code);
    assert.ok(e.message.length > 10);
    return true;
  });
}

Deno.test("BER envelopes with indefinite lengths and chunked content verify", async () => {
  // Several signing tools stream the content as a constructed OCTET STRING of chunks.
  const p7m = await signEnveloping(wav, [rossi, bianchi], SIGNED_AT);
  const info = pkijs.ContentInfo.fromBER(p7m as Uint8Array<ArrayBuffer>);
  const signed = new pkijs.SignedData({ schema: info.content });
  const chunks = [0, 600, 1200].map((start) =>
    new asn1js.OctetString({ valueHex: wav.slice(start, start + 600).buffer })
  );
  signed.encapContentInfo.eContent = new asn1js.OctetString(
    { isConstructed: true, isIndefiniteForm: true, value: chunks } as ConstructorParameters<
      typeof asn1js.OctetString
    >[0],
  );
  const ber = new Uint8Array(
    new pkijs.ContentInfo({ contentType: info.contentType, content: signed.toSchema(true) })
      .toSchema().toBER(false),
  );
  assert.equal(ber[1], 0x80, "outer SEQUENCE has an indefinite length");
  const file = await verifySignedFile(ber, { anchors, clock });
  assert.deepEqual(file.content, wav);
  assert.deepEqual(file.signers.map((s) => s.status), ["valid", "valid"]);
});

Deno.test("an envelope larger than asn1js's default 16 MiB limit opens", async () => {
  // A council session's audio is tens of MB; asn1js refuses values over 16 MiB unless told.
  const audio = new Uint8Array(17 * 1024 * 1024);
  audio.set(wav.subarray(0, 44));
  for (let i = 44; i < audio.length; i += 65536) {
    crypto.getRandomValues(audio.subarray(i, Math.min(i + 65536, audio.length)));
  }
  const p7m = await signEnveloping(audio, [rossi, bianchi], SIGNED_AT);
  const file = await verifySignedFile(p7m, { anchors, clock });
  assert.equal(file.content.length, audio.length);
  assert.equal(file.mime, "audio/wav");
  assert.deepEqual(file.signers.map((s) => s.status), ["valid", "valid"]);
});

Deno.test("input that is not a signed envelope fails with SignedFileError, never a crash", async () => {
  const random = crypto.getRandomValues(new Uint8Array(2048));
  const derLooking = random.slice();
  derLooking[0] = 0x30;
  const certificateDer = new Uint8Array(root.certificate.toSchema().toBER(false));
  const p7m = await signEnveloping(pdf, [rossi], SIGNED_AT);
  for (
    const garbage of [
      new Uint8Array(0),
      random,
      derLooking,
      pdf,
      wav,
      new TextEncoder().encode("not base64 at all!"),
      new TextEncoder().encode(toBase64(pdf)),
      new TextEncoder().encode(certificateToPem(root.certificate)),
      certificateDer,
      p7m.slice(0, p7m.length / 2),
    ]
  ) await assertRejects(garbage, "not_signed_file");
});

Deno.test("envelopes nested beyond the limit are refused", async () => {
  let bytes: Uint8Array = pdf;
  for (let i = 0; i <= MAX_ENVELOPE_DEPTH; i++) {
    bytes = await signEnveloping(bytes, [rossi], SIGNED_AT);
  }
  await assertRejects(bytes, "too_deep");
});

Deno.test("tax code comes from TINIT- or IT: serial numbers and only when well-formed", async () => {
  const subjects = [
    ["IT:RSSMRA80A01H501U", "RSSMRA80A01H501U"],
    ["TINIT-RSSMRA80A01H501X", null], // wrong check character
    ["VATIT-01234567890", null], // a company's VAT number, not a person's tax code
    ["1234567", null],
  ] as const;
  for (const [serial, expected] of subjects) {
    const signer: SignerIdentity = await createSigner(root, {
      givenName: "Mario",
      surname: "Rossi",
      taxCode: "RSSMRA80A01H501U",
      subjectSerialNumber: serial,
    }, VALIDITY);
    const file = await verifySignedFile(await signEnveloping(pdf, [signer], SIGNED_AT), { clock });
    assert.equal(file.signers[0]?.taxCode, expected, serial);
    assert.equal(file.signers[0]?.subjectSerialNumber, serial);
  }
});

Deno.test("the inner file name drops .p7m suffixes and gains the type's extension if bare", () => {
  assert.equal(innerFileName("verbale.pdf.p7m", null), "verbale.pdf");
  assert.equal(innerFileName("verbale.PDF.P7M.p7m", null), "verbale.PDF");
  assert.equal(
    innerFileName("seduta.p7m", "audio/mpeg"),
    "seduta.mp3",
  );
});

Deno.test("trust anchors load from a folder of PEM and DER files; unreadable files are listed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const other: KeyedCertificate = await createRootCa("Altra CA", VALIDITY);
    await Deno.writeTextFile(`${dir}/root.pem`, certificateToPem(root.certificate));
    // A bundle with two certificates, one of them repeated from root.pem.
    await Deno.writeTextFile(
      `${dir}/bundle.crt`,
      `# snapshot\n${certificateToPem(other.certificate)}${certificateToPem(root.certificate)}`,
    );
    await Deno.writeFile(
      `${dir}/forged.cer`,
      new Uint8Array(forgedRoot.certificate.toSchema().toBER(false)),
    );
    await Deno.writeTextFile(
      `${dir}/broken.pem`,
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    await Deno.writeTextFile(`${dir}/README.txt`, "not a certificate");
    const loaded = await loadTrustAnchors(dir);
    assert.equal(loaded.certificates.length, 3);
    assert.deepEqual(loaded.skipped.map((s) => s.file), ["broken.pem"]);

    const p7m = await signEnveloping(pdf, [rossi], SIGNED_AT);
    const file = await verifySignedFile(p7m, { anchors: loaded.certificates, clock });
    assert.equal(file.signers[0]?.chain, "trusted");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing anchors folder is an error, not an empty trust list", async () => {
  await assert.rejects(loadTrustAnchors("./no-such-anchors-folder"), Deno.errors.NotFound);
});
