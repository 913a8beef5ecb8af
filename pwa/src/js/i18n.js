/**
 * Strings come from the locale files only. Danish is the default; Swedish and English are
 * selectable. `t('a.b', {n})` picks a plural form ({zero, one, other}) when the key holds one.
 */
import da from '../locales/da.json';
import { withTemplateLabels } from './template_labels.js';

// The template's words (column headings and questions, plan kinds) come from the file the
// Word export reads too: template_labels.js.

/**
 * The strings of the languages loaded so far: Danish always (it is the fallback of every
 * key); Swedish and English come in their own chunks when chosen (`loadLanguage`), so Danish
 * staff do not load them. Until a language is loaded its keys read in Danish.
 * @type {Record<string, any>}
 */
export const LOCALES = withTemplateLabels({ da });
export const LANGUAGES = ['da', 'sv', 'en'];
const LOADERS = {
  sv: () => import('../locales/sv.json'),
  en: () => import('../locales/en.json'),
};
const TAGS = { da: 'da-DK', sv: 'sv-SE', en: 'en-GB' };

let current = 'da';

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : 'da';
  if (globalThis.document) globalThis.document.documentElement.lang = current;
  return current;
}

/** Load a language's strings (offline too: the chunks are precached) and switch to it. */
export async function loadLanguage(lang) {
  if (!LOCALES[lang] && LOADERS[lang]) {
    const strings = (await LOADERS[lang]()).default;
    LOCALES[lang] = withTemplateLabels({ [lang]: strings })[lang];
  }
  return setLanguage(lang);
}

export function language() {
  return current;
}

/** The BCP 47 tag dates are written in for the current language ("da-DK"). */
export function localeTag() {
  return TAGS[current];
}

function lookup(dict, key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), dict);
}

export function t(key, vars = {}) {
  let value = lookup(LOCALES[current], key);
  if (value === undefined) value = lookup(LOCALES.da, key);
  if (value === undefined) return key;
  if (typeof value === 'object' && 'other' in value) {
    const n = Number(vars.n ?? 0);
    value = n === 0 && value.zero ? value.zero : n === 1 ? value.one : value.other;
  }
  return String(value).replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? `{${name}}`);
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(TAGS[current], { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // The year only when it is not this one: "27. aug. 2021, 09.00", but "3. dec., 07.03".
  const year = d.getFullYear() === new Date().getFullYear() ? undefined : 'numeric';
  return d.toLocaleString(TAGS[current], { day: 'numeric', month: 'short', year, hour: '2-digit', minute: '2-digit' });
}

export function formatBytes(bytes) {
  if (bytes == null) return '?';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}
