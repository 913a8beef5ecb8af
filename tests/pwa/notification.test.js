import { notificationFor, appRoute, targetUrl, routeHash, base64UrlToBytes, sameKey } from '../../pwa/src/js/notification.js';
import da from '../../pwa/src/locales/da.json';
import sv from '../../pwa/src/locales/sv.json';
import en from '../../pwa/src/locales/en.json';

const STRINGS = { da: da.notification, sv: sv.notification, en: en.notification };
const KINDS = ['assigned', 'plan_submitted', 'plan_approved', 'plan_sent_back', 'note_added', 'conflict', 'due_soon', 'overdue'];

describe('notificationFor', () => {
  test('the title comes from the bundled strings of the payload language and kind', () => {
    const { title, options } = notificationFor(
      { title: 'from the server', body: 'Slutdatum är i morgon.', url: '/#/items/42', kind: 'due_soon', lang: 'sv' },
      STRINGS,
    );
    expect(title).toBe('En åtgärd närmar sig sitt slutdatum');
    expect(options).toMatchObject({ body: 'Slutdatum är i morgon.', lang: 'sv', tag: '/#/items/42', data: { url: '/#/items/42', kind: 'due_soon' } });
  });

  test('every kind the server sends has a title in every language', () => {
    for (const lang of ['da', 'sv', 'en']) {
      for (const kind of KINDS) {
        expect(STRINGS[lang][kind], `${lang}.${kind}`).toBeTruthy();
      }
    }
  });

  test('an årshjul reminder says it is about a task of the årshjul, one notification per task', () => {
    const url = '/#/quality/u1/cycle/t1';
    const { title, options } = notificationFor({ title: 'x', url, kind: 'due_soon', lang: 'sv' }, STRINGS);
    expect(title).toBe('En uppgift i årshjulet närmar sig sitt slutdatum');
    expect(options).toMatchObject({ tag: url, data: { url, kind: 'due_soon' } });
    const late = notificationFor({ url: '/#/quality/u1/cycle/t2', kind: 'overdue', lang: 'da' }, STRINGS);
    expect(late.title).toBe('En opgave i årshjulet har overskredet sin frist');
    expect(late.options.tag).not.toBe(url);
    // A plan item's reminder keeps its own title.
    expect(notificationFor({ url: '/#/items/1', kind: 'overdue', lang: 'en' }, STRINGS).title).toBe('An item is overdue');
  });

  test('an unknown kind keeps the server title; an unknown language falls back to Danish', () => {
    expect(notificationFor({ title: 'Ny slags', kind: 'finding', lang: 'da' }, STRINGS).title).toBe('Ny slags');
    const odd = notificationFor({ kind: 'conflict', lang: 'de' }, STRINGS);
    expect(odd.title).toBe('En konflikt venter på dig');
    expect(odd.options.lang).toBe('da');
  });

  test('an empty or broken payload still shows the app name and opens the home route', () => {
    for (const payload of [undefined, null, 'text', {}]) {
      const { title, options } = notificationFor(payload, STRINGS);
      expect(title).toBe('Følg');
      expect(options.data.url).toBe('/#/units');
      expect(options.body).toBeUndefined();
    }
  });
});

describe('where a click leads', () => {
  test('only routes on the app origin', () => {
    expect(appRoute('/#/items/1')).toBe('/#/items/1');
    for (const bad of ['https://evil.example/', '//evil.example/x', 'javascript:alert(1)', '/\\evil.example', 42, null]) {
      expect(appRoute(bad)).toBe('/#/units');
    }
    expect(targetUrl('https://evil.example/', 'https://folg.example')).toBe('https://folg.example/#/units');
    expect(targetUrl('/#/conflicts', 'https://folg.example')).toBe('https://folg.example/#/conflicts');
  });

  test('an open page is moved with the hash of the route', () => {
    expect(routeHash('/#/plans/7')).toBe('#/plans/7');
    expect(routeHash('/')).toBe('#/units');
  });
});

describe('VAPID keys', () => {
  test('base64url decodes without padding and compares by bytes', () => {
    const bytes = base64UrlToBytes('AQID_-8');
    expect(Array.from(bytes)).toEqual([1, 2, 3, 255, 239]);
    expect(sameKey(bytes.buffer, new Uint8Array([1, 2, 3, 255, 239]))).toBe(true);
    expect(sameKey(bytes, new Uint8Array([1, 2, 3, 255, 238]))).toBe(false);
    expect(sameKey(null, bytes)).toBe(false);
  });
});
