/**
 * The yearly analysis (seed 004, section 3): "uppnås de förväntade målen, skiljer sig detta
 * mellan olika grupper av klienter?", compared with earlier years; and the measures' years set
 * against their economic key figures (seed 003). Computed on the device from the local store,
 * so it works offline; the rules are quality_model.js's analyseCases and yearFigure, held to
 * the server's by tests/fixtures/quality_analysis.json. Groups, never people: a group under
 * MIN_GROUP is withheld, as in the kvalitetsberättelse.
 */
import { t } from '../../i18n.js';
import { h, field } from '../dom.js';
import { DIMENSIONS, MIN_GROUP, analyseCases, yearFigure } from '../quality_model.js';
import { currentYear, live, page, periodForm, slug } from './common.js';
import { chartFigure } from './compilation.js';
import { definedMeasures, formatFigure, localOwner } from './measures.js';

const OUTCOMES = ['ended', 'planned', 'interrupted', 'needs_met', 'improved'];

function share(part, whole) {
  if (part == null || !whole) return '–';
  // A no-break space: on a phone the cell must not end a line between "67" and "%".
  return `${part} (${Math.round((100 * part) / whole)}\u00a0%)`;
}

const percent = (part, whole) => (whole ? Math.round((100 * (part || 0)) / whole) : 0);

function groupLabel(dimension, group) {
  if (group === 'unknown') return t('quality.unknown');
  return dimension === 'gender' ? t(`quality.gender.${group}`) : group;
}

function table(testId, headings, rows) {
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0' },
    h(
      'table',
      { class: 'quality-table', 'data-testid': testId },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headings.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map(([head, ...cells]) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, head),
            cells.map((c) => h('td', {}, c)),
          ),
        ),
      ),
    ),
  );
}

const outcomeHeadings = () => OUTCOMES.map((o) => t(`quality.analysis.${o}`));
const outcomeCells = (o) => [String(o.ended), ...OUTCOMES.slice(1).map((k) => share(o[k], o.ended))];

export async function analysisView(app, ctx) {
  const { unit, verksamhetId, enheter, unitIds } = ctx;
  const state = app.qualityAnalysis || (app.qualityAnalysis = { year: currentYear(), years: 3 });
  const yearInput = h('input', { type: 'number', min: 2000, max: 2100, value: state.year, name: 'year' });
  const yearsSelect = h(
    'select',
    { name: 'years' },
    [2, 3, 4, 5].map((n) => h('option', { value: String(n), selected: n === state.years }, String(n))),
  );
  const out = h('div', { 'data-testid': 'analysis' });
  const cases = live(await app.store.all('case_records')).filter((c) => unitIds.has(c.unit_id));
  const measures = (await definedMeasures(app, verksamhetId, enheter)).filter(
    (m) => m.active !== false && !(unit.kind === 'se_enhet' && m.level === 2),
  );
  const values = new Map();
  for (const m of measures) values.set(m.id, live(await app.store.where('measure_values', 'measure_id', m.id)));

  function draw() {
    const year = Number(yearInput.value) || currentYear();
    const years = Number(yearsSelect.value) || 3;
    Object.assign(state, { year, years });
    const result = analyseCases(cases, year, years);
    const name = (what) => `${slug(unit.name)}-${what}-${year}`;
    const parts = [
      h('h2', {}, t('quality.analysis.periods')),
      h('p', { class: 'hint' }, t('quality.analysis.periods_hint')),
      table(
        'analysis-periods',
        [t('quality.period'), t('quality.analysis.cases'), ...outcomeHeadings()],
        result.periods.map((p) => [
          p.period === 'year' ? t('quality.whole_year') : t('quality.tertial', { n: p.period.slice(1) }),
          String(p.cases),
          ...outcomeCells(p),
        ]),
      ),
      h('h2', {}, t('quality.analysis.groups')),
      h('p', { class: 'hint' }, t('quality.analysis.groups_hint', { n: MIN_GROUP })),
    ];
    for (const dimension of DIMENSIONS) {
      const groups = result.groups.filter((g) => g.dimension === dimension);
      if (!groups.length) continue;
      parts.push(
        h('h3', {}, t(`quality.analysis.by_${dimension}`)),
        table(
          `analysis-${dimension}`,
          [t(`quality.analysis.dimension_${dimension}`), ...outcomeHeadings()],
          groups.map((g) =>
            g.withheld
              ? [groupLabel(dimension, g.group), t('quality.analysis.withheld', { n: MIN_GROUP }), '', '', '', '']
              : [groupLabel(dimension, g.group), ...outcomeCells(g)],
          ),
        ),
      );
      const shown = groups.filter((g) => !g.withheld);
      if (shown.length)
        parts.push(
          chartFigure(
            `${t('quality.analysis.planned_share')} – ${t(`quality.analysis.dimension_${dimension}`)}`,
            Object.fromEntries(shown.map((g) => [groupLabel(dimension, g.group), percent(g.planned, g.ended)])),
            name(`plan-${dimension}`),
          ),
        );
    }
    parts.push(
      h('h2', {}, t('quality.analysis.years')),
      table(
        'analysis-years',
        [t('quality.year'), t('quality.analysis.cases'), ...outcomeHeadings()],
        result.years.map((y) => [String(y.year), String(y.cases), ...outcomeCells(y)]),
      ),
    );
    if (result.years.some((y) => y.ended))
      parts.push(
        chartFigure(
          `${t('quality.analysis.planned_share')} – ${t('quality.analysis.per_year')}`,
          Object.fromEntries(
            result.years.filter((y) => y.ended).map((y) => [String(y.year), percent(y.planned, y.ended)]),
          ),
          name('plan-years'),
        ),
      );
    parts.push(...measureTables(app, unit, verksamhetId, enheter, measures, values, result.years));
    out.replaceChildren(...parts);
    out.dataset.year = String(year);
  }
  yearInput.addEventListener('change', draw);
  yearsSelect.addEventListener('change', draw);
  draw();
  return {
    title: t('quality.analysis.title'),
    node: page(
      app,
      unit.id,
      'analysis',
      t('quality.analysis.title'),
      h('p', { class: 'hint' }, t('quality.analysis.hint')),
      periodForm(field(t('quality.year'), yearInput), field(t('quality.analysis.how_many'), yearsSelect)),
      out,
    ),
  };
}

