/**
 * The Swedish quality follow-up (SOSFS 2011:9), screens under #/quality/<unit>/...:
 *
 *   (hub)         sections, default content and the kvalitetsberättelse (online)
 *   measures      values per enhet and period, the uppdrag's figure by the measure's rule
 *   register      avvikelser, lex Sarah, lex Maria, klagomål, egenkontroller, ... and the
 *                 handlingsplan items they led to
 *   cases         pseudonymous individual follow-up, and the end-of-intervention survey
 *   cycle         the årshjul: tasks with dates and owners, ticked off
 *   compilation   counts per tertial as bar charts, downloadable as SVG or PNG
 *
 * Everything but the hub's online actions reads and writes the local store, so it works
 * offline; the rules that can be checked on the device are in quality_model.js.
 */
import { t, formatDate } from '../i18n.js';
import { h, field, announce } from './dom.js';
import { today } from './units.js';
import {
  barChartSvg, caseCodeProblem, combine, compile, containsIdentityNumber, measureValueId, periodBounds,
} from './quality_model.js';

const REGISTER_KINDS = ['deviation', 'lex_sarah', 'lex_maria', 'complaint', 'inspection_report', 'self_inspection',
  'quality_register', 'national_survey', 'effect_evaluation'];
const AGE_BANDS = ['0-12', '13-17', '18-20', '21-29', '30-49', '50-64', '65-79', '80+'];
const GENDERS = ['female', 'male', 'other', 'unknown'];
const END_REASONS = ['planned', 'interrupted'];
const NEEDS_MET = ['yes', 'partly', 'no'];
const SITUATIONS = ['improved', 'unchanged', 'worsened', 'unknown'];
const SECTIONS = ['measures', 'register', 'cases', 'surveys', 'cycle', 'compilation'];

const live = (rows) => rows.filter((r) => !r.deleted);
const byName = (a, b) => String(a.name).localeCompare(String(b.name));

/** The unit, its verksamhet id (itself or its parent) and the units whose rows belong here. */
function context(app, unitId) {
  const unit = app.units.get(unitId);
  if (!unit) return null;
  const verksamhetId = unit.kind === 'se_verksamhet' ? unit.id : unit.parent_id;
  const enheter = unit.kind === 'se_verksamhet'
    ? [...app.units.values()].filter((u) => u.parent_id === unit.id && u.kind === 'se_enhet').sort(byName)
    : [unit];
  return { unit, verksamhetId, enheter, unitIds: new Set([unit.id, ...enheter.map((e) => e.id)]) };
}

function page(app, unitId, section, title, ...body) {
  const unit = app.units.get(unitId);
  return h('div', { class: 'quality' },
    h('p', {}, section
      ? h('a', { href: `#/quality/${unitId}` }, `← ${t('quality.title')}: ${unit ? unit.name : ''}`)
      : h('a', { href: `#/units/${unitId}` }, `← ${unit ? unit.name : t('app.back')}`)),
    h('h1', { tabindex: '-1' }, title),
    h('nav', { class: 'actions', 'aria-label': t('quality.sections') },
      SECTIONS.map((s) => h('a', { class: `btn small${s === section ? ' primary' : ''}`, href: `#/quality/${unitId}/${s}`, 'aria-current': s === section ? 'page' : null }, t(`quality.${s}.title`)))),
    ...body);
}

function notFound() {
  return { title: t('quality.title'), node: h('div', {}, h('h1', { tabindex: '-1' }, t('quality.title')), h('p', {}, t('quality.no_unit'))) };
}

function errorText(err) {
  const reasons = err && err.fields ? Object.values(err.fields).flat().join(' ') : '';
  return `${(err && err.message) || t('sync.error.generic')} ${reasons}`.trim();
}

function saved(app) {
  announce(app.online() ? t('item.saved_online') : t('item.saved'));
  app.sync.requestSoon();
}

function currentYear() {
  return Number(today().slice(0, 4));
}

// ---- hub --------------------------------------------------------------------------------

export async function qualityView(app, unitId, section, rest) {
  const ctx = context(app, unitId);
  if (!ctx) return notFound();
  if (section === 'areas' && rest) return areaView(app, ctx, rest);
  if (section === 'measures' && rest === 'new') return newMeasureView(app, ctx);
  if (section === 'measures') return measuresView(app, ctx);
  if (section === 'register') return registerView(app, ctx);
  if (section === 'cases' && rest) return caseView(app, ctx, rest);
  if (section === 'cases') return casesView(app, ctx);
  if (section === 'surveys') return surveysView(app, ctx);
  if (section === 'cycle') return cycleView(app, ctx);
  if (section === 'compilation') return compilationView(app, ctx);
  return hubView(app, ctx);
}

