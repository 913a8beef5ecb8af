/**
 * Measures: values per enhet and period, the uppdrag's figure by the measure's rule, areas.
 */
import { t } from '../../i18n.js';
import { checkForm } from '../field_errors.js';
import { h, field } from '../dom.js';
import { combine, containsIdentityNumber, measureValueId } from '../quality_model.js';
import {
  RESOURCES,
  YEAR_RULES,
  byName,
  currentYear,
  errorText,
  live,
  notFound,
  page,
  periodForm,
  saved,
} from './common.js';
import { linkForm, linkList, swedishItems } from './links.js';

export function periodControls(onChange, { year = currentYear(), tertial = '1', whole = true } = {}) {
  const yearInput = h('input', { type: 'number', min: 2000, max: 2100, value: year, name: 'year' });
  const tertialSelect = h(
    'select',
    { name: 'tertial' },
    whole ? h('option', { value: '', selected: tertial === '' }, t('quality.whole_year')) : null,
    [1, 2, 3].map((n) =>
      h('option', { value: String(n), selected: String(n) === String(tertial) }, t('quality.tertial', { n })),
    ),
  );
  yearInput.addEventListener('change', onChange);
  tertialSelect.addEventListener('change', onChange);
  return {
    yearInput,
    tertialSelect,
    // A form marked as a draft: a live re-render waits while a year is being typed (common.js).
    node: periodForm(field(t('quality.year'), yearInput), field(t('quality.period'), tertialSelect)),
  };
}

export function formatFigure(value, measure) {
  if (value == null) return '–';
  if (measure.aggregation === 'rate') return `${Math.round(value * 100)}\u00a0%`;
  const number = new Intl.NumberFormat(document.documentElement.lang || 'sv', { maximumFractionDigits: 1 });
  return `${number.format(value)} ${measure.unit_of_measure || ''}`.trim();
}

export async function measuresView(app, ctx) {
  const { unit, verksamhetId, enheter } = ctx;
  const state = app.qualityPeriod || (app.qualityPeriod = { year: currentYear(), tertial: '1' });
  const list = h('div', { 'data-testid': 'measure-list' });
  const controls = periodControls(() => {
    const year = Number(controls.yearInput.value);
    const tertial = controls.tertialSelect.value;
    // A change event that changes nothing (the year field losing focus after its change was
    // already taken) must not redraw the cards under a form being filled in.
    if (year === Number(state.year) && tertial === state.tertial && list.dataset.period) return;
    state.year = year;
    state.tertial = tertial;
    draw();
  }, state);
  const measures = (await definedMeasures(app, verksamhetId, enheter)).filter((m) => m.active !== false);
  const items = await swedishItems(app, ctx.unitIds);
  const links = live(await app.store.all('quality_links'));
  const canLink = app.canEdit(unit.id) && items.length > 0;
  let drawing = 0;
  async function draw() {
    const ticket = ++drawing;
    // Said again only when this drawing is on the screen (a test, or a person, waits for it).
    delete list.dataset.period;
    const period = state.tertial ? `${state.year}-T${state.tertial}` : String(state.year);
    const cards = [];
    for (const measure of measures) {
      const values = live(await app.store.where('measure_values', 'measure_id', measure.id)).filter(
        (v) => v.period === period,
      );
      const owner = localOwner(app, measure, verksamhetId);
      const targets = owner
        ? [owner]
        : measure.level === 2
          ? app.units.has(verksamhetId)
            ? [app.units.get(verksamhetId)]
            : []
          : enheter;
      const aggregate = h('p', { 'data-testid': 'aggregate' });
      // The uppdrag's figure from the values on this device (the enheter the user may see).
      const showAggregate = async () => {
        const now = live(await app.store.where('measure_values', 'measure_id', measure.id)).filter(
          (v) => v.period === period,
        );
        const [total] = combine(measure.aggregation, now);
        aggregate.replaceChildren(
          `${t('quality.measures.total')}: `,
          h('strong', {}, formatFigure(total, measure)),
          ` (${t('quality.measures.reported', { n: now.filter((v) => v.value != null).length })})`,
        );
      };
      await showAggregate();
      cards.push(
        h(
          'section',
          { class: 'card', 'data-measure': measure.name, 'data-local': owner ? 'true' : null },
          h('h2', {}, measure.name),
          h(
            'p',
            { class: 'muted' },
            `${t(`quality.kind.${measure.kind}`)}${
              measure.resource ? ` (${t(`quality.resource.${measure.resource}`)})` : ''
            } · ${t('quality.level', { n: measure.level })} · ${
              owner ? t('quality.measures.local', { unit: owner.name }) : t(`quality.rule.${measure.aggregation}`)
            }`,
          ),
          targets.length === 0 ? h('p', { class: 'hint' }, t('quality.measures.no_targets')) : null,
          targets.map((target) =>
            valueForm(
              app,
              measure,
              target,
              period,
              values.find((v) => v.unit_id === target.id),
              showAggregate,
            ),
          ),
          // An enhet's own measure is its figure alone: nothing to combine (seed 003, nivå 3).
          measure.level === 3 && !owner ? aggregate : null,
          linkList(
            links.filter((l) => l.source_id === measure.id),
            items,
          ),
          canLink ? linkForm(app, 'quality_measures', measure.id, measure.name, items, links) : null,
          measure.aggregation !== 'rate' ? keyFigure(app, measure, state.year) : null,
        ),
      );
    }
    if (ticket !== drawing) return; // the period changed again meanwhile
    const local = cards.filter((card) => card.dataset.local);
    const common = cards.filter((card) => !card.dataset.local);
    // replaceChildren writes a null as the text "null": only nodes go in.
    list.replaceChildren(
      ...(common.length ? common : [h('p', {}, t('quality.measures.none'))]),
      ...(local.length
        ? [
            h(
              'section',
              { 'aria-labelledby': 'q-local', 'data-testid': 'local-measures' },
              h('h2', { id: 'q-local' }, t('quality.measures.local_title')),
              h('p', { class: 'hint' }, t('quality.measures.local_hint')),
              local,
            ),
          ]
        : []),
    );
    list.dataset.period = period;
  }
  await draw();
  const manager = verksamhetId && app.isManager(verksamhetId);
  const definer = manager || (unit.kind === 'se_enhet' && app.isManager(unit.id));
  return {
    title: t('quality.measures.title'),
    node: page(
      app,
      unit.id,
      'measures',
      t('quality.measures.title'),
      definer
        ? h('p', {}, h('a', { class: 'btn', href: `#/quality/${unit.id}/measures/new` }, t('quality.measures.new')))
        : null,
      controls.node,
      list,
      manager && app.units.has(verksamhetId) ? importForm(app, verksamhetId) : null,
    ),
  };
}

