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
    expect(notificationFor({ url: '/#/items/1', kind: 'overdue', lang: 'en' }, STRINGS).title).toBe('An item is past its end date');
  });

  test.each([
    ['da', 'due_soon', 'end_date', 'En indsats nærmer sig sit sluttidspunkt'],
    ['da', 'due_soon', 'deadline', 'Fristen for et påbud nærmer sig'],
    ['da', 'overdue', 'end_date', 'En indsats har overskredet sit sluttidspunkt'],
    ['da', 'overdue', 'deadline', 'Fristen for et påbud er overskredet'],
    ['da', 'assigned', 'follow_up', 'Du er blevet ansvarlig for at følge op på en indsats'],
    ['da', 'note_added', 'follow_up', 'Nyt notat på en indsats, du følger op på'],
    ['sv', 'due_soon', 'end_date', 'En åtgärd närmar sig sitt slutdatum'],
    ['sv', 'due_soon', 'deadline', 'Tidsfristen för ett föreläggande närmar sig'],
    ['sv', 'overdue', 'end_date', 'En åtgärd har passerat sitt slutdatum'],
    ['sv', 'overdue', 'deadline', 'Tidsfristen för ett föreläggande har gått ut'],
    ['sv', 'assigned', 'follow_up', 'Du har blivit ansvarig för uppföljningen av en åtgärd'],
    ['sv', 'note_added', 'follow_up', 'Ny anteckning på en åtgärd du följer upp'],
    ['en', 'due_soon', 'deadline', 'The deadline of an order is near'],
    ['en', 'assigned', 'follow_up', 'You are now responsible for following up an item'],
  ])('%s %s about %s: "%s"', (lang, kind, about, expected) => {
    const payload = { title: 'from the server', url: '/#/items/1', kind, lang, about };
    expect(notificationFor(payload, STRINGS).title).toBe(expected);
  });

  test('without about, a row reminder speaks of its end date and an assignment of carrying the row out', () => {
    const url = '/#/items/1';
    expect(notificationFor({ url, kind: 'due_soon', lang: 'da' }, STRINGS).title).toBe('En indsats nærmer sig sit sluttidspunkt');
    expect(notificationFor({ url, kind: 'overdue', lang: 'sv' }, STRINGS).title).toBe('En åtgärd har passerat sitt slutdatum');
    expect(notificationFor({ url, kind: 'assigned', lang: 'da' }, STRINGS).title).toBe('Du er blevet ansvarlig for en indsats');
  });

  test('an about this build does not know keeps the server title; inherited names are no titles', () => {
    const later = { title: 'Servertitel', url: '/#/items/1', kind: 'assigned', lang: 'da', about: 'later_kind' };
    expect(notificationFor(later, STRINGS).title).toBe('Servertitel');
    expect(notificationFor({ title: 'Servertitel', kind: 'constructor', lang: 'da' }, STRINGS).title).toBe('Servertitel');
    expect(notificationFor({ kind: 'toString', lang: 'sv', title: 7 }, STRINGS).title).toBe('Følg');
  });

  test('every variant the server sends has a title in every language', () => {
    for (const lang of ['da', 'sv', 'en']) {
      for (const key of ['due_soon_deadline', 'overdue_deadline', 'assigned_follow_up', 'note_added_follow_up']) {
        expect(STRINGS[lang][key], `${lang}.${key}`).toBeTruthy();
      }
    }
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
