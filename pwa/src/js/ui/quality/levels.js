/**
 * The follow-up levels of seed 003 beside the individual one (#/quality/<unit>/levels[/<id>]):
 *
 *   uppdrags-/avtalsuppföljning  of a unit's uppdrag or avtal, or of an utförare it commissions
 *                                (private ones too): requirements, method, who, when, result, and
 *                                the deviations found, each with the action required and the
 *                                handlingsplan rows that carry it
 *   tematisk uppföljning         one theme across the units in scope: its question, each unit's
 *                                result (a unit answers for itself; others in scope never see it)
 *                                and a summary
 *   sammanvägd bedömning         per year, for a verksamhet's area, beside the figures of each
 *                                level it is drawn from (levels_model.js, so it works offline)
 *
 * Everything reads and writes the local store; the server holds it to the same rules on sync.
 */
import { t, formatDate } from '../../i18n.js';
import { checkForm } from '../field_errors.js';
import { h, field } from '../dom.js';
import { byName, currentYear, live, page, periodForm, saved } from './common.js';
import { linkForm, linkList, swedishItems } from './links.js';
import {
  OUTCOMES,
  PROVIDER_KINDS,
  SUBJECT_KINDS,
  assessmentBasis,
  overallAssessmentId,
  thematicResultId,
  unitsBelow,
} from './levels_model.js';

const L = (key, params) => t(`quality.levels.${key}`, params);

export async function levelsView(app, ctx, rest) {
  if (rest) {
    const followUp = await app.store.get('assignment_follow_ups', rest);
    if (followUp && !followUp.deleted) return assignmentView(app, ctx, followUp);
    const theme = await app.store.get('thematic_follow_ups', rest);
    if (theme && !theme.deleted) return themeView(app, ctx, theme);
  }
  const { unit, unitIds, verksamhetId } = ctx;
  const area = unitsBelow(app.units, unit.id);
  const followUps = live(await app.store.all('assignment_follow_ups'))
    .filter((f) => area.has(f.unit_id))
    .sort((a, b) => String(b.done_on || b.planned_on || '').localeCompare(String(a.done_on || a.planned_on || '')));
  const deviations = live(await app.store.all('follow_up_deviations'));
  // An enhet sees the themes it is in; a verksamhet all of its own.
  const themes = live(await app.store.all('thematic_follow_ups')).filter((th) =>
    unit.kind === 'se_verksamhet'
      ? area.has(th.unit_id)
      : th.unit_id === verksamhetId && (th.scope_unit_ids || []).includes(unit.id),
  );
  const manager = app.isManager(unit.id);
  return {
    title: L('title'),
    live: !manager,
    node: page(
      app,
      unit.id,
      'levels',
      L('title'),
      h('p', { class: 'hint' }, L('intro')),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'q-assignments' },
        h('h2', { id: 'q-assignments' }, L('assignment.title')),
        h('p', { class: 'hint' }, L('assignment.hint')),
        followUps.length
          ? h(
              'ul',
              { class: 'list', 'data-testid': 'assignment-list' },
              followUps.map((f) =>
                h(
                  'li',
                  { class: 'row', 'data-follow-up': f.subject },
                  h('a', { class: 'row-main', href: `#/quality/${unit.id}/levels/${f.id}` }, f.subject),
                  h('span', { class: 'muted' }, providerText(app, f)),
                  h('span', { class: 'muted' }, whenText(f)),
                  f.outcome ? h('span', { class: 'state' }, L(`outcome.${f.outcome}`)) : null,
                  h(
                    'span',
                    { class: 'muted' },
                    L('deviation.count', { n: deviations.filter((d) => d.follow_up_id === f.id).length }),
                  ),
                ),
              ),
            )
          : h('p', {}, L('assignment.none')),
        manager ? assignmentForm(app, [unit, ...ctx.enheter.filter((e) => e.id !== unit.id)]) : null,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'q-themes' },
        h('h2', { id: 'q-themes' }, L('theme.title')),
        h('p', { class: 'hint' }, L('theme.hint')),
        themes.length
          ? h(
              'ul',
              { class: 'list', 'data-testid': 'theme-list' },
              themes.map((th) =>
                h(
                  'li',
                  { class: 'row', 'data-theme': th.theme },
                  h('a', { class: 'row-main', href: `#/quality/${unit.id}/levels/${th.id}` }, th.theme),
                  h('span', { class: 'muted' }, th.question),
                  h('span', { class: 'muted' }, L('theme.scope_count', { n: (th.scope_unit_ids || []).length })),
                  h('span', { class: 'muted' }, whenText(th)),
                ),
              ),
            )
          : h('p', {}, L('theme.none')),
        manager && unit.kind === 'se_verksamhet' ? themeForm(app, unit, scopeChoices(app, unit)) : null,
      ),
      unit.kind === 'se_verksamhet' ? await assessmentSection(app, unit, area, unitIds) : null,
    ),
  };
}

