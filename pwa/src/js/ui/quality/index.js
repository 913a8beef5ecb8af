/**
 * The Swedish quality follow-up (SOSFS 2011:9), screens under #/quality/<unit>/..., one module a section:
 *
 *   (hub)         sections, default content and the kvalitetsberättelse (online): the
 *                 draft, adopting a version, and the versions kept
 *   measures      values per enhet and period, the uppdrag's figure by the measure's rule
 *   register      avvikelser, lex Sarah, lex Maria, klagomål, egenkontroller, ... and the
 *                 handlingsplan items they led to
 *   risk          riskanalyser: event, probability × consequence, measures, who, when, follow-up
 *   selfinspection  egenkontroll: checklists, a run with each point answered, deviations made
 *                 register entries or handlingsplan items
 *   cases         pseudonymous individual follow-up, and the end-of-intervention survey
 *   levels        the other follow-up levels of seed 003: uppdrag/avtal, tematisk, and the
 *                 sammanvägd bedömning of the year (levels.js)
 *   surveys       the verksamhet's questions, the annual survey and what the answers sum to
 *   cycle         the årshjul: tasks with dates and owners, ticked off
 *   compilation   counts per tertial as bar charts, downloadable as SVG or PNG
 *   analysis      the year's outcomes by tertial, by group of clients and against earlier
 *                 years; the measures' years and their economic key figures
 *
 * What the screens share is in common.js.
 *
 * Everything but the hub's online actions reads and writes the local store, so it works
 * offline; the rules that can be checked on the device are in quality_model.js.
 */
import { t, formatDate } from '../../i18n.js';
import { h, field, announce } from '../dom.js';
import { context, currentYear, download, errorText, live, notFound, page, periodForm, saved, slug } from './common.js';
import { areaView, measuresView, newMeasureView } from './measures.js';
import { containsIdentityNumber } from '../quality_model.js';
import { registerView } from './register.js';
import { riskView } from './risk.js';
import { selfInspectionView } from './selfinspection.js';
import { caseView, casesView } from './cases.js';
import { surveysView } from './surveys.js';
import { cycleView } from './cycle.js';
import { compilationView } from './compilation.js';
import { levelsView } from './levels.js';
import { analysisView } from './analysis.js';

export async function qualityView(app, unitId, section, rest) {
  const ctx = context(app, unitId);
  if (!ctx) return notFound();
  if (section === 'areas' && rest) return areaView(app, ctx, rest);
  if (section === 'measures' && rest === 'new') return newMeasureView(app, ctx);
  if (section === 'measures') return measuresView(app, ctx);
  if (section === 'register') return registerView(app, ctx);
  if (section === 'risk') return riskView(app, ctx);
  if (section === 'selfinspection') return selfInspectionView(app, ctx, rest);
  if (section === 'cases' && rest) return caseView(app, ctx, rest);
  if (section === 'cases') return casesView(app, ctx);
  if (section === 'levels') return levelsView(app, ctx, rest);
  if (section === 'surveys') return surveysView(app, ctx);
  if (section === 'cycle') return cycleView(app, ctx, rest);
  if (section === 'compilation') return compilationView(app, ctx);
  if (section === 'analysis') return analysisView(app, ctx);
  return hubView(app, ctx);
}