/**
 * The economic key figure a measure is set against (seed 003: "i relation med de ekonomiska
 * nyckeltal"): a cost per unit of the measure for the year, entered by the measure's managers;
 * others read it. A share (rate) has no unit to price, so it has none.
 */
export function keyFigure(app, measure, year) {
  const costs = measure.costs || {};
  const current = costs[String(year)];
  if (!app.isManager(measure.unit_id)) {
    if (current == null) return null;
    return h(
      'p',
      { class: 'muted', 'data-testid': 'key-figure' },
      `${t('quality.measures.cost_per_unit')} ${year}: ${current} ${measure.cost_label || ''}`.trim(),
    );
  }
  const cost = h('input', {
    type: 'number',
    step: 'any',
    min: 0,
    name: 'cost',
    value: current ?? '',
    inputmode: 'decimal',
    'aria-label': `${t('quality.measures.cost_per_unit')} ${year}: ${measure.name}`,
  });
  const label = h('input', {
    name: 'cost_label',
    maxlength: 200,
    value: measure.cost_label || '',
    placeholder: t('quality.measures.cost_label_hint'),
    'aria-label': `${t('quality.measures.cost_label')}: ${measure.name}`,
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'inline key-figure', 'data-testid': 'key-figure-form' },
    h('span', { class: 'row-main' }, t('quality.measures.key_figure', { year })),
    h('label', { class: 'value-input' }, h('span', {}, t('quality.measures.cost_per_unit')), cost),
    h('label', { class: 'value-input' }, h('span', {}, t('quality.measures.cost_label')), label),
    h('button', { type: 'submit', class: 'btn small' }, t('quality.save')),
    error,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const text = label.value.trim();
    if (containsIdentityNumber(text)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    const next = { ...costs };
    if (cost.value === '') delete next[String(year)];
    else next[String(year)] = Number(cost.value);
    const fields = { cost_label: text || null, costs: next };
    if (checkForm(form, 'quality_measures', fields, { existing: measure })) return;
    await app.store.update('quality_measures', measure.id, fields);
    Object.assign(measure, fields);
    saved(app);
  });
  return form;
}

/**
 * The measures of the verksamhet and those the enheter in view defined for themselves (nivå 3
 * of their own): the verksamhet's first, then each enhet's, by name.
 */