function providerText(app, f) {
  const kind = L(`provider_kind.${f.provider_kind || 'own'}`);
  const name = f.provider_name || (app.units.get(f.unit_id) || {}).name || '';
  return `${L(`subject_kind.${f.subject_kind || 'assignment'}`)}, ${name} (${kind})`;
}

function whenText(row) {
  if (row.done_on) return `${L('done_on')}: ${formatDate(row.done_on)}`;
  if (row.planned_on) return `${L('planned_on')}: ${formatDate(row.planned_on)}`;
  return L('not_planned');
}

function scopeChoices(app, unit) {
  return [...unitsBelow(app.units, unit.id)]
    .filter((id) => id !== unit.id)
    .map((id) => app.units.get(id))
    .filter(Boolean)
    .sort(byName);
}

function select(name, values, prefix, current, empty) {
  return h(
    'select',
    { name },
    empty ? h('option', { value: '' }, empty) : null,
    values.map((v) => h('option', { value: v, selected: v === current }, L(`${prefix}.${v}`))),
  );
}

const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', ...attrs });
const area = (name, value, rows = 3) => h('textarea', { name, rows }, value ?? '');
const text = (control) => control.value.trim() || null;

/** Save `row` into `table` (a new row, or changes to `existing`) once the device's rules pass. */
async function save(app, form, table, row, existing) {
  if (checkForm(form, table, row, { create: !existing })) return false;
  if (existing) await app.store.update(table, existing.id, row);
  else await app.store.create(table, row);
  saved(app);
  app.navigate(location.hash);
  return true;
}

// ---- uppdrags-/avtalsuppföljning -------------------------------------------------------------

function assignmentFields(units, f = {}) {
  const c = {
    unit_id: h(
      'select',
      { name: 'unit_id', disabled: Boolean(f.id) },
      units.map((u) => h('option', { value: u.id, selected: u.id === f.unit_id }, u.name)),
    ),
    subject_kind: select('subject_kind', SUBJECT_KINDS, 'subject_kind', f.subject_kind || 'assignment'),
    subject: input('subject', f.subject, { maxlength: 200, required: true }),
    provider_kind: select('provider_kind', PROVIDER_KINDS, 'provider_kind', f.provider_kind || 'own'),
    provider_name: input('provider_name', f.provider_name, { maxlength: 200 }),
    requirements: area('requirements', f.requirements),
    method: area('method', f.method),
    responsible_name: input('responsible_name', f.responsible_name, { maxlength: 200 }),
    planned_on: input('planned_on', f.planned_on, { type: 'date' }),
  };
  const nodes = [
    units.length > 1 ? field(L('unit'), c.unit_id, L('unit_hint')) : null,
    field(L('subject_kind_label'), c.subject_kind),
    field(L('subject'), c.subject),
    h(
      'div',
      { class: 'inline' },
      field(L('provider_kind_label'), c.provider_kind),
      field(L('provider_name'), c.provider_name, L('provider_name_hint')),
    ),
    field(L('requirements'), c.requirements),
    field(L('method'), c.method),
    h('div', { class: 'inline' }, field(L('responsible'), c.responsible_name), field(L('planned_on'), c.planned_on)),
  ];
  const values = () => ({
    unit_id: c.unit_id.value,
    subject_kind: c.subject_kind.value,
    subject: c.subject.value.trim(),
    provider_kind: c.provider_kind.value,
    provider_name: text(c.provider_name),
    requirements: text(c.requirements),
    method: text(c.method),
    responsible_name: text(c.responsible_name),
    planned_on: c.planned_on.value || null,
  });
  return { nodes, values };
}