async function hubView(app, ctx) {
  const { unit, verksamhetId } = ctx;
  const manager = app.isManager(unit.id);
  const year = h('input', { type: 'number', min: 2000, max: 2100, value: currentYear(), 'aria-label': t('quality.year') });
  const status = h('p', { class: 'error', role: 'alert' });
  const online = async (fn) => {
    status.textContent = '';
    try {
      await fn();
    } catch (err) {
      status.textContent = errorText(err);
    }
  };
  const report = (format) => online(async () => {
    const blob = await app.api.qualityReport(unit.id, year.value, format);
    download(blob, `kvalitetsberättelse-${year.value}-${slug(unit.name)}.${format}`);
  });
  const areas = live(await app.store.where('quality_areas', 'unit_id', verksamhetId || ''))
    .sort((a, b) => (a.position || 0) - (b.position || 0));
  return {
    title: `${t('quality.title')}: ${unit.name}`,
    live: true,
    node: page(app, unit.id, null, `${t('quality.title')}: ${unit.name}`,
      h('p', {}, t('quality.intro')),
      h('section', { class: 'card', 'aria-labelledby': 'q-areas' },
        h('h2', { id: 'q-areas' }, t('quality.areas.title')),
        areas.length
          ? h('table', { class: 'quality-table' },
            h('thead', {}, h('tr', {}, ['name', 'process_goals', 'process_measures', 'follow_up_methods'].map((c) => h('th', { scope: 'col' }, t(`quality.areas.${c}`))))),
            h('tbody', {}, areas.map((a) => h('tr', {},
              h('th', { scope: 'row' }, a.name,
                app.isManager(a.unit_id) ? [h('br'), h('a', { href: `#/quality/${unit.id}/areas/${a.id}`, 'aria-label': `${t('quality.areas.edit')}: ${a.name}` }, t('quality.areas.edit'))] : null),
              ['process_goals', 'process_measures', 'follow_up_methods'].map((c) => h('td', {}, (a[c] || '').split('\n').map((line, i) => [i ? h('br') : null, line])))))))
          : h('p', {}, t('quality.areas.none')),
        manager && unit.kind === 'se_verksamhet'
          ? h('button', { type: 'button', class: 'btn', 'data-online-only': true, disabled: !app.online(), onclick: () => online(async () => {
            await app.api.qualityDefaults(unit.id);
            announce(t('quality.areas.added'));
            app.sync.run('defaults');
          }) }, t('quality.areas.add_defaults'))
          : null),
      h('section', { class: 'card', 'aria-labelledby': 'q-report' },
        h('h2', { id: 'q-report' }, t('quality.report.title')),
        h('p', { class: 'hint' }, t('quality.report.hint')),
        field(t('quality.year'), year),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn', 'data-online-only': true, disabled: !app.online(), onclick: () => report('docx') }, t('quality.report.docx')),
          h('button', { type: 'button', class: 'btn', 'data-online-only': true, disabled: !app.online(), onclick: () => report('html') }, t('quality.report.html'))),
        h('p', { class: 'hint', 'data-online-note': true, hidden: app.online() }, t('quality.online_only'))),
      status),
  };
}

/** A file-name part in the reader's letters ("Stöd och omsorg" -> "stöd-och-omsorg"), as the server's. */
function slug(text) {
  return String(text).normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
}

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- measures -----------------------------------------------------------------------------

function periodControls(onChange, { year = currentYear(), tertial = '1', whole = true } = {}) {
  const yearInput = h('input', { type: 'number', min: 2000, max: 2100, value: year, name: 'year' });
  const tertialSelect = h('select', { name: 'tertial' },
    whole ? h('option', { value: '', selected: tertial === '' }, t('quality.whole_year')) : null,
    [1, 2, 3].map((n) => h('option', { value: String(n), selected: String(n) === String(tertial) }, t('quality.tertial', { n }))));
  yearInput.addEventListener('change', onChange);
  tertialSelect.addEventListener('change', onChange);
  return { yearInput, tertialSelect, node: h('div', { class: 'inline' }, field(t('quality.year'), yearInput), field(t('quality.period'), tertialSelect)) };
}

function formatFigure(value, measure) {
  if (value == null) return '–';
  if (measure.aggregation === 'rate') return `${Math.round(value * 100)} %`;
  const number = new Intl.NumberFormat(document.documentElement.lang || 'sv', { maximumFractionDigits: 1 });
  return `${number.format(value)} ${measure.unit_of_measure || ''}`.trim();
}

async function measuresView(app, ctx) {
  const { unit, verksamhetId, enheter } = ctx;
  const state = app.qualityPeriod || (app.qualityPeriod = { year: currentYear(), tertial: '1' });
  const list = h('div', { 'data-testid': 'measure-list' });
  const controls = periodControls(() => {
    state.year = Number(controls.yearInput.value);
    state.tertial = controls.tertialSelect.value;
    draw();
  }, state);
  const measures = live(await app.store.where('quality_measures', 'unit_id', verksamhetId || ''))
    .filter((m) => m.active !== false).sort(byName);
  const items = await swedishItems(app, ctx.unitIds);
  const links = live(await app.store.all('quality_links'));
  const canLink = app.canEdit(unit.id) && items.length > 0;
  let drawing = 0;
  async function draw() {
    const ticket = ++drawing;
    const period = state.tertial ? `${state.year}-T${state.tertial}` : String(state.year);
    const cards = [];
    for (const measure of measures) {
      const values = live(await app.store.where('measure_values', 'measure_id', measure.id)).filter((v) => v.period === period);
      const targets = measure.level === 2
        ? (app.units.has(verksamhetId) ? [app.units.get(verksamhetId)] : [])
        : enheter;
      const aggregate = h('p', { 'data-testid': 'aggregate' });
      // The uppdrag's figure from the values on this device (the enheter the user may see).
      const showAggregate = async () => {
        const now = live(await app.store.where('measure_values', 'measure_id', measure.id)).filter((v) => v.period === period);
        const [total] = combine(measure.aggregation, now);
        aggregate.replaceChildren(`${t('quality.measures.total')}: `, h('strong', {}, formatFigure(total, measure)),
          ` (${t('quality.measures.reported', { n: now.filter((v) => v.value != null).length })})`);
      };
      await showAggregate();
      cards.push(h('section', { class: 'card', 'data-measure': measure.name },
        h('h2', {}, measure.name),
        h('p', { class: 'muted' }, `${t(`quality.kind.${measure.kind}`)} · ${t('quality.level', { n: measure.level })} · ${t(`quality.rule.${measure.aggregation}`)}`),
        targets.length === 0 ? h('p', { class: 'hint' }, t('quality.measures.no_targets')) : null,
        targets.map((target) => valueForm(app, measure, target, period, values.find((v) => v.unit_id === target.id), showAggregate)),
        measure.level === 3 ? aggregate : null,
        linkList(links.filter((l) => l.source_id === measure.id), items),
        canLink ? linkForm(app, 'quality_measures', measure.id, measure.name, items, links) : null));
    }
    if (ticket !== drawing) return; // the period changed again meanwhile
    list.replaceChildren(...(cards.length ? cards : [h('p', {}, t('quality.measures.none'))]));
    list.dataset.period = period;
  }
  await draw();
  const manager = verksamhetId && app.isManager(verksamhetId);
  return {
    title: t('quality.measures.title'),
    node: page(app, unit.id, 'measures', t('quality.measures.title'),
      manager ? h('p', {}, h('a', { class: 'btn', href: `#/quality/${unit.id}/measures/new` }, t('quality.measures.new'))) : null,
      controls.node, list,
      manager && app.units.has(verksamhetId) ? importForm(app, verksamhetId) : null),
  };
}

