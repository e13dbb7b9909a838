/** A migrated libSQL file in a temp dir of its own, closed and removed with `await using`. */
import { type OpenDb, openDb } from "../db/client.ts";

/** What a test gets: the open DB, its file's path and folder. */
export interface TempDb extends OpenDb, AsyncDisposable {
  dir: string;
  path: string;
}

/** Opens `name`.db in a new temp dir through the real migrations. */
export async function tempDb(name = "test"): Promise<TempDb> {
  const dir = await Deno.makeTempDir({ prefix: "faldone-test-" });
  const path = `${dir}/${name}.db`;
  const opened = await openDb(path);
  return {
    ...opened,
    dir,
    path,
    async [Symbol.asyncDispose]() {
      opened.client.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