function assignmentForm(app, units) {
  const { nodes, values } = assignmentFields(units);
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'assignment-form', novalidate: true },
    h('h3', {}, L('assignment.new')),
    ...nodes,
    h('button', { type: 'submit', class: 'btn primary' }, L('assignment.add')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    await save(app, form, 'assignment_follow_ups', values());
  });
  return form;
}

async function assignmentView(app, ctx, f) {
  const { unit } = ctx;
  const manager = app.isManager(f.unit_id);
  const deviations = live(await app.store.where('follow_up_deviations', 'follow_up_id', f.id));
  const links = live(await app.store.all('quality_links'));
  const items = await swedishItems(app, unitsBelow(app.units, unit.id));
  const target = app.units.get(f.unit_id);
  let editor = null;
  if (manager) {
    const { nodes, values } = assignmentFields(target ? [target] : [], f);
    const done = input('done_on', f.done_on, { type: 'date' });
    const result = area('result', f.result, 4);
    const outcome = select('outcome', OUTCOMES, 'outcome', f.outcome, L('outcome_none'));
    editor = h(
      'form',
      { class: 'card', 'data-testid': 'assignment-edit', novalidate: true },
      ...nodes,
      h('div', { class: 'inline' }, field(L('done_on'), done), field(L('outcome_label'), outcome, L('outcome_hint'))),
      field(L('result'), result),
      h('button', { type: 'submit', class: 'btn primary' }, L('save')),
    );
    editor.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      // The unit is fixed once the follow-up exists.
      const changes = values();
      delete changes.unit_id;
      await save(
        app,
        editor,
        'assignment_follow_ups',
        { ...changes, done_on: done.value || null, result: text(result), outcome: outcome.value || null },
        f,
      );
    });
  }
  return {
    title: f.subject,
    live: !manager,
    node: page(
      app,
      unit.id,
      'levels',
      f.subject,
      h('p', {}, h('a', { href: `#/quality/${unit.id}/levels` }, `← ${L('title')}`)),
      h(
        'dl',
        { class: 'card', 'data-testid': 'assignment-summary' },
        h('dt', {}, L('provider')),
        h('dd', {}, providerText(app, f)),
        h('dt', {}, L('when')),
        h('dd', {}, whenText(f)),
        f.outcome ? [h('dt', {}, L('outcome_label')), h('dd', {}, L(`outcome.${f.outcome}`))] : null,
        f.result ? [h('dt', {}, L('result')), h('dd', {}, f.result)] : null,
      ),
      editor,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'q-deviations' },
        h('h2', { id: 'q-deviations' }, L('deviation.title')),
        deviations.length
          ? h(
              'ul',
              { class: 'list', 'data-testid': 'deviation-list' },
              deviations.map((d) =>
                h(
                  'li',
                  { class: 'row', 'data-deviation': d.description },
                  h('span', { class: 'row-main' }, d.description),
                  d.requirement
                    ? h('span', { class: 'muted' }, `${L('deviation.requirement')}: ${d.requirement}`)
                    : null,
                  d.action_required
                    ? h('span', { class: 'muted' }, `${L('deviation.action')}: ${d.action_required}`)
                    : null,
                  d.due_date ? h('span', { class: 'muted' }, `${L('deviation.due')}: ${formatDate(d.due_date)}`) : null,
                  linkList(
                    links.filter((l) => l.source_id === d.id),
                    items,
                  ),
                  app.canEdit(unit.id) && items.length
                    ? linkForm(app, 'follow_up_deviations', d.id, d.description, items, links)
                    : null,
                ),
              ),
            )
          : h('p', {}, L('deviation.none')),
        manager ? deviationForm(app, f) : null,
      ),
    ),
  };
}

