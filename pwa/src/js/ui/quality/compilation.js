/**
 * The compilation: counts per tertial as bar charts, downloadable as SVG or PNG.
 */
import { t, formatDate } from '../../i18n.js';
import { h } from '../dom.js';
import { barChartSvg, compile, periodBounds } from '../quality_model.js';
import { AGE_BANDS, currentYear, download, live, page, slug } from './common.js';
import { periodControls } from './measures.js';

export const DIMENSIONS = [
  ['by_intervention', null],
  ['by_age_band', null],
  ['by_gender', 'quality.gender'],
  ['by_need', null],
  ['by_end_reason', 'quality.end_reason'],
  ['by_needs_met', 'quality.needs_met'],
  ['by_situation_after', 'quality.situation_after'],
  ['interrupted_by_intervention', null],
];

export async function compilationView(app, ctx) {
  const { unit, unitIds, enheter } = ctx;
  const state = app.qualityPeriod || (app.qualityPeriod = { year: currentYear(), tertial: '1' });
  const out = h('div', { 'data-testid': 'compilation' });
  const controls = periodControls(() => {
    state.year = Number(controls.yearInput.value);
    state.tertial = controls.tertialSelect.value;
    draw();
  }, state);
  const all = live(await app.store.all('case_records')).filter((c) => unitIds.has(c.unit_id));
  function draw() {
    const [start, end] = periodBounds(state.year, state.tertial ? Number(state.tertial) : null);
    const total = compile(all, start, end);
    const perUnit =
      enheter.length > 1
        ? enheter.map((e) => [
            e.name,
            compile(
              all.filter((c) => c.unit_id === e.id),
              start,
              end,
            ),
          ])
        : [];
    const charts = DIMENSIONS.filter(([key]) => Object.keys(total[key]).length).map(([key, prefix]) => {
      const counts = Object.fromEntries(
        inOrder(key, Object.entries(total[key])).map(([k, n]) => [
          prefix ? t(`${prefix}.${k}`) : k === 'unknown' ? t('quality.unknown') : k,
          n,
        ]),
      );
      return chartFigure(
        `${t(`quality.compilation.${key}`)} – ${unit.name}`,
        counts,
        `${slug(unit.name)}-${key}-${state.year}${state.tertial ? `-t${state.tertial}` : ''}`,
      );
    });
    // replaceChildren() prints a null as the text "null": leave the absent table out.
    const parts = [
      h(
        'p',
        { 'data-testid': 'compilation-summary' },
        t('quality.compilation.summary', {
          cases: total.cases,
          ended: total.ended,
          start: formatDate(start),
          end: formatDate(end),
        }),
      ),
      perUnit.length
        ? h(
            'div',
            { class: 'table-wrap', tabindex: '0' },
            h(
              'table',
              { class: 'quality-table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, t('quality.unit')),
                  h('th', { scope: 'col' }, t('quality.compilation.cases')),
                  h('th', { scope: 'col' }, t('quality.compilation.ended')),
                  h('th', { scope: 'col' }, t('quality.compilation.interrupted')),
                ),
              ),
              h(
                'tbody',
                {},
                perUnit.map(([name, c]) =>
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'row' }, name),
                    h('td', {}, String(c.cases)),
                    h('td', {}, String(c.ended)),
                    h('td', {}, String(Object.values(c.interrupted_by_intervention).reduce((s, n) => s + n, 0))),
                  ),
                ),
              ),
            ),
          )
        : null,
      ...(charts.length ? charts : [h('p', {}, t('quality.compilation.none'))]),
    ];
    out.replaceChildren(...parts.filter(Boolean));
  }
  draw();
  return {
    title: t('quality.compilation.title'),
    node: page(
      app,
      unit.id,
      'compilation',
      t('quality.compilation.title'),
      h('p', { class: 'hint' }, t('quality.compilation.hint')),
      controls.node,
      out,
    ),
  };
}

/** Age bands from young to old (not in the order the cases came in), the unknown last. */
function inOrder(key, entries) {
  if (key !== 'by_age_band') return entries;
  const rank = (k) => (AGE_BANDS.includes(k) ? AGE_BANDS.indexOf(k) : AGE_BANDS.length);
  return [...entries].sort(([a], [b]) => rank(a) - rank(b));
}

export function chartFigure(title, counts, name) {
  const svgText = barChartSvg(title, counts);
  const holder = h('div', { class: 'chart' });
  // Parsed as SVG (never as HTML): labels are user input, escaped by barChartSvg.
  holder.append(new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement);
  return h(
    'figure',
    { class: 'card chart-figure', 'data-chart': title },
    holder,
    h(
      'figcaption',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn small',
          onclick: () => download(new Blob([svgText], { type: 'image/svg+xml' }), `${name}.svg`),
        },
        t('quality.compilation.download_svg'),
      ),
      h(
        'button',
        { type: 'button', class: 'btn small', onclick: () => downloadPng(svgText, `${name}.png`) },
        t('quality.compilation.download_png'),
      ),
    ),
  );
}

export function downloadPng(svgText, filename) {
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement('canvas');
    const scale = 2; // sharp enough for a printed report
    canvas.width = image.width * scale;
    canvas.height = image.height * scale;
    const g = canvas.getContext('2d');
    g.scale(scale, scale);
    g.drawImage(image, 0, 0);
    canvas.toBlob((blob) => blob && download(blob, filename), 'image/png');
  };
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
}
