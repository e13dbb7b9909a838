/**
 * The signatures of a signed file (`.p7m`), beside its viewer or player: who signed, when
 * (as declared), whether the signature holds and whether the certificate chain was checked.
 */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import { describeSigner, type SignedFile, type SignerReport } from "../documents/signed_file.ts";

/** What the panel needs of a verified file: no content bytes. */
export type SignatureReport = Pick<SignedFile, "envelopes" | "signers">;

const ROME_TIME = new Intl.DateTimeFormat("it-IT", {
  timeZone: "Europe/Rome",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** `12/05/2024, 10:31` in Italian time. */
export function formatSigningTime(at: Date): string {
  return ROME_TIME.format(at);
}

/**
 * Short verdict for the badge. "Firma valida" only when the chain reached a trusted
 * authority; an unchecked chain never reads as valid (issue 10).
 */
export function signatureVerdict(s: SignerReport): string {
  if (s.status === "altered") return "Documento alterato";
  if (s.status === "invalid") return "Firma non valida";
  switch (s.chain) {
    case "trusted":
      return "Firma valida";
    case "untrusted":
      return "Firma integra, certificato non riconosciuto";
    case "not_checked":
      return "Firma integra, certificato non verificato";
  }
}

/** Wording for the certificate chain. */
export function chainLabel(s: SignerReport): string {
  switch (s.chain) {
    case "trusted":
      return "Emesso da un'autorità di certificazione riconosciuta";
    case "untrusted":
      return "Non risale a un'autorità di certificazione riconosciuta";
    case "not_checked":
      return "Catena dei certificati non verificata (nessuna autorità importata)";
  }
}

function verdictClass(s: SignerReport): string {
  if (s.status !== "valid") return "signer-verdict signer-verdict-bad";
  return s.chain === "trusted" ? "signer-verdict signer-verdict-good" : "signer-verdict";
}

const Row: FC<{ label: string; value: string | null | undefined }> = ({ label, value }) =>
  value
    ? (
      <>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </>
    )
    : null;

/** One signer; the tax code only for staff (a public official's name and office are public). */
const Signer: FC<{ signer: SignerReport; n: number; showTaxCode: boolean }> = (
  { signer: s, n, showTaxCode },
) => (
  <li class="signer">
    <h3 class="h5 signer-name">{s.name ?? s.commonName ?? `Firmatario ${n}`}</h3>
    <p class={verdictClass(s)}>{signatureVerdict(s)}</p>
    <dl class="signer-facts">
      <Row label="Ente" value={s.organization} />
      {showTaxCode
        ? <Row label="Codice fiscale" value={s.taxCode ?? s.subjectSerialNumber} />
        : null}
      <Row
        label="Firmato il"
        value={s.signingTime
          ? `${formatSigningTime(s.signingTime)} (ora dichiarata dal firmatario)`
          : "ora della firma non indicata"}
      />
      <Row label="Certificato" value={chainLabel(s)} />
      <Row label="Rilasciato da" value={s.issuer} />
    </dl>
    <p class="signer-detail">{describeSigner(s)}</p>
  </li>
);

/** The panel: a count, then each signer from the outermost envelope in. */
export const SignaturePanel: FC<{ report: SignatureReport; showTaxCode: boolean }> = (
  { report, showTaxCode },
) => {
  const count = report.signers.length;
  const altered = report.signers.some((s) => s.status !== "valid");
  return (
    <section class="signature-panel" aria-labelledby="signature-panel-title">
      <h2 id="signature-panel-title" class="h4">Firme digitali</h2>
      <p>
        {count === 1 ? "1 firma" : `${count} firme`}
        {report.envelopes > 1 ? ` in ${report.envelopes} buste annidate` : ""}.
        {altered ? " Attenzione: almeno una firma non è valida." : ""}
      </p>
      <ol class="signers">
        {report.signers.map((s, i) => (
          <Fragment key={`${s.envelope}-${s.index}`}>
            <Signer signer={s} n={i + 1} showTaxCode={showTaxCode} />
          </Fragment>
        ))}
      </ol>
    </section>
  );
};
