/**
 * Evidence (DOKUMENTATION) as the page checks it before it keeps a file: the types and size the
 * server takes (server/models/plans.py ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES), and how a file
 * is shown. Pure functions, tested in tests/pwa/evidence_model.test.js.
 */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The key (under evidence.errors) of why a file cannot be attached, or null. */
export function checkAttachment(file) {
  if (!file) return 'choose';
  if (file.size === 0) return 'empty';
  if (!ATTACHMENT_TYPES.includes(file.type) && !isImage(file)) return 'type';
  if (file.size > MAX_ATTACHMENT_BYTES && !isImage(file)) return 'too_large';
  return null;
}

/** Photos of any format the browser decodes are re-encoded as JPEG (which drops EXIF). */
export function isImage(file) {
  return Boolean(file && typeof file.type === 'string' && file.type.startsWith('image/'));
}

/** "12 kB", "3.4 MB": enough to tell files apart. */
export function sizeText(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A file name the server takes (at most 200 characters, no path), or a fallback. */
export function cleanFilename(name, fallback) {
  const base = String(name || '')
    .split(/[\\/]/)
    .pop()
    .trim();
  return (base || fallback).slice(0, 200);
}

/** A photo's name once re-encoded: the same name, ending in .jpg. */
export function jpegName(name) {
  const base = cleanFilename(name, 'foto').replace(/\.[^.]+$/, '');
  return `${base.slice(0, 196)}.jpg`;
}
