/**
 * The branch's own sync and file-transfer messages, made from the catalogue
 * (`syncPanel.reasons`): they travel and are stored as Italian strings (the file queue's
 * `last_error`, the stored sync error, the CLI's output) and the admin page shows them in its
 * reader's language through `translate` (docs/I18N.md, "Errors"). Messages without values
 * are made once when their module loads, so one stored before a restart is still recognised.
 */
import type { Messages } from "../i18n/it.ts";
import { localMessage, translate } from "../i18n/local_message.ts";

type Reasons = Messages["syncPanel"]["reasons"];

/** The Italian text of a sync reason, remembered for the admin page. */
export function syncReason(pick: (r: Reasons) => string): string {
  return localMessage((t) => pick(t.syncPanel.reasons));
}

/**
 * A reason around another message: one of ours (translated with it) or the network stack's
 * own words (shown as they are). `why` comes from code or the network, never from a person.
 */
export function syncReasonAround(pick: (r: Reasons, why: string) => string, why: string): string {
  return localMessage((t) => pick(t.syncPanel.reasons, translate(why, t)));
}
