/**
 * A real OpenID provider on loopback for the citizen sign-in tests: npm `oidc-provider` (the
 * certified Node implementation, a Koa app) behind node:http on 127.0.0.1:0, with one
 * confidential client and test accounts whose claims carry `fiscal_number` as SPID and CIE
 * brokers send it (`TINIT-<codice fiscale>`). Its development login and consent pages
 * (devInteractions) accept any password: the account is the login typed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Provider from "oidc-provider";

/** The client the provider knows, as the town registers Faldone with its broker. */
export const TEST_CLIENT_ID = "faldone-archivio";
export const TEST_CLIENT_SECRET = "segreto-del-client-di-prova-0123456789";

/** Test accounts: login → claims. */
export const TEST_ACCOUNTS: Record<string, Record<string, string>> = {
  mario: {
    fiscal_number: "TINIT-RSSMRA85T10A562S",
    given_name: "Mario",
    family_name: "Rossi",
  },
  giulia: {
    fiscal_number: "TINIT-MLLSNT82P65Z404U",
    given_name: "Giulia",
    family_name: "Mollo",
  },
  // A broker sending a code whose check character is wrong.
  sbagliato: {
    fiscal_number: "TINIT-RSSMRA85T10A562A",
    given_name: "Errato",
    family_name: "Codice",
  },
  // No fiscal number at all (an identity without one, e.g. a foreign eIDAS login).
  senzacf: { given_name: "Senza", family_name: "Codice" },
};

/** A running provider; `close()` stops it. */
export interface TestProvider extends AsyncDisposable {
  issuer: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Starts the provider. `redirectUri` may be a function, called once the provider's own port
 * is known, so a test can start the app with the issuer URL in its config first.
 */
export async function startTestProvider(
  redirectUri: string | (() => string | Promise<string>),
): Promise<TestProvider> {
  let handler: Handler = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the provider is not on TCP");
  const { port } = address;
  const issuer = `http://127.0.0.1:${port}`;
  const redirect = typeof redirectUri === "string" ? redirectUri : await redirectUri();
  const key = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const jwk = await crypto.subtle.exportKey("jwk", key.privateKey);
  const provider = new Provider(issuer, {
    clients: [{
      client_id: TEST_CLIENT_ID,
      client_secret: TEST_CLIENT_SECRET,
      redirect_uris: [redirect],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    }],
    jwks: { keys: [{ ...jwk, kid: "test-key", use: "sig", alg: "RS256" }] },
    cookies: { keys: ["chiave-dei-cookie-del-provider-di-prova"] },
    claims: {
      openid: ["sub"],
      profile: ["given_name", "family_name", "fiscal_number"],
    },
    features: { devInteractions: { enabled: true } },
    // Explicit lifetimes (the defaults print a notice each): short, as a broker's are.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    findAccount(_ctx: unknown, id: string) {
      const claims = TEST_ACCOUNTS[id];
      if (!claims) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
  });
  // The dev pages warn on every start; the tests know they are dev pages.
  provider.on("server_error", (_ctx: unknown, err: Error) => console.error(err));
  handler = provider.callback();
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { issuer, close, [Symbol.asyncDispose]: close };
}