function deviationForm(app, f) {
  const description = area('description', '', 2);
  description.required = true;
  const requirement = area('requirement', '', 2);
  const action = area('action_required', '', 2);
  const due = input('due_date', '', { type: 'date' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'deviation-form', novalidate: true },
    h('h3', {}, L('deviation.new')),
    field(L('deviation.description'), description),
    field(L('deviation.requirement'), requirement),
    field(L('deviation.action'), action, L('deviation.action_hint')),
    field(L('deviation.due'), due),
    h('button', { type: 'submit', class: 'btn primary' }, L('deviation.add')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    await save(app, form, 'follow_up_deviations', {
      follow_up_id: f.id,
      unit_id: f.unit_id,
      description: description.value.trim(),
      requirement: text(requirement),
      action_required: text(action),
      due_date: due.value || null,
    });
  });
  return form;
}

// ---- tematisk uppföljning ---------------------------------------------------------------------

function themeFields(choices, th = {}) {
  const c = {
    theme: input('theme', th.theme, { maxlength: 200, required: true }),
    question: area('question', th.question, 2),
    method: area('method', th.method, 2),
    responsible_name: input('responsible_name', th.responsible_name, { maxlength: 200 }),
    planned_on: input('planned_on', th.planned_on, { type: 'date' }),
  };
  c.question.required = true;
  const inScope = new Set(th.scope_unit_ids || []);
  const boxes = choices.map((u) => h('input', { type: 'checkbox', value: u.id, checked: inScope.has(u.id) }));
  const nodes = [
    field(L('theme.theme'), c.theme, L('theme.theme_hint')),
    field(L('theme.question'), c.question),
    field(L('method'), c.method),
    h(
      'fieldset',
      { class: 'field', 'data-testid': 'theme-scope' },
      h('legend', {}, L('theme.scope')),
      choices.length
        ? choices.map((u, i) => h('label', { class: 'inline' }, boxes[i], ` ${u.name}`))
        : h('p', { class: 'hint' }, L('theme.no_units')),
    ),
    h('div', { class: 'inline' }, field(L('responsible'), c.responsible_name), field(L('planned_on'), c.planned_on)),
  ];
  const values = () => ({
    theme: c.theme.value.trim(),
    question: c.question.value.trim(),
    method: text(c.method),
    responsible_name: text(c.responsible_name),
    planned_on: c.planned_on.value || null,
    // Units in scope this device cannot show stay in scope.
    scope_unit_ids: [
      ...[...inScope].filter((id) => !choices.some((u) => u.id === id)),
      ...boxes.filter((b) => b.checked).map((b) => b.value),
    ],
  });
  return { nodes, values };
}

function themeForm(app, unit, choices) {
  const { nodes, values } = themeFields(choices);
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'theme-form', novalidate: true },
    h('h3', {}, L('theme.new')),
    ...nodes,
    h('button', { type: 'submit', class: 'btn primary' }, L('theme.add')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    await save(app, form, 'thematic_follow_ups', { unit_id: unit.id, ...values() });
  });
  return form;
}