/** The units whose values make a measure's figure here. */
function unitsOf(app, measure, unit, verksamhetId, enheter) {
  const owner = localOwner(app, measure, verksamhetId);
  if (owner) return [owner.id];
  if (measure.level === 2) return [verksamhetId];
  return unit.kind === 'se_enhet' ? [unit.id] : enheter.map((e) => e.id);
}

function measureTables(app, unit, verksamhetId, enheter, measures, values, years) {
  if (!measures.length) return [];
  const rows = [];
  const costs = [];
  for (const m of measures) {
    const ids = unitsOf(app, m, unit, verksamhetId, enheter);
    const cells = years.map(({ year }) => {
      const { value, built } = yearFigure(m, values.get(m.id) || [], ids, year);
      const mark =
        value == null || built == null
          ? ''
          : built === 3
            ? ' *'
            : ` * (${t('quality.analysis.of_tertials', { n: built })})`;
      const cost = (m.costs || {})[String(year)];
      if (cost != null && m.aggregation !== 'rate')
        costs.push([
          m.name,
          String(year),
          formatFigure(value, m),
          `${formatAmount(cost)} ${m.cost_label || ''}`.trim(),
          value == null ? '–' : `${formatAmount(value * cost)} kr`,
        ]);
      return formatFigure(value, m) + mark;
    });
    const kind = t(`quality.kind.${m.kind}`) + (m.resource ? ` (${t(`quality.resource.${m.resource}`)})` : '');
    rows.push([m.name, kind, ...cells]);
  }
  const parts = [
    h('h2', {}, t('quality.analysis.measures')),
    h('p', { class: 'hint' }, t('quality.analysis.built_hint')),
    table(
      'analysis-measures',
      [t('quality.measures.name'), t('quality.measures.kind'), ...years.map((y) => String(y.year))],
      rows,
    ),
  ];
  if (costs.length)
    parts.push(
      h('h2', {}, t('quality.analysis.key_figures')),
      table(
        'analysis-costs',
        [
          t('quality.measures.name'),
          t('quality.year'),
          t('quality.measures.value'),
          t('quality.measures.cost_per_unit'),
          t('quality.analysis.cost'),
        ],
        costs,
      ),
    );
  return parts;
}

function formatAmount(value) {
  return new Intl.NumberFormat(document.documentElement.lang || 'sv', { maximumFractionDigits: 0 }).format(value);
}
