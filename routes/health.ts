/**
 * `/healthz`: 503 while the search index builds (and the composition finishes its warm-up),
 * 200 with counts once it answers.
 */
import { Hono } from "hono";
import type { AppDeps } from "../app_deps.ts";

/** The health probe the service manager and the benchmark poll. */
export function healthRoutes({ index, warmedUp }: AppDeps): Hono {
  return new Hono().get("/", (c) => {
    c.header("Cache-Control", "no-store");
    const state = index.state();
    if (!state.ready || warmedUp?.() === false) return c.json({ status: "starting" }, 503);
    return c.json({ status: "ready", records: state.records, indexed: state.indexed });
  });
}
