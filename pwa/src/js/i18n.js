/**
 * Strings come from the locale files only. Danish is the default; Swedish and English are
 * selectable. `t('a.b', {n})` picks a plural form ({zero, one, other}) when the key holds one.
 */
import da from '../locales/da.json?first';

// Each language's strings come in two parts (pwa/locale_parts.mjs): the first screen's words,
// and the rest. Danish's first part is in the app's own code; everything else is a chunk of
// its own: Swedish and English when chosen (`loadLanguage`), the rest of the current language
// once the first screen is drawn (`loadAllStrings`; every other screen waits for it, main.js).
// The template's words (column headings and questions, plan kinds) come from the file the Word
// export reads too (template_labels.js) and with the rest: only the screens after the first
// use them. Until a language is loaded its keys read in Danish.

/**
 * The strings of the languages loaded so far: Danish always (it is the fallback of every key).
 * @type {Record<string, any>}
 */
export const LOCALES = { da };
export const LANGUAGES = ['da', 'sv', 'en'];
const FIRST = {
  sv: () => import('../locales/sv.json?first'),
  en: () => import('../locales/en.json?first'),
};
const REST = {
  da: () => import('../locales/da.json?rest'),
  sv: () => import('../locales/sv.json?rest'),
  en: () => import('../locales/en.json?rest'),
};
const TAGS = { da: 'da-DK', sv: 'sv-SE', en: 'en-GB' };

let current = 'da';
/** @type {Record<string, Promise<void>>} the rest of each language, once asked for */
const rests = {};
let restWanted = false;

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : 'da';
  if (globalThis.document) globalThis.document.documentElement.lang = current;
  return current;
}

/** Load a language's strings (offline too: the chunks are precached) and switch to it. Once
 * the rest of the strings has been asked for, a language chosen later loads all of its own. */
export async function loadLanguage(lang) {
  if (!LOCALES[lang] && FIRST[lang]) LOCALES[lang] = (await FIRST[lang]()).default;
  const chosen = setLanguage(lang);
  if (restWanted) await loadRest(chosen);
  return chosen;
}

/** The words of every screen, in the current language (and Danish, the fallback). */
export function loadAllStrings() {
  restWanted = true;
  return Promise.all([loadRest('da'), loadRest(current)]).then(() => undefined);
}

function loadRest(lang) {
  if (!rests[lang]) {
    rests[lang] = Promise.all([REST[lang](), import('./template_labels.js')]).then(([rest, labels]) => {
      const words = labels.withTemplateLabels({ [lang]: rest.default })[lang];
      LOCALES[lang] = { ...words, ...merged(LOCALES[lang], words) };
    });
    rests[lang].catch(() => delete rests[lang]); // asked again on the next screen
  }
  return rests[lang];
}

/** The first part's sections with the rest's keys of the same section added. */
function merged(first, rest) {
  const out = {};
  for (const [name, value] of Object.entries(first || {})) {
    const more = rest[name];
    out[name] =
      value && typeof value === 'object' && more && typeof more === 'object'
        ? { ...more, ...merged(value, more) }
        : value;
  }
  return out;
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

/** One Intl.DateTimeFormat per language and style, kept: `toLocaleDateString` with options
 * builds a new one on every call (~0.1-0.2 ms), and a plan's page of rows formats hundreds of
 * dates (a scroll profile of a long plan had them at ~15 ms of every step of 40 rows). */
const dateFormats = new Map();
function dateFormat(style, options) {
  const key = `${current} ${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(TAGS[current], options);
    dateFormats.set(key, format);
  }
  return format;
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat('date', { day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // The year only when it is not this one: "27. aug. 2021, 09.00", but "3. dec., 07.03".
  const year = d.getFullYear() === new Date().getFullYear() ? undefined : 'numeric';
  return dateFormat(`time ${year}`, {
    day: 'numeric',
    month: 'short',
    year,
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
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