async function themeView(app, ctx, th) {
  const { unit } = ctx;
  const manager = app.isManager(th.unit_id);
  const results = live(await app.store.all('thematic_results')).filter((r) => r.follow_up_id === th.id);
  const links = live(await app.store.all('quality_links'));
  // Each unit in scope this device holds; a unit's result only reaches its own readers.
  const scope = (th.scope_unit_ids || [])
    .map((id) => app.units.get(id))
    .filter(Boolean)
    .sort(byName);
  const rows = [];
  for (const u of scope) {
    const result = results.find((r) => r.unit_id === u.id) || null;
    const items = app.canEdit(u.id) ? await swedishItems(app, new Set([u.id])) : [];
    rows.push({ u, result, items });
  }
  let editor = null;
  if (manager) {
    const { nodes, values } = themeFields(scopeChoices(app, app.units.get(th.unit_id) || unit), th);
    const done = input('done_on', th.done_on, { type: 'date' });
    const summary = area('summary', th.summary, 4);
    editor = h(
      'form',
      { class: 'card', 'data-testid': 'theme-edit', novalidate: true },
      ...nodes,
      field(L('done_on'), done),
      field(L('theme.summary'), summary, L('theme.summary_hint')),
      h('button', { type: 'submit', class: 'btn primary' }, L('save')),
    );
    editor.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      await save(
        app,
        editor,
        'thematic_follow_ups',
        { ...values(), done_on: done.value || null, summary: text(summary) },
        th,
      );
    });
  }
  return {
    title: th.theme,
    live: !manager && !rows.some((r) => app.canEdit(r.u.id)),
    node: page(
      app,
      unit.id,
      'levels',
      `${L('theme.title')}: ${th.theme}`,
      h('p', {}, h('a', { href: `#/quality/${unit.id}/levels` }, `← ${L('title')}`)),
      h(
        'dl',
        { class: 'card', 'data-testid': 'theme-summary' },
        h('dt', {}, L('theme.question')),
        h('dd', {}, th.question),
        th.method ? [h('dt', {}, L('method')), h('dd', {}, th.method)] : null,
        h('dt', {}, L('when')),
        h('dd', {}, whenText(th)),
        th.summary ? [h('dt', {}, L('theme.summary')), h('dd', {}, th.summary)] : null,
      ),
      editor,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'q-results' },
        h('h2', { id: 'q-results' }, L('theme.results')),
        h('p', { class: 'hint' }, L('theme.results_hint')),
        rows.length
          ? h(
              'ul',
              { class: 'list', 'data-testid': 'result-list' },
              rows.map(({ u, result, items }) =>
                h(
                  'li',
                  { class: 'row', 'data-unit': u.name },
                  h('span', { class: 'row-main' }, u.name),
                  result && result.outcome
                    ? h('span', { class: 'state' }, L(`outcome.${result.outcome}`))
                    : h('span', { class: 'muted' }, L('theme.no_result')),
                  result && result.result ? h('span', { class: 'muted' }, result.result) : null,
                  result
                    ? linkList(
                        links.filter((l) => l.source_id === result.id),
                        items,
                      )
                    : null,
                  app.canEdit(u.id) ? resultForm(app, th, u, result) : null,
                  app.canEdit(u.id) && result && items.length
                    ? linkForm(app, 'thematic_results', result.id, u.name, items, links)
                    : null,
                ),
              ),
            )
          : h('p', {}, L('theme.no_units')),
      ),
    ),
  };
}

function resultForm(app, th, u, result) {
  const outcome = select('outcome', OUTCOMES, 'outcome', result && result.outcome, L('outcome_none'));
  outcome.setAttribute('aria-label', `${L('outcome_label')}: ${u.name}`);
  const answer = area('result', result && result.result, 3);
  answer.setAttribute('aria-label', `${L('result')}: ${u.name}`);
  const assessed = input('assessed_on', result && result.assessed_on, { type: 'date' });
  assessed.setAttribute('aria-label', `${L('theme.assessed_on')}: ${u.name}`);
  const form = h(
    'form',
    { class: 'inline', 'data-testid': 'result-form', novalidate: true },
    outcome,
    answer,
    assessed,
    h('button', { type: 'submit', class: 'btn small' }, L('save')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fields = { outcome: outcome.value || null, result: text(answer), assessed_on: assessed.value || null };
    if (result) {
      await save(app, form, 'thematic_results', fields, result);
      return;
    }
    const id = await thematicResultId(th.id, u.id);
    await save(app, form, 'thematic_results', { id, follow_up_id: th.id, unit_id: u.id, ...fields });
  });
  return form;
}

// ---- sammanvägd bedömning -------------------------------------------------------------------