/** An enhet's own goal (nivå 3 of its own, seed 003: "Tas fram per enhet"), beside the verksamhet's areas. */
export function localGoalForm(app, unit, position) {
  const name = h('input', { name: 'name', maxlength: 200, required: true });
  const goals = h('textarea', { name: 'process_goals', rows: 3 });
  const measures = h('textarea', { name: 'process_measures', rows: 3 });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'local-goal-form' },
    h('h3', {}, t('quality.areas.new_local', { unit: unit.name })),
    h('p', { class: 'hint' }, t('quality.areas.local_hint')),
    field(t('quality.areas.name'), name),
    field(t('quality.areas.process_goals'), goals),
    field(t('quality.areas.process_measures'), measures),
    error,
    h('button', { type: 'submit', class: 'btn' }, t('quality.areas.add_local')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = [name, goals, measures].map((c) => c.value.trim());
    if (!values[0]) {
      error.textContent = `${t('quality.areas.name')}: ?`;
      return;
    }
    if (values.some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    await app.store.create('quality_areas', {
      unit_id: unit.id,
      theme_id: null,
      name: values[0],
      process_goals: values[1] || null,
      process_measures: values[2] || null,
      follow_up_methods: null,
      position,
    });
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}

/**
 * Adopting (fastställa) the year's kvalitetsberättelse: the manager's words for section 4 and
 * the body that adopted it go into the version the server renders and keeps. What is typed is
 * kept on the app (not on the device's disk: the next person to log in must not read it) until
 * the version is adopted.
 */
function adoptForm(app, unit, year, online, onAdopted) {
  const draft = (app.adoptDrafts ||= {});
  const key = () => `${unit.id}/${year.value}`;
  const adoptedIn = h('input', { name: 'adopted_in', maxlength: 200 });
  const conclusions = h('textarea', { name: 'conclusions', rows: 6 });
  const fill = () => {
    const kept = draft[key()] || {};
    adoptedIn.value = kept.adopted_in || '';
    conclusions.value = kept.conclusions || '';
  };
  const keep = () => {
    draft[key()] = { adopted_in: adoptedIn.value, conclusions: conclusions.value };
  };
  adoptedIn.addEventListener('input', keep);
  conclusions.addEventListener('input', keep);
  year.addEventListener('change', fill);
  fill();
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'adopt-form', 'data-testid': 'adopt-form' },
    h('h3', {}, t('quality.report.adopt_title')),
    h('p', { class: 'hint' }, t('quality.report.adopt_hint')),
    field(t('quality.report.conclusions'), conclusions),
    field(t('quality.report.adopted_in'), adoptedIn),
    error,
    h(
      'button',
      { type: 'submit', class: 'btn primary', 'data-online-only': true, disabled: !app.online() },
      t('quality.report.adopt'),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const fields = { conclusions: conclusions.value.trim() || null, adopted_in: adoptedIn.value.trim() || null };
    if (Object.values(fields).some((v) => v && containsIdentityNumber(v))) {
      error.textContent = t('quality.personnummer');
      return;
    }
    online(async () => {
      const row = await app.api.qualityAdopt(unit.id, year.value, fields);
      delete draft[key()];
      fill();
      announce(t('quality.report.adopted', { year: row.year, version: row.version }));
      await onAdopted();
    });
  });
  return form;
}