function importForm(app, verksamhetId) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv', name: 'csv' });
  const status = h('p', { role: 'status' });
  const form = h('form', { class: 'card', 'data-testid': 'import-form' },
    h('h2', {}, t('quality.measures.import')),
    h('p', { class: 'hint' }, t('quality.measures.import_hint')),
    field(t('quality.measures.import_file'), file),
    status,
    h('button', { type: 'submit', class: 'btn', 'data-online-only': true, disabled: !app.online() }, t('quality.measures.import_button')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!file.files || !file.files[0]) return;
    status.className = '';
    try {
      const result = await app.api.qualityImport(verksamhetId, await file.files[0].text());
      status.textContent = t('quality.measures.imported', result);
      app.sync.run('import');
    } catch (err) {
      status.className = 'error';
      status.textContent = errorText(err);
    }
  });
  return form;
}

async function newMeasureView(app, ctx) {
  const { unit, verksamhetId } = ctx;
  const areas = live(await app.store.where('quality_areas', 'unit_id', verksamhetId || ''))
    .sort((a, b) => (a.position || 0) - (b.position || 0));
  const c = {
    name: h('input', { name: 'name', maxlength: 300, required: true }),
    area_id: h('select', { name: 'area_id' }, h('option', { value: '' }, '–'), areas.map((a) => h('option', { value: a.id }, a.name))),
    kind: h('select', { name: 'kind' }, ['structure', 'process', 'result'].map((k) => h('option', { value: k }, t(`quality.kind.${k}`)))),
    level: h('select', { name: 'level' }, [3, 2].map((n) => h('option', { value: String(n) }, t('quality.level', { n })))),
    aggregation: h('select', { name: 'aggregation' }, ['sum', 'mean', 'rate'].map((k) => h('option', { value: k }, t(`quality.rule.${k}`)))),
    unit_of_measure: h('input', { name: 'unit_of_measure', maxlength: 50, value: 'antal' }),
    numerator_label: h('input', { name: 'numerator_label', maxlength: 200 }),
    denominator_label: h('input', { name: 'denominator_label', maxlength: 200 }),
  };
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', 'data-testid': 'measure-form' },
    field(t('quality.measures.name'), c.name),
    field(t('quality.areas.name'), c.area_id),
    h('div', { class: 'inline' }, field(t('quality.measures.kind'), c.kind), field(t('quality.measures.level'), c.level), field(t('quality.measures.rule'), c.aggregation)),
    field(t('quality.measures.unit_of_measure'), c.unit_of_measure),
    h('div', { class: 'inline' }, field(t('quality.measures.numerator'), c.numerator_label), field(t('quality.measures.denominator'), c.denominator_label)),
    error,
    h('div', { class: 'actions' },
      h('a', { class: 'btn', href: `#/quality/${unit.id}/measures` }, t('item.cancel')),
      h('button', { type: 'submit', class: 'btn primary' }, t('quality.save'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const texts = [c.name, c.unit_of_measure, c.numerator_label, c.denominator_label].map((i) => i.value.trim());
    if (!texts[0]) {
      error.textContent = `${t('quality.measures.name')}: ?`;
      return;
    }
    if (texts.some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    const rate = c.aggregation.value === 'rate';
    await app.store.create('quality_measures', {
      unit_id: verksamhetId, name: texts[0], area_id: c.area_id.value || null, kind: c.kind.value,
      level: Number(c.level.value), aggregation: c.aggregation.value, unit_of_measure: texts[1] || 'antal',
      numerator_label: rate ? texts[2] || null : null, denominator_label: rate ? texts[3] || null : null, active: true,
    });
    saved(app);
    app.navigate(`#/quality/${unit.id}/measures`);
  });
  return { title: t('quality.measures.new'), node: page(app, unit.id, 'measures', t('quality.measures.new'), form) };
}

async function areaView(app, ctx, areaId) {
  const { unit } = ctx;
  const area = await app.store.get('quality_areas', areaId);
  if (!area || area.deleted) return notFound();
  const c = {
    name: h('input', { name: 'name', maxlength: 200, value: area.name, required: true }),
    process_goals: h('textarea', { name: 'process_goals', rows: 4 }, area.process_goals || ''),
    process_measures: h('textarea', { name: 'process_measures', rows: 4 }, area.process_measures || ''),
    follow_up_methods: h('textarea', { name: 'follow_up_methods', rows: 5 }, area.follow_up_methods || ''),
  };
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', 'data-testid': 'area-form' },
    Object.entries(c).map(([name, control]) => field(t(`quality.areas.${name}`), control)),
    error,
    h('div', { class: 'actions' },
      h('a', { class: 'btn', href: `#/quality/${unit.id}` }, t('item.cancel')),
      h('button', { type: 'submit', class: 'btn primary' }, t('quality.save'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = Object.fromEntries(Object.entries(c).map(([k, control]) => [k, control.value.trim() || null]));
    if (!values.name) {
      error.textContent = `${t('quality.areas.name')}: ?`;
      return;
    }
    if (Object.values(values).some((v) => v && containsIdentityNumber(v))) {
      error.textContent = t('quality.personnummer');
      return;
    }
    await app.store.update('quality_areas', area.id, values);
    saved(app);
    app.navigate(`#/quality/${unit.id}`);
  });
  const title = `${t('quality.areas.edit')}: ${area.name}`;
  return { title, node: page(app, unit.id, 'areas', title, form) };
}

function valueForm(app, measure, target, period, existing, onSaved) {
  const rate = measure.aggregation === 'rate';
  if (!app.canEdit(target.id)) {
    // Inspectors read the figure; only staff and managers enter it.
    const shown = existing ? formatFigure(existing.value, measure) : '–';
    return h('p', { class: 'inline value-form' }, h('span', { class: 'row-main' }, target.name), h('span', {}, shown));
  }
  const label = `${measure.name}, ${target.name}`;
  const num = (name, value, text) => h('input', { type: 'number', step: 'any', min: rate ? 0 : null, name, value: value ?? '', inputmode: 'decimal', 'aria-label': `${text}: ${label}` });
  const inputs = rate
    ? { numerator: num('numerator', existing && existing.numerator, measure.numerator_label || t('quality.measures.numerator')),
      denominator: num('denominator', existing && existing.denominator, measure.denominator_label || t('quality.measures.denominator')) }
    : { value: num('value', existing && existing.value, t('quality.measures.value')) };
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'inline value-form' },
    h('span', { class: 'row-main' }, target.name),
    Object.values(inputs),
    h('button', { type: 'submit', class: 'btn small' }, t('quality.save')),
    error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const read = (input) => (input.value === '' ? null : Number(input.value));
    const fields = Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, read(input)]));
    if (rate && fields.numerator != null && fields.denominator != null && fields.numerator > fields.denominator) {
      error.textContent = t('quality.measures.numerator_too_big');
      return;
    }
    if (rate) fields.value = fields.denominator ? (fields.numerator || 0) / fields.denominator : null;
    const id = await measureValueId(measure.id, target.id, period);
    if (await app.store.get('measure_values', id)) await app.store.update('measure_values', id, fields);
    else await app.store.create('measure_values', { id, measure_id: measure.id, unit_id: target.id, period, ...fields });
    saved(app);
    await onSaved();
  });
  return form;
}