export async function definedMeasures(app, verksamhetId, enheter) {
  const common = live(await app.store.where('quality_measures', 'unit_id', verksamhetId || '')).sort(byName);
  const local = [];
  for (const enhet of enheter) {
    local.push(...live(await app.store.where('quality_measures', 'unit_id', enhet.id)).sort(byName));
  }
  return [...common, ...local];
}

/** The enhet a measure belongs to, if it is that enhet's own (not its verksamhet's). */
export function localOwner(app, measure, verksamhetId) {
  if (measure.unit_id === verksamhetId) return null;
  return app.units.get(measure.unit_id) || { id: measure.unit_id, name: '' };
}

export function importForm(app, verksamhetId) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv', name: 'csv' });
  const status = h('p', { role: 'status' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'import-form' },
    h('h2', {}, t('quality.measures.import')),
    h('p', { class: 'hint' }, t('quality.measures.import_hint')),
    field(t('quality.measures.import_file'), file),
    status,
    h(
      'button',
      { type: 'submit', class: 'btn', 'data-online-only': true, disabled: !app.online() },
      t('quality.measures.import_button'),
    ),
  );
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

export async function newMeasureView(app, ctx) {
  const { unit, verksamhetId } = ctx;
  // On an enhet its manager defines the enhet's own measure (nivå 3); a manager of the
  // verksamhet may also define one for the whole verksamhet from here.
  const scopes = [];
  if (unit.kind === 'se_enhet' && app.isManager(unit.id)) scopes.push(unit.id);
  if (verksamhetId && app.isManager(verksamhetId)) scopes.push(verksamhetId);
  if (scopes.length === 0) return notFound();
  const byPosition = (a, b) => (a.position || 0) - (b.position || 0);
  const areas = [
    ...live(await app.store.where('quality_areas', 'unit_id', verksamhetId || '')).sort(byPosition),
    ...(unit.kind === 'se_enhet'
      ? live(await app.store.where('quality_areas', 'unit_id', unit.id)).sort(byPosition)
      : []),
  ];
  const scopeName = (id) => (app.units.get(id) || { name: '' }).name;
  const c = {
    scope: h(
      'select',
      { name: 'scope' },
      scopes.map((id) =>
        h(
          'option',
          { value: id },
          id === verksamhetId
            ? t('quality.measures.scope_verksamhet', { unit: scopeName(id) })
            : t('quality.measures.scope_local', { unit: scopeName(id) }),
        ),
      ),
    ),
    name: h('input', { name: 'name', maxlength: 300, required: true }),
    area_id: h(
      'select',
      { name: 'area_id' },
      h('option', { value: '' }, '–'),
      areas.map((a) => h('option', { value: a.id }, a.name)),
    ),
    kind: h(
      'select',
      { name: 'kind' },
      ['structure', 'process', 'result'].map((k) => h('option', { value: k }, t(`quality.kind.${k}`))),
    ),
    level: h(
      'select',
      { name: 'level' },
      [3, 2].map((n) => h('option', { value: String(n) }, t('quality.level', { n }))),
    ),
    aggregation: h(
      'select',
      { name: 'aggregation' },
      ['sum', 'mean', 'rate'].map((k) => h('option', { value: k }, t(`quality.rule.${k}`))),
    ),
    unit_of_measure: h('input', { name: 'unit_of_measure', maxlength: 50, value: 'antal' }),
    numerator_label: h('input', { name: 'numerator_label', maxlength: 200 }),
    denominator_label: h('input', { name: 'denominator_label', maxlength: 200 }),
    // What a structure measure counts (seed 003), and how its year is built from the tertials.
    resource: h(
      'select',
      { name: 'resource' },
      h('option', { value: '' }, '–'),
      RESOURCES.map((r) => h('option', { value: r }, t(`quality.resource.${r}`))),
    ),
    year_rule: h(
      'select',
      { name: 'year_rule' },
      h('option', { value: '' }, t('quality.year_rule.default')),
      YEAR_RULES.map((r) => h('option', { value: r }, t(`quality.year_rule.${r}`))),
    ),
  };
  const resourceField = field(t('quality.measures.resource'), c.resource);
  const fitKind = () => {
    resourceField.hidden = c.kind.value !== 'structure';
  };
  c.kind.addEventListener('change', fitKind);
  fitKind();
  // An enhet's own measure is nivå 3: reported by the enhet itself.
  const fitLevel = () => {
    const local = c.scope.value !== verksamhetId;
    if (local) c.level.value = '3';
    c.level.disabled = local;
  };
  c.scope.addEventListener('change', fitLevel);
  fitLevel();
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'measure-form', novalidate: true },
    field(t('quality.measures.scope'), c.scope),
    field(t('quality.measures.name'), c.name),
    field(t('quality.areas.name'), c.area_id),
    h(
      'div',
      { class: 'inline' },
      field(t('quality.measures.kind'), c.kind),
      field(t('quality.measures.level'), c.level),
      field(t('quality.measures.rule'), c.aggregation),
    ),
    field(t('quality.measures.unit_of_measure'), c.unit_of_measure),
    h('div', { class: 'inline' }, resourceField, field(t('quality.measures.year_rule'), c.year_rule)),
    h(
      'div',
      { class: 'inline' },
      field(t('quality.measures.numerator'), c.numerator_label),
      field(t('quality.measures.denominator'), c.denominator_label),
    ),
    error,
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'btn', href: `#/quality/${unit.id}/measures` }, t('item.cancel')),
      h('button', { type: 'submit', class: 'btn primary' }, t('quality.save')),
    ),
  );
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
    const row = {
      unit_id: c.scope.value,
      name: texts[0],
      area_id: c.area_id.value || null,
      kind: c.kind.value,
      level: Number(c.level.value),
      aggregation: c.aggregation.value,
      unit_of_measure: texts[1] || 'antal',
      numerator_label: rate ? texts[2] || null : null,
      denominator_label: rate ? texts[3] || null : null,
      active: true,
      resource: c.kind.value === 'structure' ? c.resource.value || null : null,
      year_rule: c.year_rule.value || null,
    };
    if (checkForm(form, 'quality_measures', row, { create: true })) return;
    await app.store.create('quality_measures', row);
    saved(app);
    app.navigate(`#/quality/${unit.id}/measures`);
  });
  return { title: t('quality.measures.new'), node: page(app, unit.id, 'measures', t('quality.measures.new'), form) };
}

