// The device's copy of the server's write rules (pwa/src/js/rules.js on sync/rules.json).
import { checkRow, isClean, RULES } from '../../pwa/src/js/rules.js';
import { LOCALES } from '../../pwa/src/js/i18n.js';
import fixture from './fixtures/rules.json';

const check = (table, fields, options = {}) => checkRow(table, fields, { rules: fixture, ...options });

test('clean fields give no errors', () => {
  const errors = check('plan_items', { goal: 'short', state: 'done', start_date: '2026-01-01', end_date: '2026-02-01', priority: 2 });
  expect(errors).toEqual({});
  expect(isClean(errors)).toBe(true);
});

test('each rule kind names its field and an i18n key with what the message needs', () => {
  expect(check('plan_items', { goal: 'x'.repeat(11) })).toEqual({ goal: [{ key: 'rules.max_length', params: { max: 10, n: 11 } }] });
  expect(check('plan_items', { state: 'lost' })).toEqual({ state: [{ key: 'rules.choice' }] });
  expect(check('plan_items', { priority: 0 })).toEqual({ priority: [{ key: 'rules.min', params: { min: 1 } }] });
  expect(check('plan_items', { priority: 1.5 })).toEqual({ priority: [{ key: 'rules.type' }] });
  expect(check('plan_items', { start_date: '1. maj' })).toEqual({ start_date: [{ key: 'rules.type' }] });
  expect(check('plan_items', { ongoing: null })).toEqual({ ongoing: [{ key: 'rules.required' }] });
  expect(check('plan_items', { responsible: [{}, {}, {}] })).toEqual({ responsible: [{ key: 'rules.max_items', params: { max: 2 } }] });
  expect(check('progress_notes', { text: '' })).toEqual({ text: [{ key: 'rules.required' }] });
});

test('length counts characters as the server does, not UTF-16 units', () => {
  expect(check('plan_items', { goal: '😀'.repeat(10) })).toEqual({});
});

test('required fields are asked for on create only', () => {
  expect(check('plan_items', {}, { create: true })).toEqual({ plan_id: [{ key: 'rules.required' }] });
  expect(check('plan_items', {})).toEqual({});
  expect(check('plan_items', { goal: null })).toEqual({});
});

test('an end before the start is refused at the later field, also against the row as it is', () => {
  const bad = { key: 'rules.date_order', params: { other: 'start_date' } };
  expect(check('plan_items', { start_date: '2026-05-01', end_date: '2026-04-01' })).toEqual({ end_date: [bad] });
  expect(check('plan_items', { end_date: '2026-04-01' }, { existing: { start_date: '2026-05-01' } })).toEqual({ end_date: [bad] });
  expect(check('plan_items', { start_date: '2026-05-01', end_date: '2026-05-01' })).toEqual({});
  // Untouched dates are the server's business; an unknown rule kind too.
  expect(check('plan_items', { goal: 'g' }, { existing: { start_date: '2026-05-01', end_date: '2026-04-01' } })).toEqual({});
});

test('a table the rules do not know is left to the server', () => {
  expect(check('visits', { anything: 1 })).toEqual({});
});

test('every rule kind has a message in every language', () => {
  for (const lang of ['da', 'sv', 'en']) {
    for (const kind of ['required', 'max_length', 'min_length', 'choice', 'date_order', 'min', 'max', 'type', 'max_items']) {
      expect(LOCALES[lang].rules[kind], `${lang} ${kind}`).toBeTruthy();
    }
  }
});

test('the rules in use are in the format the server writes', () => {
  expect(RULES.tables.plan_items.fields.goal).toMatchObject({ type: 'string', max_length: 10000 });
  expect(RULES.tables.plan_items.checks).toContainEqual(expect.objectContaining({ rule: 'date_order', fields: ['start_date', 'end_date'] }));
});