// ---- register ------------------------------------------------------------------------------

async function registerView(app, ctx) {
  const { unit, unitIds } = ctx;
  const entries = live(await app.store.all('register_entries')).filter((e) => unitIds.has(e.unit_id))
    .sort((a, b) => String(b.entry_date).localeCompare(String(a.entry_date)));
  const links = live(await app.store.all('quality_links'));
  const items = await swedishItems(app, unitIds);
  const canWrite = app.canEdit(unit.id);
  const targetUnits = [unit, ...ctx.enheter.filter((e) => e.id !== unit.id)];
  const form = canWrite ? registerForm(app, targetUnits) : null;
  return {
    title: t('quality.register.title'),
    live: !canWrite,
    node: page(app, unit.id, 'register', t('quality.register.title'),
      h('p', { class: 'hint' }, t('quality.register.hint')),
      form,
      entries.length === 0 ? h('p', {}, t('quality.register.none')) : h('ul', { class: 'list', 'data-testid': 'register-list' },
        entries.map((e) => h('li', { class: 'row', 'data-entry': e.title },
          h('span', { class: 'row-main' }, e.title),
          h('span', { class: 'state' }, t(`quality.register.kind.${e.kind}`)),
          h('span', { class: 'muted' }, formatDate(e.entry_date)),
          e.analysis ? h('span', { class: 'muted' }, `${t('quality.register.analysis')}: ${e.analysis}`) : null,
          linkList(links.filter((l) => l.source_id === e.id), items),
          canWrite && items.length ? linkForm(app, 'register_entries', e.id, e.title, items, links) : null)))),
  };
}

async function swedishItems(app, unitIds) {
  const plans = live(await app.store.all('plans')).filter((p) => p.kind === 'se_handlingsplan' && unitIds.has(p.unit_id));
  const items = [];
  for (const plan of plans) {
    for (const item of live(await app.store.listItems(plan.id))) items.push({ ...item, planTitle: plan.title });
  }
  return items;
}

function linkList(links, items) {
  if (!links.length) return null;
  return h('span', { class: 'muted', 'data-testid': 'linked-items' }, `${t('quality.register.led_to')}: `,
    links.map((l, i) => {
      const item = items.find((it) => it.id === l.plan_item_id);
      return [i ? ', ' : '', item ? h('a', { href: `#/items/${item.id}` }, item.topic || item.goal || t('plan.untitled')) : '…'];
    }));
}

/** Link a handlingsplan item to the row (avvikelse, measure, survey question) that led to it. */
function linkForm(app, sourceTable, sourceId, label, items, links) {
  const taken = new Set(links.filter((l) => l.source_id === sourceId).map((l) => l.plan_item_id));
  const free = items.filter((i) => !taken.has(i.id));
  if (!free.length) return null;
  const select = h('select', { 'aria-label': `${t('quality.register.link')}: ${label}` },
    free.map((i) => h('option', { value: i.id }, `${i.planTitle}: ${i.topic || i.goal || ''}`.slice(0, 90))));
  return h('span', { class: 'inline' }, select,
    h('button', { type: 'button', class: 'btn small', onclick: async () => {
      const item = free.find((i) => i.id === select.value);
      await app.store.create('quality_links', { plan_item_id: item.id, plan_id: item.plan_id, unit_id: item.unit_id, source_table: sourceTable, source_id: sourceId });
      saved(app);
      app.navigate(location.hash);
    } }, t('quality.register.link')));
}

