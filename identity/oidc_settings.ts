/** What a town configures for citizen sign-in, apart from the OIDC client that uses it. */

/** The town's broker, and Faldone's registration there. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Scopes asked for; the broker must release `fiscal_number` for them. */
  scope: string;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Plain http is allowed only to a broker on this machine (tests, a local proxy). */
export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK.has(new URL(url).hostname);
}
