/** `main.ts serve`: the branch kiosk on its local DB. */
import { createApp } from "../app.ts";
import { loadConfig, parseFlags } from "../config.ts";
import { openDb } from "../db/client.ts";

const HELP = `Usage: main.ts serve [--port N] [--db PATH] [--no-demo]

Serves the kiosk on http://localhost:8000 from ./data/faldone.db.
  --port N       port to listen on (env PORT; default 8000)
  --db PATH      database file or libSQL URL (env FALDONE_DB; default ./data/faldone.db)
  --no-demo      do not load the demo archive into an empty database (env FALDONE_NO_DEMO=1)`;

/** Opens the DB, starts the server at once and builds the search index behind it. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {});
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig("branch", values, (n) => Deno.env.get(n));
  const { db } = await openDb(config.dbPath);
  const index = { state: () => ({ ready: false, records: 0, indexed: 0 }) };
  const app = createApp({ db, index, clock: () => new Date(), config });
  const server = Deno.serve({ port: config.port, hostname: config.hostname }, app.fetch);
  await server.finished;
  return 0;
}