function registerForm(app, units) {
  const unitSelect = h('select', { name: 'unit_id' }, units.map((u) => h('option', { value: u.id }, u.name)));
  const kind = h('select', { name: 'kind' }, REGISTER_KINDS.map((k) => h('option', { value: k }, t(`quality.register.kind.${k}`))));
  const date = h('input', { type: 'date', name: 'entry_date', value: today(), required: true });
  const title = h('input', { name: 'title', maxlength: 200, required: true });
  const description = h('textarea', { name: 'description', rows: 3 });
  const analysis = h('textarea', { name: 'analysis', rows: 3 });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', 'data-testid': 'register-form' },
    h('h2', {}, t('quality.register.new')),
    units.length > 1 ? field(t('quality.unit'), unitSelect) : null,
    field(t('quality.register.kind_label'), kind),
    field(t('quality.register.date'), date),
    field(t('quality.register.title_label'), title),
    field(t('quality.register.description'), description),
    field(t('quality.register.analysis'), analysis, t('quality.register.analysis_hint')),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn primary' }, t('quality.register.save'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const texts = { title: title.value.trim(), description: description.value.trim() || null, analysis: analysis.value.trim() || null };
    if (!texts.title) {
      error.textContent = `${t('quality.register.title_label')}: ?`;
      return;
    }
    if (Object.values(texts).some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    await app.store.create('register_entries', { unit_id: unitSelect.value, kind: kind.value, entry_date: date.value, ...texts });
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}

// ---- cases ---------------------------------------------------------------------------------

async function casesView(app, ctx) {
  const { unit, unitIds } = ctx;
  const cases = live(await app.store.all('case_records')).filter((c) => unitIds.has(c.unit_id))
    .sort((a, b) => String(b.started_on).localeCompare(String(a.started_on)));
  const canWrite = app.canEdit(unit.id) && unit.kind === 'se_enhet';
  return {
    title: t('quality.cases.title'),
    live: true,
    node: page(app, unit.id, 'cases', t('quality.cases.title'),
      h('p', { class: 'hint' }, t('quality.cases.hint')),
      canWrite ? h('p', {}, h('a', { class: 'btn primary', href: `#/quality/${unit.id}/cases/new` }, t('quality.cases.new'))) : null,
      unit.kind !== 'se_enhet' ? h('p', { class: 'hint' }, t('quality.cases.per_enhet')) : null,
      cases.length === 0 ? h('p', {}, t('quality.cases.none')) : h('ul', { class: 'list', 'data-testid': 'case-list' },
        cases.map((c) => h('li', { class: 'row' },
          h('a', { class: 'row-main', href: `#/quality/${c.unit_id}/cases/${c.id}` }, c.case_code),
          h('span', {}, c.intervention),
          h('span', { class: 'muted' }, `${formatDate(c.started_on)} – ${c.ended_on ? formatDate(c.ended_on) : t('quality.cases.ongoing')}`),
          c.end_reason ? h('span', { class: 'state' }, t(`quality.end_reason.${c.end_reason}`)) : null)))),
  };
}

function options(values, selected, prefix, empty = true) {
  return [empty ? h('option', { value: '' }, '–') : null,
    values.map((v) => h('option', { value: v, selected: v === selected }, prefix ? t(`${prefix}.${v}`) : v))];
}

async function caseView(app, ctx, caseId) {
  const { unit } = ctx;
  const existing = caseId === 'new' ? null : await app.store.get('case_records', caseId);
  if (caseId !== 'new' && (!existing || existing.deleted)) return notFound();
  const v = existing || { started_on: today(), needs: [] };
  const input = (name, attrs = {}) => h('input', { name, value: v[name] ?? '', ...attrs });
  const c = {
    case_code: input('case_code', { maxlength: 20, required: true, autocomplete: 'off' }),
    intervention: input('intervention', { maxlength: 100, required: true }),
    age_band: h('select', { name: 'age_band' }, options(AGE_BANDS, v.age_band)),
    gender: h('select', { name: 'gender' }, options(GENDERS, v.gender, 'quality.gender')),
    needs: h('textarea', { name: 'needs', rows: 3 }, (v.needs || []).join('\n')),
    started_on: input('started_on', { type: 'date', required: true }),
    ended_on: input('ended_on', { type: 'date' }),
    end_reason: h('select', { name: 'end_reason' }, options(END_REASONS, v.end_reason, 'quality.end_reason')),
    needs_met: h('select', { name: 'needs_met' }, options(NEEDS_MET, v.needs_met, 'quality.needs_met')),
    situation_after: h('select', { name: 'situation_after' }, options(SITUATIONS, v.situation_after, 'quality.situation_after')),
    situation_note: h('textarea', { name: 'situation_note', rows: 3 }, v.situation_note || ''),
  };
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', 'data-testid': 'case-form' },
    field(t('quality.cases.case_code'), c.case_code, t('quality.cases.case_code_hint')),
    field(t('quality.cases.intervention'), c.intervention),
    h('div', { class: 'inline' }, field(t('quality.cases.age_band'), c.age_band), field(t('quality.cases.gender'), c.gender)),
    field(t('quality.cases.needs'), c.needs, t('quality.cases.needs_hint')),
    h('div', { class: 'inline' }, field(t('quality.cases.started_on'), c.started_on), field(t('quality.cases.ended_on'), c.ended_on)),
    h('fieldset', {}, h('legend', {}, t('quality.cases.outcome')),
      h('div', { class: 'inline' }, field(t('quality.cases.end_reason'), c.end_reason), field(t('quality.cases.needs_met'), c.needs_met),
        field(t('quality.cases.situation_after'), c.situation_after)),
      field(t('quality.cases.situation_note'), c.situation_note)),
    error,
    h('div', { class: 'actions' },
      h('a', { class: 'btn', href: `#/quality/${unit.id}/cases` }, t('item.cancel')),
      app.canEdit(unit.id) ? h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'save-case' }, t('quality.save')) : null));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const fields = {
      case_code: c.case_code.value.trim(),
      intervention: c.intervention.value.trim(),
      age_band: c.age_band.value || null,
      gender: c.gender.value || null,
      needs: [...new Set(c.needs.value.split('\n').map((s) => s.trim()).filter(Boolean))],
      started_on: c.started_on.value,
      ended_on: c.ended_on.value || null,
      end_reason: c.end_reason.value || null,
      needs_met: c.needs_met.value || null,
      situation_after: c.situation_after.value || null,
      situation_note: c.situation_note.value.trim() || null,
    };
    const problem = caseCodeProblem(fields.case_code);
    if (problem) {
      error.textContent = t(problem === 'personnummer' ? 'quality.personnummer' : 'quality.cases.case_code_hint');
      c.case_code.focus();
      return;
    }
    const texts = [fields.intervention, fields.situation_note, ...fields.needs];
    if (texts.some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    if (!fields.intervention || !fields.started_on) {
      error.textContent = `${t('quality.cases.intervention')}, ${t('quality.cases.started_on')}: ?`;
      return;
    }
    if (!fields.ended_on && (fields.end_reason || fields.needs_met || fields.situation_after)) {
      error.textContent = t('quality.cases.outcome_needs_end');
      return;
    }
    if (existing) await app.store.update('case_records', existing.id, fields);
    else await app.store.create('case_records', { ...fields, unit_id: unit.id });
    saved(app);
    app.navigate(`#/quality/${unit.id}/cases`);
  });
  const survey = existing && existing.ended_on && app.canEdit(unit.id) ? await surveyForm(app, ctx, existing) : null;
  const title = existing ? `${t('quality.cases.case')} ${existing.case_code}` : t('quality.cases.new');
  return { title, node: page(app, unit.id, 'cases', title, form, survey) };
}