export async function hubView(app, ctx) {
  const { unit, verksamhetId } = ctx;
  const manager = app.isManager(unit.id);
  // The report's year is kept on the app, so a live re-render draws the year chosen, not this one.
  const state = app.qualityReport || (app.qualityReport = { year: currentYear() });
  const year = h('input', {
    type: 'number',
    min: 2000,
    max: 2100,
    value: state.year,
    'aria-label': t('quality.year'),
  });
  year.addEventListener('change', () => {
    state.year = Number(year.value) || currentYear();
  });
  const status = h('p', { class: 'error', role: 'alert' });
  const online = async (fn) => {
    status.textContent = '';
    try {
      await fn();
    } catch (err) {
      status.textContent = errorText(err);
    }
  };
  const report = (format) =>
    online(async () => {
      const blob = await app.api.qualityReport(unit.id, year.value, format);
      download(blob, `kvalitetsberättelse-${year.value}-${slug(unit.name)}.${format}`);
    });
  // The versions adopted and kept (online: the documents live on the server).
  const adopted = h('div', { 'data-testid': 'adopted-reports' });
  const loadAdopted = async () => {
    if (!app.online()) {
      adopted.replaceChildren(h('p', { class: 'hint' }, t('quality.online_only')));
      return;
    }
    try {
      const rows = await app.api.qualityAdopted(unit.id);
      adopted.replaceChildren(
        rows.length
          ? h(
              'ul',
              { class: 'adopted-list' },
              rows.map((r) =>
                h(
                  'li',
                  { 'data-version': String(r.version), 'data-year': String(r.year) },
                  t('quality.report.adopted_line', {
                    year: r.year,
                    version: r.version,
                    name: r.adopted_in ? `${r.adopted_by_name} (${r.adopted_in})` : r.adopted_by_name,
                    date: formatDate(r.adopted_at.slice(0, 10)),
                  }),
                  ' ',
                  ['docx', 'html'].map((format) =>
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn small',
                        'data-online-only': true,
                        onclick: () =>
                          online(async () =>
                            download(await app.api.qualityAdoptedDocument(r.id, format), `${r.filename}.${format}`),
                          ),
                      },
                      t(`quality.report.adopted_${format}`, { year: r.year, version: r.version }),
                    ),
                  ),
                ),
              ),
            )
          : h('p', {}, t('quality.report.none_adopted')),
      );
    } catch (err) {
      adopted.replaceChildren(h('p', { class: 'error' }, errorText(err)));
    }
  };
  loadAdopted();
  const byPosition = (a, b) => (a.position || 0) - (b.position || 0);
  // The verksamhet's areas, then an enhet's own goals (nivå 3 of its own).
  const areas = [
    ...live(await app.store.where('quality_areas', 'unit_id', verksamhetId || '')).sort(byPosition),
    ...(unit.kind === 'se_enhet'
      ? live(await app.store.where('quality_areas', 'unit_id', unit.id)).sort(byPosition)
      : []),
  ];
  return {
    title: `${t('quality.title')}: ${unit.name}`,
    live: true,
    node: page(
      app,
      unit.id,
      null,
      `${t('quality.title')}: ${unit.name}`,
      h('p', {}, t('quality.intro')),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'q-areas' },
        h('h2', { id: 'q-areas' }, t('quality.areas.title')),
        areas.length
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
                    ['name', 'process_goals', 'process_measures', 'follow_up_methods'].map((c) =>
                      h('th', { scope: 'col' }, t(`quality.areas.${c}`)),
                    ),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  areas.map((a) =>
                    h(
                      'tr',
                      {},
                      h(
                        'th',
                        { scope: 'row' },
                        a.name,
                        app.isManager(a.unit_id)
                          ? [
                              h('br'),
                              h(
                                'a',
                                {
                                  href: `#/quality/${unit.id}/areas/${a.id}`,
                                  'aria-label': `${t('quality.areas.edit')}: ${a.name}`,
                                },
                                t('quality.areas.edit'),
                              ),
                            ]
                          : null,
                      ),
                      ['process_goals', 'process_measures', 'follow_up_methods'].map((c) =>
                        h(
                          'td',
                          {},
                          (a[c] || '').split('\n').map((line, i) => [i ? h('br') : null, line]),
                        ),
                      ),
                    ),
                  ),
                ),
              ),
            )
          : h('p', {}, t('quality.areas.none')),
        manager && unit.kind === 'se_verksamhet'
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn',
                'data-online-only': true,
                disabled: !app.online(),
                onclick: () =>
                  online(async () => {
                    await app.api.qualityDefaults(unit.id);
                    announce(t('quality.areas.added'));
                    app.sync.run('defaults');
                  }),
              },
              t('quality.areas.add_defaults'),
            )
          : null,
        unit.kind === 'se_enhet' && manager ? localGoalForm(app, unit, areas.length + 1) : null,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'q-report' },
        h('h2', { id: 'q-report' }, t('quality.report.title')),
        h('p', { class: 'hint' }, t('quality.report.hint')),
        periodForm(field(t('quality.year'), year)),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              'data-online-only': true,
              disabled: !app.online(),
              onclick: () => report('docx'),
            },
            t('quality.report.docx'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              'data-online-only': true,
              disabled: !app.online(),
              onclick: () => report('html'),
            },
            t('quality.report.html'),
          ),
        ),
        h('p', { class: 'hint', 'data-online-note': true, hidden: app.online() }, t('quality.online_only')),
        manager ? adoptForm(app, unit, year, online, () => loadAdopted()) : null,
        h('h3', {}, t('quality.report.adopted_title')),
        adopted,
      ),
      status,
    ),
  };
}

/** A file-name part in the reader's letters ("Stöd och omsorg" -> "stöd-och-omsorg"), as the server's. */