async function assessmentSection(app, unit, areaIds, unitIds) {
  const state = app.qualityPeriod || (app.qualityPeriod = { year: currentYear(), tertial: '1' });
  const year = Number(state.year);
  const yearInput = h('input', { type: 'number', min: 2000, max: 2100, value: year, name: 'year' });
  yearInput.addEventListener('change', () => {
    state.year = Number(yearInput.value);
    app.navigate(location.hash);
  });
  const [cases, followUps, deviations, links, themes, results] = await Promise.all(
    [
      'case_records',
      'assignment_follow_ups',
      'follow_up_deviations',
      'quality_links',
      'thematic_follow_ups',
      'thematic_results',
    ].map((table) => app.store.all(table)),
  );
  const ids = new Set([...areaIds, ...unitIds]);
  const basis = assessmentBasis({
    year,
    unitIds: ids,
    ownerIds: ids,
    cases,
    followUps,
    deviations,
    links,
    themes,
    results,
  });
  const id = await overallAssessmentId(unit.id, year);
  const current = await app.store.get('overall_assessments', id);
  const existing = current && !current.deleted ? current : null;
  const manager = app.isManager(unit.id);
  const outcomes = (counts) =>
    OUTCOMES.filter((o) => counts[o])
      .map((o) => `${L(`outcome.${o}`)}: ${counts[o]}`)
      .join(', ') || '–';
  const figures = h(
    'table',
    { class: 'quality-table', 'data-testid': 'assessment-basis' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, L('level')), h('th', { scope: 'col' }, L('basis')))),
    h(
      'tbody',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, L('assessment.individual')),
        h(
          'td',
          {},
          L('assessment.individual_figures', {
            cases: basis.individual.cases,
            ended: basis.individual.ended,
            planned: basis.individual.by_end_reason.planned || 0,
          }),
        ),
      ),
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, L('assessment.assignment')),
        h(
          'td',
          {},
          L('assessment.assignment_figures', {
            n: basis.assignment.follow_ups,
            done: basis.assignment.done,
            deviations: basis.assignment.deviations,
            answered: basis.assignment.deviations_with_action,
          }),
          ` ${outcomes(basis.assignment.by_outcome)}`,
        ),
      ),
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, L('assessment.thematic')),
        h(
          'td',
          {},
          L('assessment.thematic_figures', { n: basis.thematic.follow_ups, done: basis.thematic.done }),
          basis.thematic.themes.map((th) =>
            // A block of its own (a div: the CSP allows no style attribute).
            h(
              'div',
              { class: 'muted' },
              `${th.theme}: ${L('assessment.answered', { answered: th.answered, units: th.units })}; ${outcomes(th.by_outcome)}`,
            ),
          ),
        ),
      ),
    ),
  );
  const texts = {
    individual_level: area('individual_level', existing && existing.individual_level),
    assignment_level: area('assignment_level', existing && existing.assignment_level),
    thematic_level: area('thematic_level', existing && existing.thematic_level),
    overall: area('overall', existing && existing.overall, 5),
  };
  const outcome = select('outcome', OUTCOMES, 'outcome', existing && existing.outcome, L('outcome_none'));
  const assessed = input('assessed_on', existing && existing.assessed_on, { type: 'date' });
  for (const c of [...Object.values(texts), outcome, assessed]) if (!manager) c.disabled = true;
  const form = h(
    'form',
    { 'data-testid': 'assessment-form', novalidate: true },
    field(L('assessment.individual'), texts.individual_level),
    field(L('assessment.assignment'), texts.assignment_level),
    field(L('assessment.thematic'), texts.thematic_level),
    field(L('assessment.overall'), texts.overall, L('assessment.overall_hint')),
    h('div', { class: 'inline' }, field(L('outcome_label'), outcome), field(L('assessment.assessed_on'), assessed)),
    manager ? h('button', { type: 'submit', class: 'btn primary' }, L('assessment.save')) : null,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fields = {
      ...Object.fromEntries(Object.entries(texts).map(([k, c]) => [k, text(c)])),
      outcome: outcome.value || null,
      assessed_on: assessed.value || null,
    };
    if (existing) await save(app, form, 'overall_assessments', fields, existing);
    else await save(app, form, 'overall_assessments', { id, unit_id: unit.id, year, ...fields });
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'q-assessment' },
    h('h2', { id: 'q-assessment' }, L('assessment.title')),
    h('p', { class: 'hint' }, L('assessment.hint')),
    periodForm(field(t('quality.year'), yearInput)),
    // Scrolls on its own on a phone rather than widening the page (focusable, so a keyboard can scroll it).
    h('div', { class: 'table-wrap', tabindex: '0' }, figures),
    form,
  );
}