async function surveyForm(app, ctx, caseRecord) {
  const questions = live(await app.store.where('survey_questions', 'unit_id', ctx.verksamhetId || ''))
    .filter((q) => q.survey === 'end_of_intervention' && q.active !== false)
    .sort((a, b) => (a.position || 0) - (b.position || 0));
  const answered = live(await app.store.where('survey_responses', 'case_record_id', caseRecord.id));
  const section = h('section', { class: 'card', 'aria-labelledby': 'q-survey', 'data-testid': 'survey' }, h('h2', { id: 'q-survey' }, t('quality.survey.title')));
  if (answered.length) {
    section.append(h('p', {}, t('quality.survey.answered', { date: formatDate(answered[0].answered_on) })));
    return section;
  }
  if (!questions.length) {
    section.append(h('p', {}, t('quality.survey.no_questions')));
    return section;
  }
  const controls = questions.map((q) => ({ q, control: questionControl(q) }));
  const respondent = h('select', { name: 'respondent' }, ['client'].map((r) => h('option', { value: r }, t(`quality.survey.respondent.${r}`))));
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {}, controls.map(({ q, control }) => field(q.text, control)), field(t('quality.survey.respondent_label'), respondent), error,
    h('button', { type: 'submit', class: 'btn primary' }, t('quality.survey.save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const answers = readAnswers(controls);
    if (Object.values(answers).some((a) => typeof a === 'string' && containsIdentityNumber(a))) {
      error.textContent = t('quality.personnummer');
      return;
    }
    await app.store.create('survey_responses', {
      unit_id: caseRecord.unit_id, survey: 'end_of_intervention', case_record_id: caseRecord.id,
      respondent: respondent.value, answered_on: today(), answers,
    });
    saved(app);
    app.navigate(location.hash);
  });
  section.append(form);
  return section;
}

// ---- surveys -------------------------------------------------------------------------------

const SURVEYS = ['end_of_intervention', 'annual'];
const ANSWER_TYPES = ['scale', 'yes_no', 'text'];

function questionControl(q) {
  if (q.answer_type === 'scale') {
    return h('select', { name: q.id }, h('option', { value: '' }, '–'), [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n) }, t('quality.survey.scale', { n }))));
  }
  if (q.answer_type === 'yes_no') {
    return h('select', { name: q.id }, h('option', { value: '' }, '–'), h('option', { value: 'true' }, t('quality.needs_met.yes')), h('option', { value: 'false' }, t('quality.needs_met.no')));
  }
  return h('textarea', { name: q.id, rows: 2, maxlength: 2000 });
}

function readAnswers(controls) {
  const answers = {};
  for (const { q, control } of controls) {
    const value = control.value.trim();
    if (!value) continue;
    answers[q.id] = q.answer_type === 'scale' ? Number(value) : q.answer_type === 'yes_no' ? value === 'true' : value;
  }
  return answers;
}

/** Per question: how many answered, and the mean (scale) or the share of yes. */
function summarise(questions, responses) {
  return questions.filter((q) => q.answer_type !== 'text').map((q) => {
    const answers = responses.map((r) => (r.answers || {})[q.id]).filter((a) => a != null);
    const figure = !answers.length ? '–'
      : q.answer_type === 'scale'
        ? t('quality.surveys.mean', { value: new Intl.NumberFormat(document.documentElement.lang || 'sv', { maximumFractionDigits: 1 }).format(answers.reduce((x, y) => x + y, 0) / answers.length) })
        : t('quality.surveys.yes_of', { yes: answers.filter(Boolean).length, n: answers.length });
    return { q, n: answers.length, figure };
  });
}

