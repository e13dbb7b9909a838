/**
 * Reads the online request form: the kiosk form's own checks (readRequestForm) with the
 * codice fiscale of the sign-in in place of a typed one, and the attachments checked by size
 * and by their bytes (PDF, JPEG or PNG), never by name or declared type.
 */
import { z } from "zod";
import { detectFileType } from "../documents/file_type.ts";
import type { NewAccessRequest } from "../db/access_requests.ts";
import type { AttachmentKind, NewAttachment } from "../db/request_attachments.ts";
import { type FormBody, readRequestForm } from "./_request_input.ts";
import { ValidationError } from "./_validate.ts";

/** Largest attachment: a scanned ID or delegation fits in far less. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** The file fields of the form, one per kind. */
export const ATTACHMENT_FIELDS: readonly AttachmentKind[] = ["delega", "documento_identita"];
/** Largest body of the online form: both files at their limit plus the text fields. */
export const MAX_CITIZEN_FORM_BYTES = ATTACHMENT_FIELDS.length * MAX_ATTACHMENT_BYTES + 64 * 1024;

const ACCEPTED = new Set(["pdf", "jpeg", "png"]);
const FILE_LABELS: Record<AttachmentKind, string> = {
  delega: "la delega",
  documento_identita: "il documento d'identità",
};

const upload = z.instanceof(File, {
  message: "Allegato non valido: scegli di nuovo il file e invia il modulo.",
}).optional();

/** The edge schema: the file fields must be files (or absent); the rest is read below. */
export const citizenFormSchema = z.looseObject({ delega: upload, documento_identita: upload });

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
  const what = FILE_LABELS[kind];
  if (file.size === 0) {
    errors[kind] = `Il file scelto per ${what} è vuoto: scegline un altro.`;
    return undefined;
  }
  if (file.size > MAX_ATTACHMENT_BYTES) {
    errors[kind] = `Il file scelto per ${what} supera ${
      MAX_ATTACHMENT_BYTES / 1024 / 1024
    } MB: riducine la risoluzione o invia un PDF più leggero.`;
    return undefined;
  }
  const content = new Uint8Array(await file.arrayBuffer());
  const type = detectFileType(content);
  if (!type || !ACCEPTED.has(type.kind)) {
    errors[kind] = `Il file scelto per ${what} non è un PDF, un JPEG o un PNG: ` +
      "salvalo in uno di questi formati e riprova.";
    return undefined;
  }
  return { kind, mime: type.mime, content };
}

/**
 * The request and its files, or a ValidationError listing every field to fix (the form, and
 * the files chosen in it, stay as they were).
 */
export async function readCitizenFiling(
  body: z.infer<typeof citizenFormSchema>,
  taxCode: string,
): Promise<CitizenFiling> {
  const fields: FormBody = { ...body, taxCode };
  const read = readRequestForm(fields);
  const errors: Record<string, string> = read.ok ? {} : { ...read.errors };
  const attachments: NewAttachment[] = [];
  for (const kind of ATTACHMENT_FIELDS) {
    const a = await readUpload(kind, body[kind], errors);
    if (a) attachments.push(a);
  }
  if (!read.ok || Object.keys(errors).length > 0) {
    const messages = [...new Set(Object.values(errors))];
    throw new ValidationError(messages.join(" "), { fields: errors });
  }
  return { input: read.input, attachments };
}
