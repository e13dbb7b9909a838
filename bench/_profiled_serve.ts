/**
 * `main.ts serve` for a profiled run: the same serveCommand, plus a SIGINT listener that
 * exits through Deno.exit, since only an orderly exit makes V8 write the --cpu-prof file.
 */
import { serveCommand } from "../cli/serve.ts";

if (import.meta.main) {
  Deno.addSignalListener("SIGINT", () => Deno.exit(0));
  Deno.exit(await serveCommand(Deno.args));
}
