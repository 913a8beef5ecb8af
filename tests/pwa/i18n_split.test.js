// Languages load when chosen (pwa/src/js/i18n.js loadLanguage): Danish is in the first screen's
// code, Swedish and English in chunks of their own.
import { LOCALES, language, loadLanguage, setLanguage, t } from '../../pwa/src/js/i18n.js';

afterEach(() => setLanguage('da'));

test('loading a language switches to it and keeps its strings; an unknown one is Danish', async () => {
  expect(await loadLanguage('sv')).toBe('sv');
  expect(language()).toBe('sv');
  expect(LOCALES.sv).toBeTruthy();
  expect(t('plan.more_rows', { shown: 40, total: 95 })).toBe('Visa fler rader (40 av 95)');
  expect(await loadLanguage('xx')).toBe('da');
  expect(t('plan.more_rows', { shown: 40, total: 95 })).toBe('Vis flere rækker (40 af 95)');
});