async function surveysView(app, ctx) {
  const { unit, unitIds, verksamhetId } = ctx;
  const state = app.qualityPeriod || (app.qualityPeriod = { year: currentYear(), tertial: '1' });
  const questions = live(await app.store.where('survey_questions', 'unit_id', verksamhetId || ''))
    .sort((a, b) => (a.position || 0) - (b.position || 0));
  const responses = live(await app.store.all('survey_responses'))
    .filter((r) => unitIds.has(r.unit_id) && String(r.answered_on).startsWith(String(state.year)));
  const manager = verksamhetId && app.isManager(verksamhetId);
  const items = await swedishItems(app, unitIds);
  const links = live(await app.store.all('quality_links'));
  const canLink = app.canEdit(unit.id) && items.length > 0;
  const sections = SURVEYS.map((survey) => {
    const asked = questions.filter((q) => q.survey === survey);
    const summary = summarise(asked.filter((q) => q.active !== false), responses.filter((r) => r.survey === survey));
    return h('section', { class: 'card', 'data-survey': survey },
      h('h2', {}, t(`quality.surveys.${survey}`)),
      asked.length === 0 ? h('p', {}, t('quality.survey.no_questions')) : h('table', { class: 'quality-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('quality.surveys.question')), h('th', { scope: 'col' }, t('quality.surveys.answers', { year: state.year })), manager ? h('th', { scope: 'col' }, t('quality.surveys.active')) : null)),
        h('tbody', {}, asked.map((q) => {
          const row = summary.find((x) => x.q.id === q.id);
          const box = h('input', { type: 'checkbox', checked: q.active !== false, 'aria-label': `${t('quality.surveys.active')}: ${q.text}` });
          box.addEventListener('change', async () => {
            await app.store.update('survey_questions', q.id, { active: box.checked });
            saved(app);
          });
          return h('tr', {}, h('th', { scope: 'row' }, q.text, h('span', { class: 'muted' }, ` (${t(`quality.surveys.type.${q.answer_type}`)})`)),
            h('td', {}, row ? `${row.figure} (${row.n})` : '',
              linkList(links.filter((l) => l.source_id === q.id), items),
              canLink ? linkForm(app, 'survey_questions', q.id, q.text, items, links) : null),
            manager ? h('td', {}, box) : null);
        }))),
      survey === 'annual' && app.canEdit(unit.id) && asked.some((q) => q.active !== false) ? annualForm(app, ctx, asked.filter((q) => q.active !== false)) : null);
  });
  return {
    title: t('quality.surveys.title'),
    node: page(app, unit.id, 'surveys', t('quality.surveys.title'),
      h('p', { class: 'hint' }, t('quality.surveys.hint')),
      ...sections,
      manager && app.units.has(verksamhetId) ? questionForm(app, verksamhetId, questions) : null),
  };
}

function annualForm(app, ctx, questions) {
  const controls = questions.map((q) => ({ q, control: questionControl(q) }));
  const respondent = h('select', { name: 'respondent' }, ['staff', 'commissioner', 'partner'].map((r) => h('option', { value: r }, t(`quality.survey.respondent.${r}`))));
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { 'data-testid': 'annual-form' },
    h('h3', {}, t('quality.surveys.register_answer')),
    field(t('quality.survey.respondent_label'), respondent),
    controls.map(({ q, control }) => field(q.text, control)),
    error,
    h('button', { type: 'submit', class: 'btn primary' }, t('quality.survey.save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const answers = readAnswers(controls);
    if (Object.values(answers).some((a) => typeof a === 'string' && containsIdentityNumber(a))) {
      error.textContent = t('quality.personnummer');
      return;
    }
    await app.store.create('survey_responses', {
      unit_id: ctx.unit.id, survey: 'annual', case_record_id: null, respondent: respondent.value, answered_on: today(), answers,
    });
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}

function questionForm(app, verksamhetId, questions) {
  const survey = h('select', { name: 'survey' }, SURVEYS.map((x) => h('option', { value: x }, t(`quality.surveys.${x}`))));
  const text = h('input', { name: 'text', maxlength: 500 });
  const type = h('select', { name: 'answer_type' }, ANSWER_TYPES.map((x) => h('option', { value: x }, t(`quality.surveys.type.${x}`))));
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', 'data-testid': 'question-form' },
    h('h2', {}, t('quality.surveys.new_question')),
    field(t('quality.surveys.which'), survey), field(t('quality.surveys.question'), text), field(t('quality.surveys.answer_type'), type),
    error,
    h('button', { type: 'submit', class: 'btn primary' }, t('quality.surveys.add')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = text.value.trim();
    if (!value || containsIdentityNumber(value)) {
      error.textContent = value ? t('quality.personnummer') : `${t('quality.surveys.question')}: ?`;
      return;
    }
    const position = questions.filter((q) => q.survey === survey.value).reduce((m, q) => Math.max(m, q.position || 0), 0) + 1;
    await app.store.create('survey_questions', { unit_id: verksamhetId, survey: survey.value, text: value, answer_type: type.value, position, active: true });
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}

// ---- årshjul -------------------------------------------------------------------------------

async function cycleView(app, ctx) {
  const { unit, unitIds, verksamhetId } = ctx;
  const state = app.qualityPeriod || (app.qualityPeriod = { year: currentYear(), tertial: '1' });
  const ids = new Set([...unitIds, verksamhetId]);
  const tasks = live(await app.store.all('annual_tasks')).filter((task) => ids.has(task.unit_id) && task.year === Number(state.year))
    .sort((a, b) => String(a.due_date).localeCompare(String(b.due_date)));
  const year = h('input', { type: 'number', min: 2000, max: 2100, value: state.year });
  year.addEventListener('change', () => {
    state.year = Number(year.value);
    app.navigate(location.hash);
  });
  const status = h('p', { class: 'error', role: 'alert' });
  const manager = app.isManager(unit.id);
  const now = today();
  return {
    title: t('quality.cycle.title'),
    node: page(app, unit.id, 'cycle', t('quality.cycle.title'),
      field(t('quality.year'), year),
      manager
        ? h('p', {}, h('button', { type: 'button', class: 'btn', 'data-online-only': true, disabled: !app.online(), onclick: async () => {
          try {
            await app.api.qualityCycle(unit.id, state.year);
            app.sync.run('cycle');
          } catch (err) {
            status.textContent = errorText(err);
          }
        } }, t('quality.cycle.create', { year: state.year })))
        : null,
      status,
      tasks.length === 0 ? h('p', {}, t('quality.cycle.none')) : h('ul', { class: 'list', 'data-testid': 'task-list' },
        tasks.map((task) => {
          const box = h('input', { type: 'checkbox', checked: task.state === 'done', 'aria-label': `${t('quality.cycle.done')}: ${task.title}` });
          box.addEventListener('change', async () => {
            await app.store.update('annual_tasks', task.id, box.checked ? { state: 'done', done_on: now } : { state: 'open', done_on: null });
            saved(app);
          });
          const late = task.state !== 'done' && task.due_date < now;
          return h('li', { class: 'row' },
            app.canEdit(task.unit_id) ? box : null,
            h('span', { class: 'row-main' }, task.title),
            h('span', { class: late ? 'overdue' : 'muted' }, formatDate(task.due_date)),
            h('span', { class: 'muted' }, task.owner_name || (task.owner_user_id ? app.userName(task.owner_user_id) : '')),
            task.state === 'done' ? h('span', { class: 'state state-approved' }, t('quality.cycle.done')) : null);
        })),
      manager ? taskForm(app, unit, state.year) : null),
  };
}

const TASK_KINDS = ['survey_sent', 'survey_due', 'compilation', 'analysis', 'management_group', 'follow_up', 'quality_report', 'other'];

function taskForm(app, unit, year) {
  const title = h('input', { name: 'title', maxlength: 200 });
  const kind = h('select', { name: 'kind' }, TASK_KINDS.map((k) => h('option', { value: k, selected: k === 'other' }, t(`quality.cycle.kind.${k}`))));
  const due = h('input', { type: 'date', name: 'due_date', value: `${year}-01-31` });
  const owner = h('input', { name: 'owner_name', maxlength: 200, value: app.user.name || '' });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', 'data-testid': 'task-form' },
    h('h2', {}, t('quality.cycle.new')),
    field(t('quality.cycle.task'), title), field(t('quality.cycle.kind_label'), kind),
    h('div', { class: 'inline' }, field(t('quality.cycle.due'), due), field(t('quality.cycle.owner'), owner)),
    error,
    h('button', { type: 'submit', class: 'btn primary' }, t('quality.cycle.add')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const texts = [title.value.trim(), owner.value.trim()];
    if (!texts[0] || !due.value) {
      error.textContent = `${t('quality.cycle.task')}, ${t('quality.cycle.due')}: ?`;
      return;
    }
    if (texts.some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    await app.store.create('annual_tasks', {
      unit_id: unit.id, year: Number(due.value.slice(0, 4)), kind: kind.value, title: texts[0], due_date: due.value,
      owner_user_id: null, owner_name: texts[1] || null, state: 'open', done_on: null,
    });
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}

// ---- compilation ---------------------------------------------------------------------------

const DIMENSIONS = [
  ['by_intervention', null],
  ['by_age_band', null],
  ['by_gender', 'quality.gender'],
  ['by_need', null],
  ['by_end_reason', 'quality.end_reason'],
  ['by_needs_met', 'quality.needs_met'],
  ['by_situation_after', 'quality.situation_after'],
  ['interrupted_by_intervention', null],
];

async function compilationView(app, ctx) {
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
    const perUnit = enheter.length > 1
      ? enheter.map((e) => [e.name, compile(all.filter((c) => c.unit_id === e.id), start, end)])
      : [];
    const charts = DIMENSIONS.filter(([key]) => Object.keys(total[key]).length).map(([key, prefix]) => {
      const counts = Object.fromEntries(Object.entries(total[key]).map(([k, n]) => [prefix ? t(`${prefix}.${k}`) : k === 'unknown' ? t('quality.unknown') : k, n]));
      return chartFigure(`${t(`quality.compilation.${key}`)} – ${unit.name}`, counts, `${slug(unit.name)}-${key}-${state.year}${state.tertial ? `-t${state.tertial}` : ''}`);
    });
    out.replaceChildren(
      h('p', { 'data-testid': 'compilation-summary' }, t('quality.compilation.summary', { cases: total.cases, ended: total.ended, start: formatDate(start), end: formatDate(end) })),
      perUnit.length
        ? h('table', { class: 'quality-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('quality.unit')), h('th', { scope: 'col' }, t('quality.compilation.cases')), h('th', { scope: 'col' }, t('quality.compilation.ended')), h('th', { scope: 'col' }, t('quality.compilation.interrupted')))),
          h('tbody', {}, perUnit.map(([name, c]) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, String(c.cases)), h('td', {}, String(c.ended)),
            h('td', {}, String(Object.values(c.interrupted_by_intervention).reduce((s, n) => s + n, 0)))))))
        : null,
      ...(charts.length ? charts : [h('p', {}, t('quality.compilation.none'))]),
    );
  }
  draw();
  return { title: t('quality.compilation.title'), node: page(app, unit.id, 'compilation', t('quality.compilation.title'), h('p', { class: 'hint' }, t('quality.compilation.hint')), controls.node, out) };
}

function chartFigure(title, counts, name) {
  const svgText = barChartSvg(title, counts);
  const holder = h('div', { class: 'chart' });
  // Parsed as SVG (never as HTML): labels are user input, escaped by barChartSvg.
  holder.append(new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement);
  return h('figure', { class: 'card chart-figure', 'data-chart': title },
    holder,
    h('figcaption', { class: 'actions' },
      h('button', { type: 'button', class: 'btn small', onclick: () => download(new Blob([svgText], { type: 'image/svg+xml' }), `${name}.svg`) }, t('quality.compilation.download_svg')),
      h('button', { type: 'button', class: 'btn small', onclick: () => downloadPng(svgText, `${name}.png`) }, t('quality.compilation.download_png'))));
}

function downloadPng(svgText, filename) {
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
