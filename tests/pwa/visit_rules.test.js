// The device's copies of the inspection rules agree with server/services/visits.py.
import {
  catalogueInForce, findingDeleteProblem, findingProblem, rejectionsForVisit, visitDateProblem, visitDeleteProblem,
} from '../../pwa/src/js/ui/visit_rules.js';

const scored = { id: 't1', scored: true };
const assessed = { id: 't2', scored: false };
const finding = (fields = {}) => ({ theme_id: 't1', kind: 'observation', text: 'Ok', deadline: null, rating: null, rating_justification: null, ...fields });
const VISIT = '2026-03-02';

test('a finding passes when the server would take it', () => {
  expect(findingProblem(finding(), { visitDate: VISIT, theme: scored })).toBeNull();
  expect(findingProblem(finding({ kind: 'paabud', deadline: '2026-05-01' }), { visitDate: VISIT, theme: scored })).toBeNull();
  expect(findingProblem(finding({ rating: 4, rating_justification: 'Trives' }), { visitDate: VISIT, theme: scored })).toBeNull();
});

test.each([
  ['a påbud without a deadline', { kind: 'paabud' }, scored, 'findings.need_deadline'],
  ['a påbud due before the visit', { kind: 'paabud', deadline: '2026-03-01' }, scored, 'findings.deadline_before_visit'],
  ['a rating without a justification', { rating: 3, rating_justification: '   ' }, scored, 'findings.need_justification'],
  ['a rating on a theme assessed without one', { rating: 3, rating_justification: 'x' }, assessed, 'findings.not_scored'],
  ['no text', { text: '  ' }, scored, 'findings.need_text'],
  ['a text past LONG_TEXT', { text: 'x'.repeat(10001) }, scored, 'findings.too_long'],
  ['a theme not of the visit\'s catalogue', {}, undefined, 'findings.need_theme'],
])('a finding is refused on the device: %s', (_, fields, theme, problem) => {
  expect(findingProblem(finding(fields), { visitDate: VISIT, theme })).toBe(problem);
});

const catalogues = [
  { id: 'old', code: 'dk_tilbud', valid_from: '2020-01-01', valid_to: '2025-12-31' },
  { id: 'new', code: 'dk_tilbud', valid_from: '2026-01-01', valid_to: null },
  { id: 'pf', code: 'dk_plejefamilie', valid_from: '2020-01-01', valid_to: null },
  { id: 'se', code: 'se_kvalitetsomraden', valid_from: '2020-01-01', valid_to: null },
];

test('the catalogue in force follows the unit kind and the date, as the server picks it', () => {
  expect(catalogueInForce(catalogues, 'dk_afdeling', '2025-06-01').id).toBe('old');
  expect(catalogueInForce(catalogues, 'dk_tilbud', '2026-06-01').id).toBe('new');
  expect(catalogueInForce(catalogues, 'se_enhet', '2026-06-01').id).toBe('se');
  expect(catalogueInForce(catalogues, 'dk_tilbud', '2019-06-01')).toBeNull();
});

test('a visit moves to another date unless the catalogue changes under its findings', () => {
  const base = { currentCatalogueId: 'new', catalogues, unitKind: 'dk_tilbud' };
  expect(visitDateProblem({ ...base, newDate: '2026-04-01', findings: [finding()] })).toEqual({ problem: null, catalogueId: 'new' });
  expect(visitDateProblem({ ...base, newDate: '2025-04-01', findings: [] })).toEqual({ problem: null, catalogueId: 'old' });
  expect(visitDateProblem({ ...base, newDate: '2025-04-01', findings: [finding()] }).problem).toBe('visits.other_catalogue');
  expect(visitDateProblem({ ...base, newDate: '2019-04-01', findings: [] }).problem).toBe('visits.no_catalogue');
  expect(visitDateProblem({ ...base, newDate: '', findings: [] }).problem).toBe('visits.need_date');
  // Stricter than the server: past a påbud's deadline every later edit of it would be refused.
  const paabud = finding({ kind: 'paabud', deadline: '2026-05-01' });
  expect(visitDateProblem({ ...base, newDate: '2026-06-01', findings: [paabud] }).problem).toBe('visits.after_deadline');
  // A device that never pulled the catalogues leaves the question to the server.
  expect(visitDateProblem({ ...base, catalogues: [], newDate: '2019-04-01', findings: [] }).problem).toBeNull();
});

test('a finding or a visit with a plan item answering it is not deleted', () => {
  expect(findingDeleteProblem([])).toBeNull();
  expect(findingDeleteProblem([{ id: 'i1' }])).toBe('findings.cannot_delete');
  const findings = [{ id: 'f1' }, { id: 'f2' }];
  expect(visitDeleteProblem(findings, new Map([['f1', []]]))).toBeNull();
  expect(visitDeleteProblem(findings, new Map([['f2', [{ id: 'i1' }]]]))).toBe('visits.cannot_delete');
});

test('the refusals shown on a visit are those of its rows that the user has not read yet', () => {
  const rejections = [
    { table: 'visits', id: 'v1', op: 'delete', at: '1' },
    { table: 'findings', id: 'f1', op: 'upsert', at: '2' },
    { table: 'findings', id: 'gone', op: 'upsert', fields: { visit_id: 'v1' }, at: '3' }, // a refused create
    { table: 'visit_photos', id: 'p1', op: 'delete', at: '4', seen: true },
    { table: 'plan_items', id: 'f1', op: 'upsert', at: '5' },
    { table: 'findings', id: 'f9', op: 'upsert', fields: { visit_id: 'v2' }, at: '6' },
  ];
  expect(rejectionsForVisit(rejections, 'v1', new Set(['f1', 'p1'])).map((r) => r.at)).toEqual(['1', '2', '3']);
});
