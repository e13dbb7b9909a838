/**
 * Reads the online request form: the kiosk form's own schema (requestForm) with the
 * codice fiscale of the sign-in in place of a typed one, and the attachments checked by size
 * and by their bytes (PDF, JPEG or PNG), never by name or declared type.
 */
import { z } from "zod";
import type { Messages } from "../i18n/it.ts";
import { detectFileType } from "../documents/file_type.ts";
import type { NewAccessRequest } from "../db/access_requests.ts";
import type { AttachmentKind, NewAttachment } from "../db/request_attachments.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { localMessage, translate } from "../i18n/local_message.ts";
import { requestForm, valuesShape } from "./_request_input.ts";
import { fieldMessages } from "./_validate.ts";

/** Largest attachment: a scanned ID or delegation fits in far less. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** The file fields of the form, one per kind. */
export const ATTACHMENT_FIELDS: readonly AttachmentKind[] = ["delega", "documento_identita"];
/** Largest file content of the online form: both files at their limit (the text fields come on top). */
export const MAX_CITIZEN_FILE_BYTES = ATTACHMENT_FIELDS.length * MAX_ATTACHMENT_BYTES;

const ACCEPTED: ReadonlySet<string> = new Set(["application/pdf", "image/jpeg", "image/png"]);
const upload = z.instanceof(File, {
  message: localMessage((t) => t.citizenArea.badUpload),
}).optional();

/**
 * The edge schema: the kiosk form's fields by shape (one bounded value each, free text
 * cleaned; no urgency or exemption online) and the file fields as files (or absent); the
 * rules of a request are read below.
 */
export const citizenFormSchema = valuesShape.omit({ urgent: true, feeExemptionId: true }).extend({
  delega: upload,
  documento_identita: upload,
});

/** What a valid submit files. */
export interface CitizenFiling {
  input: NewAccessRequest;
  attachments: NewAttachment[];
}

async function readUpload(
  kind: AttachmentKind,
  file: File | undefined,
  errors: Record<string, string>,
): Promise<NewAttachment | undefined> {
  // A file field left empty still arrives, as a nameless empty part.
  if (!file || (file.size === 0 && file.name === "")) return undefined;
  const what = (t: Messages) => t.citizenArea.fileWhat[kind];
  if (file.size === 0) {
    errors[kind] = localMessage((t) => t.citizenArea.fileEmpty(what(t)));
    return undefined;
  }
  if (file.size > MAX_ATTACHMENT_BYTES) {
    const mib = MAX_ATTACHMENT_BYTES / 1024 / 1024;
    errors[kind] = localMessage((t) => t.citizenArea.fileTooBig(what(t), mib));
    return undefined;
  }
  const content = new Uint8Array(await file.arrayBuffer());
  const type = detectFileType(content);
  if (!type || !ACCEPTED.has(type)) {
    errors[kind] = localMessage((t) => t.citizenArea.fileType(what(t)));
    return undefined;
  }
  return { kind, mime: type, content };
}

/**
 * The request and its files, or a UserFacingError listing every field to fix (the form, and
 * the files chosen in it, stay as they were).
 */
export async function readCitizenFiling(
  body: z.infer<typeof citizenFormSchema>,
  taxCode: string,
): Promise<CitizenFiling> {
  // The fields come shaped by the edge schema; the rules are the kiosk form's. The codice
  // fiscale is the sign-in's: whatever the body says under that name is ignored. (`confirm`,
  // the kiosk's summary step, is already a boolean here and has no step online.)
  const { confirm: _confirm, delega: _d, documento_identita: _i, ...fields } = body;
  const read = requestForm.safeParse({ ...fields, taxCode });
  const errors: Record<string, string> = read.success ? {} : fieldMessages(read.error);
  const attachments: NewAttachment[] = [];
  for (const kind of ATTACHMENT_FIELDS) {
    const a = await readUpload(kind, body[kind], errors);
    if (a) attachments.push(a);
  }
  if (!read.success || Object.keys(errors).length > 0) {
    // Each message in the request's language, joined once translated.
    const joined = (t: Messages) =>
      [...new Set(Object.values(errors).map((m) => translate(m, t)))].join(" ");
    throw new UserFacingError(joined, { fields: errors, status: 422 });
  }
  return { input: read.data.input, attachments };
}
