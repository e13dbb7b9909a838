/** `main.ts archive`: the central archive, the same app in the archive role with the sync API. */
import { createApp } from "../app.ts";
import { loadConfig, parseFlags } from "../config.ts";
import { openDb } from "../db/client.ts";
import { loadDemoArchive } from "../demo/demo_archive.ts";
import { createRecordIndex } from "../search/record_index.ts";
import { buildAndFollow, createChangeFollower } from "../search/change_follower.ts";
import { reportFollowError } from "./serve.ts";

const HELP = `Usage: main.ts archive [--port N] [--db PATH|URL] [--no-demo]

Serves the central archive (admin UI and the /sync/v1 API for the branches).
  --port N       port to listen on (env PORT; default 8100; 0 picks a free one)
  --db PATH|URL  database file, or a libSQL server URL (libsql://…, http://…) with its token
                 in FALDONE_DB_AUTH_TOKEN (env FALDONE_DB; default ./data/archive.db)
  --no-demo      do not load the demo archive into an empty database (env FALDONE_NO_DEMO=1)
Citizen sign-in (SPID/CIE through the town's OpenID Connect broker, /area-personale):
FALDONE_OIDC_ISSUER, FALDONE_OIDC_CLIENT_ID, FALDONE_OIDC_CLIENT_SECRET, FALDONE_PUBLIC_URL
(all four, or none; docs/ACCESS.md "Sign-in online").
Register branches with \`main.ts branch add NAME --db …\`. Records imported into the same
database while it runs (main.ts import) reach its search within a few seconds.`;

/** Opens the archive DB, serves at once and builds the search index behind it. */
export async function archiveCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {});
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig("archive", values, (n) => Deno.env.get(n));
  const authToken = Deno.env.get("FALDONE_DB_AUTH_TOKEN");
  const { db } = await openDb(config.dbPath, authToken ? { authToken } : {});
  const clock = () => new Date();
  if (config.demo) {
    const loaded = await loadDemoArchive(db, clock);
    if (loaded.dossiers + loaded.acts > 0) {
      console.log(
        `Archivio dimostrativo caricato: ${loaded.dossiers} pratiche, ${loaded.acts} atti`,
      );
    }
  }
  const index = createRecordIndex();
  const app = createApp({ db, index, clock, config });
  const server = Deno.serve({
    port: config.port,
    hostname: config.hostname,
    onListen: ({ hostname, port }) =>
      console.log(`Archivio in ascolto su http://${hostname}:${port}`),
  }, app.fetch);
  // An import into the archive's DB while it runs reaches its search within seconds.
  await buildAndFollow(db, index, createChangeFollower(db, index), reportFollowError);
  await server.finished;
  return 0;
}
