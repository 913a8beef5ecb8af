/**
 * The locale files in two parts, so that the first screen (login, the units, a unit's plans,
 * the frame and its sync bar) loads only its own words:
 *
 *   import first from '../locales/da.json?first'   FIRST_SCREEN_KEYS, with the app (i18n.js)
 *   import('../locales/da.json?rest')               every other key, in a chunk of its own
 *
 * The files stay whole (one per language, same keys in all three); the parts are cut when
 * they are imported, by esbuild in build.mjs and by Vite in vitest.config.js, with the same
 * function. tests/pwa/first_screen_strings.test.js checks that every key the first screen's
 * modules name is in FIRST_SCREEN_KEYS.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Whole sections ("sync") or single keys ("quality.title"): what the first screen says. The
 * other screens load the rest before they draw (main.js), so it need not hold their words. */
export const FIRST_SCREEN_KEYS = [
  'app',
  'nav',
  'sync',
  'login',
  'units',
  'plans',
  'plan_state',
  'saving',
  'update',
  'admin.nav',
  'conflicts.count',
  'documents.export_link',
  'documents.import_link',
  'drafts.logout_warn',
  'drafts.waiting',
  'plan.colleague',
  'plan.untitled',
  'quality.title',
  'settings.cancel',
  'settings.logout',
  'settings.logout_anyway',
  'settings.logout_warn',
  'visits.title',
];

const PART = /^(.*)\.json\?(first|rest)$/;

/** The keys of `strings` named in `keys` (part "first"), or all the others (part "rest"). */
export function localePart(strings, part, keys = FIRST_SCREEN_KEYS) {
  const wanted = keys.map((k) => k.split('.'));
  /** @returns {any} */
  const cut = (node, at) => {
    const out = {};
    for (const [name, value] of Object.entries(node)) {
      const here = [...at, name];
      const whole = wanted.some((w) => w.length <= here.length && w.every((p, i) => p === here[i]));
      const inside = wanted.some((w) => w.length > here.length && here.every((p, i) => p === w[i]));
      if (whole) {
        if (part === 'first') out[name] = value;
      } else if (inside && value && typeof value === 'object') {
        const sub = cut(value, here);
        if (Object.keys(sub).length) out[name] = sub;
      } else if (part === 'rest') {
        out[name] = value;
      }
    }
    return out;
  };
  return cut(strings, []);
}

/**
 * The keys a module's source names (string literals such as 'sync.idle', and the fixed head of
 * a template such as `sync.error.${code}`, for every top-level section of `strings`) that the
 * first part does not hold. build.mjs asks this of every module of the first screen.
 * @returns {string[]}
 */
export function missingFirstScreenKeys(source, strings, keys = FIRST_SCREEN_KEYS) {
  const missing = [];
  for (const m of source.matchAll(/['"`]([a-z_]+)\.([a-z_.]*?)(\$\{|['"`])/g)) {
    if (!Object.hasOwn(strings, m[1])) continue;
    const key = `${m[1]}.${m[2]}`.replace(/\.$/, '');
    const covered = keys.some((k) => key === k || key.startsWith(`${k}.`));
    if (!covered) missing.push(m[3] === '${' ? `${key}.*` : key);
  }
  return [...new Set(missing)];
}

function load(file, part) {
  return localePart(JSON.parse(readFileSync(file, 'utf8')), part);
}

/** For esbuild (build.mjs). The virtual module is named `da.first.json`, and its chunk so. */
export function esbuildLocaleParts() {
  return {
    name: 'locale-parts',
    setup(b) {
      b.onResolve({ filter: PART }, (args) => {
        const [, base, part] = PART.exec(args.path);
        return { path: `${path.resolve(args.resolveDir, base)}.${part}.json`, namespace: 'locale-part' };
      });
      b.onLoad({ filter: /.*/, namespace: 'locale-part' }, (args) => {
        const [, base, part] = /^(.*)\.(first|rest)\.json$/.exec(args.path);
        return { contents: JSON.stringify(load(`${base}.json`, part)), loader: 'json', watchFiles: [`${base}.json`] };
      });
    },
  };
}

/** For Vite (vitest.config.js). */
export function viteLocaleParts() {
  const prefix = '\0locale-part:';
  return {
    name: 'locale-parts',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith(prefix)) return source;
      const m = PART.exec(source);
      if (!m || !importer) return null;
      // Not named *.json: Vite's own JSON plugin would take it.
      return `${prefix}${path.resolve(path.dirname(importer), m[1])}:${m[2]}`;
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const [, base, part] = /^(.*):(first|rest)$/.exec(id.slice(prefix.length));
      return `export default ${JSON.stringify(load(`${base}.json`, part))};`;
    },
  };
}
