/**
 * Who outside the office may open a document's content (DOMAIN §2.1, §2.3). Clerks open every
 * document; the public only a document marked `public` of a record that is not restricted.
 *
 * For acts that is their published attachments. For dossiers, `public` defaults to false
 * because scans carry names and signatures, so a scan stays clerk-only unless the archive
 * marked that very document public; §2.3 hides restricted records and non-public documents
 * and nothing more, so such a document is as public as an act's attachment.
 */

/** Whether the public may open a document's content. */
export function publicMayOpen(recordRestricted: boolean, documentPublic: boolean): boolean {
  return !recordRestricted && documentPublic;
}

/** Whether a clerk's open is audited: a document of a restricted record, or a non-public one. */
export function isRestrictedDocument(recordRestricted: boolean, documentPublic: boolean): boolean {
  return !publicMayOpen(recordRestricted, documentPublic);
}
