/**
 * Citizen sign-in through the town's identity broker (SPID and CIE reach towns through such
 * brokers) over OpenID Connect, with `openid-client`: authorization code flow, PKCE (S256),
 * state and nonce, client secret; the codice fiscale from the `fiscal_number` claim, read
 * from the ID token or else from the userinfo endpoint. Every failure becomes a SignInError
 * whose message is fit to show: no code, state, token, claim or broker text in it.
 */
import * as oidc from "openid-client";
import { taxCodeFromFiscalNumber } from "../domain/fiscal_number.ts";
import type { PendingLogin } from "../db/citizen_sessions.ts";
import { isLoopbackUrl, type OidcSettings } from "./oidc_settings.ts";
import { localMessage } from "../i18n/local_message.ts";

/** A sign-in that cannot go on: a message for the citizen, a reason for the log. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 502,
    /** For the server log only: error names and codes, never tokens or personal data. */
    readonly reason: string,
  ) {
    super(message);
    this.name = "SignInError";
  }
}

/** Messages shown to the citizen. */
// Italian strings that remember their catalogue entry: the sign-in page shows them translated.
export const SIGN_IN_MESSAGES = {
  unreachable: localMessage((t) => t.citizenArea.signInUnreachable),
  failed: localMessage((t) => t.citizenArea.signInFailed),
  cancelled: localMessage((t) => t.citizenArea.signInCancelled),
} as const;

/** Who signed in. */
export interface SignedIn {
  taxCode: string;
  displayName: string | undefined;
}

/** The two halves of a sign-in. */
export interface OidcSignIn {
  /** A new pending sign-in and the broker URL to send the browser to. */
  begin(): Promise<{ url: URL; pending: PendingLogin }>;
  /** Checks the broker's answer against the pending sign-in and reads the citizen's code. */
  finish(callbackQuery: URLSearchParams, pending: PendingLogin): Promise<SignedIn>;
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return "errore sconosciuto";
  const code = "code" in err && typeof err.code === "string" ? ` ${err.code}` : "";
  const oauth = "error" in err && typeof err.error === "string" ? ` ${err.error}` : "";
  return `${err.name}${code}${oauth}`;
}

function nameOf(claims: Record<string, unknown>): string | undefined {
  const given = typeof claims.given_name === "string" ? claims.given_name : "";
  const family = typeof claims.family_name === "string" ? claims.family_name : "";
  const full = `${given} ${family}`.trim() ||
    (typeof claims.name === "string" ? claims.name.trim() : "");
  return full ? full.slice(0, 120) : undefined;
}

/**
 * The sign-in for one broker. The broker's metadata is fetched at the first sign-in and kept
 * (fetched again after a failure), so the archive starts even while the broker is down.
 */
export function createOidcSignIn(settings: OidcSettings, redirectUri: string): OidcSignIn {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc.discovery(
      new URL(settings.issuer),
      settings.clientId,
      undefined,
      oidc.ClientSecretBasic(settings.clientSecret),
      {
        timeout: 10,
        ...(isLoopbackUrl(settings.issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
      },
    ).catch((err) => {
      discovered = undefined;
      throw new SignInError(SIGN_IN_MESSAGES.unreachable, 502, `discovery: ${reasonOf(err)}`);
    });
    return discovered;
  };

  return {
    async begin() {
      const config = await configuration();
      const pending: PendingLogin = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: "S256",
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },

    async finish(callbackQuery, pending) {
      const config = await configuration();
      // The URL the broker redirected to, rebuilt from the configured public address: behind
      // a proxy the request's own URL is not the registered redirect URI.
      const current = new URL(redirectUri);
      current.search = callbackQuery.toString();
      let tokens;
      try {
        tokens = await oidc.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        const denied = err instanceof oidc.AuthorizationResponseError &&
          err.error === "access_denied";
        throw new SignInError(
          denied ? SIGN_IN_MESSAGES.cancelled : SIGN_IN_MESSAGES.failed,
          400,
          reasonOf(err),
        );
      }
      const idToken = tokens.claims();
      if (!idToken) throw new SignInError(SIGN_IN_MESSAGES.failed, 400, "nessun ID token");
      let claims: Record<string, unknown> = idToken;
      if (idToken.fiscal_number === undefined) {
        // Many brokers release the attributes at the userinfo endpoint only; its subject must
        // be the ID token's.
        try {
          claims = {
            ...idToken,
            ...await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub),
          };
        } catch (err) {
          throw new SignInError(SIGN_IN_MESSAGES.failed, 400, `userinfo: ${reasonOf(err)}`);
        }
      }
      const cf = taxCodeFromFiscalNumber(claims.fiscal_number);
      if (!cf.ok) throw new SignInError(cf.message, 403, "fiscal_number rifiutato");
      return { taxCode: cf.taxCode, displayName: nameOf(claims) };
    },
  };
}
