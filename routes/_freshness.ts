/** "Dati aggiornati al …": when this branch last finished pulling from the archive. */
import type { Db } from "../db/client.ts";
import { lastSuccessfulPullAt } from "../sync/sync_state.ts";

// The kiosk stands in an Italian town hall: show its wall-clock time, whatever the server's zone.
const FORMAT = new Intl.DateTimeFormat("it-IT", {
  timeZone: "Europe/Rome",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** `25/11/2026 alle 14:30` for the layout's freshness line, or undefined before any sync. */
export async function dataUpdatedAt(db: Db): Promise<string | undefined> {
  const at = await lastSuccessfulPullAt(db);
  if (!at || Number.isNaN(at.getTime())) return undefined;
  return FORMAT.format(at).replace(", ", " alle ");
}
