import { MAX_IMPORT_BYTES } from '../../core/subscribers-admin/parse-import.js';

/** The request bodies that carry a subscriber CSV: the console's upload and the API's import. */
export function isImportPath(path: string): boolean {
  return path === '/editor/console/subscribers/import' || path === '/editor/api/subscribers/import';
}

/**
 * Largest body of an import request: the CSV cap plus room for a multipart form's framing, so a
 * file just over the cap is answered by the import itself, which says what to do.
 */
export const IMPORT_BODY_LIMIT = MAX_IMPORT_BYTES + 64 * 1024;
