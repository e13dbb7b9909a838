/**
 * The signatures of a signed file (`.p7m`), beside its viewer or player: who signed, when
 * (as declared), whether the signature holds and whether the certificate chain was checked.
 */
import { Fragment } from "hono/jsx";
import { useI18n } from "../i18n/context.tsx";
import { it, type Messages } from "../i18n/it.ts";
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
export function signatureVerdict(s: SignerReport, t: Messages = it): string {
  const w = t.signatures;
  if (s.status === "altered") return w.altered;
  if (s.status === "invalid") return w.invalid;
  switch (s.chain) {
    case "trusted":
      return w.valid;
    case "untrusted":
      return w.untrusted;
    case "not_checked":
      return w.notChecked;
  }
}

/** Wording for the certificate chain. */
export function chainLabel(s: SignerReport, t: Messages = it): string {
  switch (s.chain) {
    case "trusted":
      return t.signatures.chainTrusted;
    case "untrusted":
      return t.signatures.chainUntrusted;
    case "not_checked":
      return t.signatures.chainNotChecked;
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
) => {
  const { t } = useI18n();
  const w = t.signatures;
  return (
    <li class="signer">
      <h3 class="h5 signer-name">{s.name ?? s.commonName ?? w.signerN(n)}</h3>
      <p class={verdictClass(s)}>{signatureVerdict(s, t)}</p>
      <dl class="signer-facts">
        <Row label={w.organization} value={s.organization} />
        {showTaxCode ? <Row label={w.taxCode} value={s.taxCode ?? s.subjectSerialNumber} /> : null}
        <Row
          label={w.signedOn}
          value={s.signingTime ? w.declaredTime(formatSigningTime(s.signingTime)) : w.noTime}
        />
        <Row label={w.certificate} value={chainLabel(s, t)} />
        <Row label={w.issuer} value={s.issuer} />
      </dl>
      <p class="signer-detail">{describeSigner(s, t)}</p>
    </li>
  );
};

/** The panel: a count, then each signer from the outermost envelope in. */
export const SignaturePanel: FC<{ report: SignatureReport; showTaxCode: boolean }> = (
  { report, showTaxCode },
) => {
  const { t } = useI18n();
  const w = t.signatures;
  const count = report.signers.length;
  const altered = report.signers.some((s) => s.status !== "valid");
  return (
    <section class="signature-panel" aria-labelledby="signature-panel-title">
      <h2 id="signature-panel-title" class="h4">{w.title}</h2>
      <p>
        {w.count(count)}
        {report.envelopes > 1 ? w.envelopes(report.envelopes) : ""}.
        {altered ? w.warning : ""}
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
