// The device's copy of the server's write rules (pwa/src/js/rules.js on sync/rules.json).
import { checkRow, isClean, KNOWN_CHECKS, KNOWN_FIELD_KEYS, RULES } from '../../pwa/src/js/rules.js';
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
    for (const kind of ['required', 'max_length', 'min_length', 'choice', 'date_order', 'min', 'max', 'type', 'max_items', 'min_items', 'xml_text', 'pattern', 'pseudonymous', 'only_when']) {
      expect(LOCALES[lang].rules[kind], `${lang} ${kind}`).toBeTruthy();
    }
  }
});

test('the rules in use are the server\'s generated file, and this module knows every kind it uses', () => {
  expect(RULES.about).toMatch(/^Generated from the write schemas/);
  expect(RULES.tables.plan_items.fields.goal).toMatchObject({ type: 'string', max_length: 10000 });
  expect(RULES.tables.plan_items.checks).toContainEqual(expect.objectContaining({ rule: 'date_order', fields: ['start_date', 'end_date'] }));
  const unknown = [];
  const walk = (where, rule) => {
    for (const key of Object.keys(rule)) if (!KNOWN_FIELD_KEYS.has(key)) unknown.push(`${where}: ${key}`);
    if (rule.items) walk(`${where}[]`, rule.items);
    for (const [name, inner] of Object.entries(rule.fields || {})) walk(`${where}.${name}`, inner);
  };
  for (const [table, spec] of Object.entries(RULES.tables)) {
    for (const [name, rule] of Object.entries(spec.fields)) walk(`${table}.${name}`, rule);
    for (const check of spec.checks || []) if (!KNOWN_CHECKS.has(check.rule)) unknown.push(`${table}: ${check.rule}`);
  }
  expect(unknown).toEqual([]);
});

test('a list\'s items and a dict\'s fields are checked, the problem said at the list', () => {
  expect(check('plan_items', { responsible: [{ name: 'Anne' }, { name: 'Bodil Hansen' }] })).toEqual({
    responsible: [{ key: 'rules.max_length', params: { max: 5, n: 12 } }],
  });
  expect(check('plan_items', { responsible: [{ name: '' }] })).toEqual({ responsible: [{ key: 'rules.required' }] });
  expect(check('plan_items', { responsible: [{ name: 'Anne' }, { user_id: 'u' }] })).toEqual({});
});

test('text the server cannot store, a pattern, and a personnummer are refused', () => {
  expect(check('plan_items', { topic: 'bell \u0007' })).toEqual({ topic: [{ key: 'rules.xml_text' }] });
  expect(check('plan_items', { topic: 'tab\tand 😀' })).toEqual({});
  expect(check('case_records', { case_code: ' AB-123 ' })).toEqual({});
  expect(check('case_records', { case_code: 'nope' })).toEqual({ case_code: [{ key: 'rules.pattern' }] });
  expect(check('case_records', { note: 'Född 19121212-1212' })).toEqual({ note: [{ key: 'rules.pseudonymous' }] });
  expect(check('case_records', { answered_at: '2026-03-01T10:00:00' })).toEqual({ answered_at: [{ key: 'rules.type' }] });
  expect(check('case_records', { answered_at: '2026-03-01T10:00:00+01:00' })).toEqual({});
});

test('only_when and required_when read the row as it would be', () => {
  expect(check('case_records', { end_reason: 'moved' })).toEqual({ end_reason: [{ key: 'rules.only_when', params: { other: 'ended_on' } }] });
  expect(check('case_records', { end_reason: 'moved' }, { existing: { ended_on: '2026-01-01' } })).toEqual({});
  expect(check('findings', { kind: 'paabud' })).toEqual({ deadline: [{ key: 'rules.required' }] });
  expect(check('findings', { kind: 'paabud', deadline: '2026-09-01' })).toEqual({});
  expect(check('findings', { kind: 'observation' })).toEqual({});
  expect(check('findings', { rating: 3, rating_justification: '  ' })).toEqual({ rating_justification: [{ key: 'rules.required' }] });
  expect(check('findings', { rating: null })).toEqual({});
});
