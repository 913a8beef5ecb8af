/**
 * Documents as the page handles them (docs/api.md, documents endpoints): names of downloaded
 * files, query strings of the item export, and what an import error means for the user.
 * Pure functions, tested in tests/pwa/files.test.js.
 */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024; // server/documents/docx_import.py MAX_BYTES
export const ITEM_STATES = ['not_started', 'in_progress', 'done', 'cancelled'];

/** The file name from a Content-Disposition header (RFC 6266: filename* wins), or null. */
export function filenameFromDisposition(header) {
  if (!header) return null;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    try {
      return sanitize(decodeURIComponent(star[2].trim().replace(/^"|"$/g, '')));
    } catch {
      // a broken encoding: fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  return plain ? sanitize((plain[2] ?? plain[1]).trim()) : null;
}

function sanitize(name) {
  const base = name.split(/[\\/]/).pop().trim();
  return base || null;
}

/**
 * `?lang=..&unit_id=..&state=..&overdue=true` with the filters that are set.
 * @param {{ lang?: string, unitId?: string, state?: string, overdue?: boolean }} [filters]
 */
export function exportQuery({ lang, unitId, state, overdue } = {}) {
  const params = new URLSearchParams();
  if (lang) params.set('lang', lang);
  if (unitId) params.set('unit_id', unitId);
  if (state && ITEM_STATES.includes(state)) params.set('state', state);
  if (overdue) params.set('overdue', 'true');
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Checks the browser can make before sending the file; the key of the message, or null. */
export function checkImportFile(file) {
  if (!file) return 'choose';
  if (file.size === 0) return 'empty';
  if (file.size > IMPORT_MAX_BYTES) return 'too_large';
  return null;
}

/**
 * What a refused upload means, as a key under documents.errors. The server answers 413
 * `too_large`, or 422 `invalid_input` with `reason` (`empty`, `not_docx`, `corrupt`, `macros`;
 * docs/api.md) beside its words under `fields.file`; anything else shows the server's own
 * message.
 */
const IMPORT_REASONS = new Set(['empty', 'not_docx', 'corrupt', 'macros']);

export function importErrorKey(err) {
  if (!err) return 'generic';
  if (err.code === 'network') return 'network';
  if (err.code === 'too_large' || err.status === 413) return 'too_large';
  if (err.code === 'forbidden' || err.status === 403) return 'forbidden';
  const reason = err.body && err.body.reason;
  return IMPORT_REASONS.has(reason) ? reason : 'generic';
}