export async function areaView(app, ctx, areaId) {
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
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'area-form', novalidate: true },
    Object.entries(c).map(([name, control]) => field(t(`quality.areas.${name}`), control)),
    error,
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'btn', href: `#/quality/${unit.id}` }, t('item.cancel')),
      h('button', { type: 'submit', class: 'btn primary' }, t('quality.save')),
    ),
  );
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
    if (checkForm(form, 'quality_areas', values, { existing: area })) return;
    await app.store.update('quality_areas', area.id, values);
    saved(app);
    app.navigate(`#/quality/${unit.id}`);
  });
  const title = `${t('quality.areas.edit')}: ${area.name}`;
  return { title, node: page(app, unit.id, 'areas', title, form) };
}

export function valueForm(app, measure, target, period, existing, onSaved) {
  const rate = measure.aggregation === 'rate';
  if (!app.canEdit(target.id)) {
    // Inspectors read the figure; only staff and managers enter it.
    const shown = existing ? formatFigure(existing.value, measure) : '–';
    return h('p', { class: 'inline value-form' }, h('span', { class: 'row-main' }, target.name), h('span', {}, shown));
  }
  const label = `${measure.name}, ${target.name}`;
  const num = (name, value, text) =>
    h('input', {
      type: 'number',
      step: 'any',
      min: rate ? 0 : null,
      name,
      value: value ?? '',
      inputmode: 'decimal',
      'aria-label': `${text}: ${label}`,
      'data-label': text,
    });
  const inputs = rate
    ? {
        numerator: num(
          'numerator',
          existing && existing.numerator,
          measure.numerator_label || t('quality.measures.numerator'),
        ),
        denominator: num(
          'denominator',
          existing && existing.denominator,
          measure.denominator_label || t('quality.measures.denominator'),
        ),
      }
    : { value: num('value', existing && existing.value, t('quality.measures.value')) };
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'inline value-form' },
    h('span', { class: 'row-main' }, target.name),
    // A visible word over each box (täljare and nämnare look alike otherwise); the aria-label
    // starts with the same word and adds which measure and enhet.
    Object.values(inputs).map((input) =>
      h('label', { class: 'value-input' }, h('span', {}, input.dataset.label), input),
    ),
    h('button', { type: 'submit', class: 'btn small' }, t('quality.save')),
    error,
  );
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
    else
      await app.store.create('measure_values', { id, measure_id: measure.id, unit_id: target.id, period, ...fields });
    saved(app);
    await onSaved();
  });
  return form;
}
