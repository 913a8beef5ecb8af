// The locale files cut in two (pwa/locale_parts.mjs): the first screen's words and the rest.
import { FIRST_SCREEN_KEYS, localePart, missingFirstScreenKeys } from '../../pwa/locale_parts.mjs';
import da from '../../pwa/src/locales/da.json';
import sv from '../../pwa/src/locales/sv.json';
import en from '../../pwa/src/locales/en.json';
import { LOCALES, loadAllStrings, t } from '../../pwa/src/js/i18n.js';

const strings = {
  sync: { idle: 'Synkroniseret', pending: { one: '1', other: '{n}' } },
  quality: { title: 'Kvalitet', levels: { a: 'A' } },
  plan: { untitled: 'Uden titel', more: 'Flere' },
};

test('the first part holds the sections and single keys named, the rest everything else', () => {
  const keys = ['sync', 'quality.title'];
  expect(localePart(strings, 'first', keys)).toEqual({ sync: strings.sync, quality: { title: 'Kvalitet' } });
  expect(localePart(strings, 'rest', keys)).toEqual({ quality: { levels: { a: 'A' } }, plan: strings.plan });
});

test.each([['da', da], ['sv', sv], ['en', en]])('the two parts of %s are the whole file, each key once', (_, file) => {
  const first = localePart(file, 'first');
  const rest = localePart(file, 'rest');
  const leaves = (node, at = '') =>
    Object.entries(node).flatMap(([k, v]) =>
      v && typeof v === 'object' && !('other' in v) ? leaves(v, `${at}${k}.`) : [`${at}${k}`],
    );
  const both = [...leaves(first), ...leaves(rest)];
  expect(new Set(both).size).toBe(both.length);
  expect(both.sort()).toEqual(leaves(file).sort());
});

test('every key of the first screen exists (a misspelt one would cut nothing)', () => {
  const at = (key) => key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), da);
  expect(FIRST_SCREEN_KEYS.filter((key) => at(key) === undefined)).toEqual([]);
});

test('a module naming a key outside the first part is found, literal or template head', () => {
  const source = "t('sync.idle'); t('plan.more'); t(`quality.levels.${x}`); t(`sync.error.${c}`); load('folg.language')";
  expect(missingFirstScreenKeys(source, strings, ['sync', 'plan.untitled'])).toEqual(['plan.more', 'quality.levels.*']);
});

test('once the rest is loaded, a section cut in two reads whole', async () => {
  await loadAllStrings(); // as main.js does once the first screen is drawn (vitest.setup.js too)
  expect(LOCALES.da.quality.title).toBe(da.quality.title);
  expect(Object.keys(LOCALES.da.quality).sort()).toEqual(Object.keys(da.quality).sort());
  expect(t('plan.untitled')).toBe(da.plan.untitled);
  expect(t('kind.dk_tilbud')).not.toBe('kind.dk_tilbud'); // the template's words come with the rest
});
