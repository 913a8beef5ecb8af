// The words and links the screens give a refused draft (pwa/src/js/ui/drafts.js, field_errors.js).
import { draftFieldReasons, draftHref, draftReason, draftText, draftWhat, withRowNames } from '../../pwa/src/js/ui/drafts.js';
import { fieldLabel, problemText } from '../../pwa/src/js/ui/field_errors.js';
import { setLanguage } from '../../pwa/src/js/i18n.js';

const draft = (over = {}) => ({
  table: 'plan_items',
  id: 'i1',
  op: 'upsert',
  fields: { goal: 'Mit mål', end_date: '2026-04-01' },
  error: { code: 'invalid_input', message: 'Some fields were refused.', fields: { end_date: ['The end date comes before the start date.'] } },
  context: { plan_id: 'p1' },
  ...over,
});

afterEach(() => setLanguage('da'));

test('a known code is said in the PWA\'s words first, the server\'s message after', () => {
  expect(draftReason(draft({ error: { code: 'forbidden', message: 'No.' } }))).toBe(
    'Du har ikke (længere) ret til at ændre dette. Serverens begrundelse: No.',
  );
  setLanguage('sv');
  expect(draftReason(draft({ error: { code: 'forbidden', message: '' } }))).toBe('Du har inte (längre) rätt att ändra detta.');
  expect(draftReason(draft({ error: { code: 'something_new', message: 'As the server said it.' } }))).toBe('Serverns skäl: As the server said it.');
});

test('a field reason the device\'s rules see too comes in the person\'s language, others as the server said', () => {
  const withStart = draft({ fields: { end_date: '2026-04-01' }, error: { code: 'invalid_input', fields: { end_date: ['x'], goal: ['Server only.'] } } });
  // The draft holds only end_date: the rules cannot see the start date, so the server's words stand.
  expect(draftFieldReasons(withStart)).toEqual({ end_date: ['x'], goal: ['Server only.'] });
  // With the row as the device has it, the rules see the start and say it in Danish.
  expect(draftFieldReasons(withStart, { start_date: '2026-05-01' }).end_date.map(problemText)).toEqual(['Kan ikke ligge før start.']);
  const tooLong = draft({ fields: { goal: 'g'.repeat(10_001) }, error: { code: 'invalid_input', fields: { goal: ['Longer than 10000 characters.'] } } });
  expect(draftFieldReasons(tooLong).goal.map(problemText)).toEqual(['Højst 10000 tegn (her er 10001).']);
});

test('each kind of row links to the screen that shows it', () => {
  expect(draftHref(draft())).toBe('#/items/i1');
  expect(draftHref(draft({ table: 'progress_notes', id: 'n1' }))).toBe('#/plans/p1');
  expect(draftHref(draft({ table: 'findings', id: 'f1', context: { visit_id: 'v1' } }))).toBe('#/visits/v1');
  expect(draftHref(draft({ table: 'item_comments', id: 'c1', context: {}, fields: { item_id: 'i9' } }))).toBe('#/items/i9');
  expect(draftHref(draft({ table: 'register_entries', id: 'r1', context: { unit_id: 'u1' } }))).toBe('#/quality/u1');
  expect(draftHref(draft({ table: 'register_entries', id: 'r1', context: {} }))).toBeNull();
});

test('the copied text names fields by their labels, never their internal names', () => {
  expect(draftText(draft())).toBe('Mål:\nMit mål\n\nSluttidspunkt:\n2026-04-01');
  expect(draftWhat(draft())).toBe('Indsats');
  expect(draftWhat(draft({ table: 'annual_tasks' }))).toBe('Ændring');
  expect(fieldLabel('no_such_field')).toBe('Ændring');
  expect(problemText({ key: 'rules.date_order', params: { other: 'start_date' } })).toBe('Kan ikke ligge før start.');
});

test('a draft is named by its row as the device has it, or by what it holds', async () => {
  const rows = { 'plan_items/i1': { topic: 'Kost og motion\nmere' } };
  const app = { store: { get: async (table, id) => rows[`${table}/${id}`] } };
  const named = await withRowNames(app, [
    draft({ fields: { goal: 'g' } }),
    draft({ table: 'progress_notes', id: 'n1', fields: {}, row: { text: 'Talt med holdet' } }),
    draft({ table: 'annual_tasks', id: 't1', fields: {} }),
  ]);
  expect(named.map((d) => d.name)).toEqual(['Kost og motion', 'Talt med holdet', '']);
});

test('a refused row of the follow-up levels links to its follow-up, else to the section', () => {
  const at = (table, extra) => draftHref(draft({ table, id: 'x1', context: { unit_id: 'u1' }, ...extra }));
  expect(at('assignment_follow_ups')).toBe('#/quality/u1/levels/x1');
  expect(at('thematic_follow_ups')).toBe('#/quality/u1/levels/x1');
  expect(at('thematic_results', { row: { follow_up_id: 't1' } })).toBe('#/quality/u1/levels/t1');
  expect(at('follow_up_deviations', { fields: { description: 'd' } })).toBe('#/quality/u1/levels');
  expect(at('overall_assessments', { fields: { overall: 'o' } })).toBe('#/quality/u1/levels');
  expect(draftHref(draft({ table: 'thematic_results', id: 'x1', context: {} }))).toBeNull();
});
