/**
 * Egenkontroll with checklists (seed 003: "exv loggkontroller, dokumentation, brandskydd, basal
 * hygien"): the checklists of the unit and its verksamhet, the runs made with them, and a run
 * screen where each point is answered (uppfyllt / avvikelse / ej aktuellt). A deviation becomes
 * an avvikelse in the register, a handlingsplan item, or both. All in the local store, so a run
 * can be made offline; only adding the default checklists asks the server.
 *
 * An answer's id is derived from the run and the point (quality_model.js `checklistAnswerId`), so
 * two tablets answering the same point meet in one row.
 */
import { t, formatDate } from '../../i18n.js';
import { checkForm } from '../field_errors.js';
import { announce, h, field } from '../dom.js';
import { today } from '../units.js';
import { checklistAnswerId, containsIdentityNumber, editedPoints } from '../quality_model.js';
import { errorText, live, page, saved } from './common.js';
import { linkList, swedishItems } from './links.js';
import { CHECKLIST_AREAS, CHECK_ANSWERS, defaultsMissing, runUnits } from './selfinspection_model.js';

/** The checklists a unit may run: its own and its verksamhet's, active ones first, by name. */
async function checklistsFor(app, ctx) {
  const owners = new Set([ctx.verksamhetId, ...ctx.unitIds]);
  return live(await app.store.all('checklists'))
    .filter((c) => owners.has(c.unit_id))
    .sort((a, b) => Number(b.active !== false) - Number(a.active !== false) || String(a.name).localeCompare(b.name));
}

export async function selfInspectionView(app, ctx, rest) {
  if (rest) return runView(app, ctx, rest);
  const { unit, unitIds } = ctx;
  const checklists = await checklistsFor(app, ctx);
  const byId = new Map(checklists.map((c) => [c.id, c]));
  const runs = live(await app.store.all('checklist_runs'))
    .filter((r) => unitIds.has(r.unit_id))
    .sort((a, b) => String(b.run_on).localeCompare(String(a.run_on)));
  const answers = live(await app.store.all('checklist_answers'));
  const targetUnits = runUnits(ctx, (id) => app.canEdit(id));
  const manager = app.isManager(unit.id);
  const atVerksamhet = unit.kind === 'se_verksamhet' && ctx.enheter.length > 0;
  const status = h('p', { class: 'error', role: 'alert' });
  return {
    title: t('quality.selfinspection.title'),
    live: !targetUnits.length,
    node: page(
      app,
      unit.id,
      'selfinspection',
      t('quality.selfinspection.title'),
      h('p', { class: 'hint' }, t('quality.selfinspection.hint')),
      atVerksamhet
        ? h('p', { class: 'muted', 'data-testid': 'level-hint' }, t('quality.selfinspection.level_hint'))
        : null,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'q-checklists' },
        h('h2', { id: 'q-checklists' }, t('quality.selfinspection.checklists')),
        checklists.length === 0
          ? h('p', {}, t('quality.selfinspection.no_checklists'))
          : h(
              'ul',
              { class: 'list', 'data-testid': 'checklists' },
              checklists.map((c) =>
                h(
                  'li',
                  { class: 'row', 'data-checklist': c.name },
                  h('span', { class: 'row-main' }, c.name),
                  h(
                    'span',
                    { class: 'state' },
                    t(`quality.selfinspection.area.${c.area}`),
                    c.active === false ? ` (${t('quality.selfinspection.inactive')})` : '',
                  ),
                  h('span', { class: 'muted' }, t('quality.selfinspection.points', { n: c.points.length })),
                  c.active !== false && targetUnits.length ? startRun(app, ctx, c, targetUnits) : null,
                  app.isManager(c.unit_id) ? editChecklist(app, c) : null,
                ),
              ),
            ),
        manager && !defaultsMissing(checklists, unit)
          ? h('p', { class: 'muted', 'data-testid': 'defaults-present' }, t('quality.selfinspection.defaults_present'))
          : null,
        manager && defaultsMissing(checklists, unit)
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn',
                'data-online-only': true,
                disabled: !app.online(),
                onclick: async () => {
                  status.textContent = '';
                  try {
                    await app.api.qualityChecklistDefaults(unit.id);
                    announce(t('quality.selfinspection.defaults_added'));
                    await app.sync.run('checklists');
                    // Show the lists added, unless a checklist is being typed on this screen
                    // (then they show with its save).
                    if (!document.querySelector('#main form[data-draft="typed"]')) app.navigate(location.hash);
                  } catch (err) {
                    status.textContent = errorText(err);
                  }
                },
              },
              t('quality.selfinspection.add_defaults'),
            )
          : null,
        status,
        manager ? checklistForm(app, unit) : null,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'q-runs' },
        h('h2', { id: 'q-runs' }, t('quality.selfinspection.runs')),
        runs.length === 0
          ? h('p', {}, t('quality.selfinspection.no_runs'))
          : h(
              'ul',
              { class: 'list', 'data-testid': 'runs' },
              runs.map((r) => {
                const given = answers.filter((a) => a.run_id === r.id);
                const list = byId.get(r.checklist_id);
                return h(
                  'li',
                  { class: 'row' },
                  h(
                    'a',
                    { class: 'row-main', href: `#/quality/${unit.id}/selfinspection/${r.id}` },
                    `${list ? list.name : '…'} ${formatDate(r.run_on)}`,
                  ),
                  // On the verksamhet the runs of all its enheter are listed: which one it was.
                  atVerksamhet ? h('span', { class: 'muted' }, app.units.get(r.unit_id)?.name || '') : null,
                  h('span', { class: 'state' }, t(`quality.selfinspection.state.${r.state || 'in_progress'}`)),
                  h(
                    'span',
                    { class: 'muted' },
                    t('quality.selfinspection.deviations', {
                      n: given.filter((a) => a.answer === 'deviation').length,
                    }),
                  ),
                );
              }),
            ),
      ),
    ),
  };
}

/**
 * Start an egenkontroll with a checklist, on the enhet chosen (none is preselected: on a
 * verksamhet the user says which enhet it was done on). One unit: that unit, named if it is not
 * the screen's own.
 */
function startRun(app, ctx, checklist, units) {
  const unitSelect = h(
    'select',
    { 'aria-label': `${t('quality.unit')}: ${checklist.name}`, required: true },
    h('option', { value: '', selected: true, disabled: true }, t('quality.selfinspection.choose_unit')),
    units.map((u) => h('option', { value: u.id }, u.name)),
  );
  const error = h('span', { class: 'error', role: 'alert' });
  unitSelect.addEventListener('change', () => {
    error.textContent = '';
  });
  return h(
    'span',
    { class: 'inline' },
    units.length > 1 ? unitSelect : null,
    units.length === 1 && units[0].id !== ctx.unit.id ? h('span', { class: 'muted' }, units[0].name) : null,
    h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        'aria-label': `${t('quality.selfinspection.start')}: ${checklist.name}`,
        onclick: async () => {
          if (units.length > 1 && !unitSelect.value) {
            error.textContent = t('quality.selfinspection.need_unit');
            unitSelect.focus();
            return;
          }
          const run = await app.store.create('checklist_runs', {
            unit_id: units.length > 1 ? unitSelect.value : units[0].id,
            checklist_id: checklist.id,
            run_on: today(),
            performed_by: app.user ? app.user.name : null,
            state: 'in_progress',
            summary: null,
          });
          saved(app);
          app.navigate(`#/quality/${ctx.unit.id}/selfinspection/${run.id}`);
        },
      },
      t('quality.selfinspection.start'),
    ),
    error,
  );
}

/** A checklist of the manager's own: its points one a line. */
function checklistForm(app, unit) {
  const name = h('input', { name: 'name', maxlength: 200, required: true });
  const area = h(
    'select',
    { name: 'area' },
    CHECKLIST_AREAS.map((a) => h('option', { value: a }, t(`quality.selfinspection.area.${a}`))),
  );
  const points = h('textarea', { name: 'points', rows: 5 });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'inline-form', 'data-testid': 'checklist-form', 'data-draft': 'empty', novalidate: true },
    h('h3', {}, t('quality.selfinspection.new_checklist')),
    field(t('quality.selfinspection.name'), name),
    field(t('quality.selfinspection.area_label'), area),
    field(t('quality.selfinspection.points_label'), points, t('quality.selfinspection.points_hint')),
    error,
    h('button', { type: 'submit', class: 'btn' }, t('quality.selfinspection.save_checklist')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const lines = points.value
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (!name.value.trim() || !lines.length) {
      error.textContent = `${t(name.value.trim() ? 'quality.selfinspection.points_label' : 'quality.selfinspection.name')}: ?`;
      return;
    }
    if ([name.value, ...lines].some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    const row = {
      unit_id: unit.id,
      area: area.value,
      name: name.value.trim(),
      points: lines.map((text) => ({ id: globalThis.crypto.randomUUID(), text })),
      active: true,
    };
    // The server's rules (sync/rules.json): at most 100 points of at most 500 characters.
    if (checkForm(form, 'checklists', row, { create: true })) return;
    form.dataset.draft = 'empty'; // stored: its redraw may draw the form anew
    await app.store.create('checklists', row);
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}

/** A manager edits a checklist: its name, its points (one a line) and whether it is in use. */
function editChecklist(app, checklist) {
  const name = h('input', { name: 'name', maxlength: 200, value: checklist.name });
  const points = h(
    'textarea',
    { name: 'points', rows: Math.min(12, checklist.points.length + 1) },
    checklist.points.map((p) => p.text).join('\n'),
  );
  const active = h('input', { type: 'checkbox', name: 'active', checked: checklist.active !== false });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'inline-form', 'data-testid': 'checklist-edit', 'data-draft': 'empty', novalidate: true },
    field(t('quality.selfinspection.name'), name),
    field(t('quality.selfinspection.points_label'), points, t('quality.selfinspection.points_hint')),
    h('label', { class: 'check' }, active, ` ${t('quality.selfinspection.active')}`),
    error,
    h('button', { type: 'submit', class: 'btn small' }, t('quality.selfinspection.save_checklist')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const lines = points.value
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if ([name.value, ...lines].some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    const changes = {
      name: name.value.trim(),
      points: editedPoints(checklist.points, lines, () => globalThis.crypto.randomUUID()),
      active: active.checked,
    };
    if (checkForm(form, 'checklists', { ...checklist, ...changes })) return;
    form.dataset.draft = 'empty'; // stored: its redraw may draw the form anew
    await app.store.update('checklists', checklist.id, changes);
    saved(app);
    app.navigate(location.hash);
  });
  return h(
    'details',
    {},
    h(
      'summary',
      { 'aria-label': `${t('quality.selfinspection.edit')}: ${checklist.name}` },
      t('quality.selfinspection.edit'),
    ),
    form,
  );
}

// ---- one run ------------------------------------------------------------------------------

async function runView(app, ctx, runId) {
  const { unit } = ctx;
  const run = await app.store.get('checklist_runs', runId);
  if (!run || run.deleted || !ctx.unitIds.has(run.unit_id)) {
    return {
      title: t('quality.selfinspection.title'),
      node: page(
        app,
        unit.id,
        'selfinspection',
        t('quality.selfinspection.title'),
        h('p', {}, t('quality.selfinspection.no_run')),
      ),
    };
  }
  const checklist = await app.store.get('checklists', run.checklist_id);
  const answers = new Map(
    live(await app.store.where('checklist_answers', 'run_id', run.id)).map((a) => [a.point_id, a]),
  );
  const links = live(await app.store.all('quality_links'));
  const items = await swedishItems(app, new Set([run.unit_id]));
  const plans = live(await app.store.all('plans')).filter(
    (p) => p.kind === 'se_handlingsplan' && p.unit_id === run.unit_id && p.state !== 'archived',
  );
  const entries = live(await app.store.all('register_entries'));
  const canWrite = app.canEdit(run.unit_id);
  const title = `${checklist ? checklist.name : t('quality.selfinspection.title')} ${formatDate(run.run_on)}`;
  const points = checklist ? checklist.points : [];
  // Points answered once but since taken off the checklist keep their answers, with the text they had.
  const gone = [...answers.values()].filter((a) => !points.some((p) => p.id === a.point_id));
  const rows = [
    ...points.map((p) => ({ point: p, answer: answers.get(p.id) })),
    ...gone.map((a) => ({ point: { id: a.point_id, text: a.point_text }, answer: a })),
  ];
  const unitName = app.units.get(run.unit_id)?.name || '';
  return {
    title,
    live: !canWrite,
    node: page(
      app,
      unit.id,
      'selfinspection',
      title,
      h(
        'p',
        { class: 'muted' },
        [unitName, run.performed_by, t(`quality.selfinspection.state.${run.state || 'in_progress'}`)]
          .filter(Boolean)
          .join(' · '),
      ),
      h(
        'ol',
        { class: 'list checklist', 'data-testid': 'run-points' },
        rows.map(({ point, answer }) =>
          pointRow(app, { run, checklist, point, answer, canWrite, links, items, plans, entries }),
        ),
      ),
      canWrite ? finishForm(app, run, answers.size, points.length) : null,
    ),
  };
}

/**
 * Redraw the run after an answer or a note was stored. Focus goes back to the control in use
 * (else to `fallback`), not to the heading: that would scroll a phone to the top after every
 * answer. A note being typed (focused, changed since drawn) is not redrawn under the user's
 * fingers: its own change event redraws once it is stored.
 */
function redrawRun(app, fallback) {
  const active = document.activeElement;
  if (active instanceof HTMLTextAreaElement && active.value !== active.defaultValue) return;
  app.landOn = focusSelector(active) || fallback;
  app.navigate(location.hash);
}

function focusSelector(el) {
  if (!(el instanceof HTMLElement) || !el.closest('#main')) return null;
  if (el instanceof HTMLInputElement && el.type === 'radio' && el.name) {
    return `input[name="${CSS.escape(el.name)}"][value="${CSS.escape(el.value)}"]`;
  }
  const point = el.closest('li[data-point]');
  if (el instanceof HTMLTextAreaElement && point) {
    return `li[data-point="${CSS.escape(point.getAttribute('data-point') || '')}"] textarea`;
  }
  if (el instanceof HTMLTextAreaElement && el.name) return `textarea[name="${CSS.escape(el.name)}"]`;
  return null;
}

/** A point's saves under way, by run and point: the next waits for the one before. */
const pointSaves = new Map();

function pointRow(app, { run, checklist, point, answer, canWrite, links, items, plans, entries }) {
  const name = `answer-${point.id}`;
  const store = async (changes) => {
    const id = answer ? answer.id : await checklistAnswerId(run.id, point.id);
    const existing = await app.store.get('checklist_answers', id);
    if (existing) await app.store.update('checklist_answers', id, changes);
    else
      await app.store.create('checklist_answers', {
        id,
        run_id: run.id,
        unit_id: run.unit_id,
        point_id: point.id,
        point_text: point.text,
        answer: null,
        note: null,
        ...changes,
      });
  };
  // In turn: a note left right after the point's first answer must not find the answer not yet
  // stored and create it a second time, over the answer (or the answer over the note).
  const save = async (changes) => {
    const key = `${run.id}/${point.id}`;
    const turn = (pointSaves.get(key) || Promise.resolve()).then(() => store(changes));
    const settled = turn.catch(() => {});
    pointSaves.set(key, settled);
    try {
      await turn;
    } finally {
      if (pointSaves.get(key) === settled) pointSaves.delete(key);
    }
    saved(app);
    redrawRun(app, `input[name="${CSS.escape(name)}"]:checked`);
  };
  const choices = h(
    'fieldset',
    { class: 'inline' },
    h('legend', { class: 'sr-only' }, point.text),
    CHECK_ANSWERS.map((value) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'radio',
          name,
          value,
          checked: answer && answer.answer === value,
          disabled: !canWrite,
          onchange: () => save({ answer: value }),
        }),
        ` ${t(`quality.selfinspection.answer.${value}`)}`,
      ),
    ),
  );
  const note = h('textarea', { rows: 2, disabled: !canWrite }, (answer && answer.note) || '');
  const noteError = h('p', { class: 'error', role: 'alert' });
  // A draft (main.js watchDrafts): a redraw begun before the typing (the answer just given)
  // waits for the note rather than drawing an empty one under the user's fingers.
  const noteForm = h(
    'form',
    { class: 'point-note', 'data-draft': 'empty', novalidate: true, onsubmit: (ev) => ev.preventDefault() },
    field(t('quality.selfinspection.note'), note),
    noteError,
  );
  note.addEventListener('change', () => {
    const text = note.value.trim() || null;
    if (containsIdentityNumber(text)) {
      noteError.textContent = t('quality.personnummer');
      return;
    }
    noteForm.dataset.draft = 'empty';
    save({ note: text });
  });
  const isDeviation = answer && answer.answer === 'deviation';
  const entry = isDeviation ? entries.find((e) => e.checklist_answer_id === answer.id) : null;
  return h(
    'li',
    { class: 'row', 'data-point': point.text },
    h('span', { class: 'row-main' }, point.text),
    choices,
    noteForm,
    entry
      ? h(
          'span',
          { class: 'muted', 'data-testid': 'became-entry' },
          `${t('quality.selfinspection.in_register')}: ${entry.title}`,
        )
      : null,
    isDeviation
      ? linkList(
          links.filter((l) => l.source_id === answer.id),
          items,
        )
      : null,
    isDeviation && canWrite
      ? h(
          'div',
          { class: 'actions' },
          entry
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  class: 'btn small',
                  onclick: () => deviationToEntry(app, run, checklist, answer),
                },
                t('quality.selfinspection.to_register'),
              ),
          plans.length
            ? deviationToItem(app, run, answer, plans, links)
            : h('span', { class: 'muted' }, t('quality.selfinspection.no_plan')),
        )
      : null,
  );
}

/** The deviation as an avvikelse in the register, naming the answer (written after it, so pushed after it). */
async function deviationToEntry(app, run, checklist, answer) {
  await app.store.create('register_entries', {
    unit_id: run.unit_id,
    entry_date: run.run_on,
    kind: 'deviation',
    source: null,
    title: `${checklist ? `${checklist.name}: ` : ''}${answer.point_text}`.slice(0, 200),
    description: answer.note || null,
    analysis: null,
    checklist_answer_id: answer.id,
  });
  announce(t('quality.selfinspection.entry_created'));
  saved(app);
  app.landOn = `input[name="${CSS.escape(`answer-${answer.point_id}`)}"]:checked`;
  app.navigate(location.hash);
}

/** The deviation as a new item of a handlingsplan, linked to the answer. */
function deviationToItem(app, run, answer, plans, links) {
  if (links.some((l) => l.source_id === answer.id)) return null;
  const select = h(
    'select',
    { 'aria-label': `${t('quality.selfinspection.plan')}: ${answer.point_text.slice(0, 60)}` },
    plans.map((p) => h('option', { value: p.id }, p.title || t('plan.untitled'))),
  );
  return h(
    'span',
    { class: 'inline' },
    plans.length > 1 ? select : null,
    h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        onclick: async () => {
          const plan = plans.find((p) => p.id === (plans.length > 1 ? select.value : plans[0].id));
          const existing = live(await app.store.listItems(plan.id));
          const item = await app.store.create('plan_items', {
            plan_id: plan.id,
            unit_id: plan.unit_id,
            priority: existing.reduce((m, i) => Math.max(m, i.priority || 0), 0) + 1,
            theme_id: null,
            topic: answer.point_text,
            goal: null,
            documentation: answer.note || null,
            state: 'not_started',
            responsible: [],
            ongoing: false,
          });
          await app.store.create('quality_links', {
            plan_item_id: item.id,
            plan_id: plan.id,
            unit_id: plan.unit_id,
            source_table: 'checklist_answers',
            source_id: answer.id,
          });
          announce(t('quality.selfinspection.item_created'));
          saved(app);
          app.navigate(`#/items/${item.id}`);
        },
      },
      t('quality.selfinspection.to_plan'),
    ),
  );
}

/** Mark the egenkontroll done, with a summary. */
function finishForm(app, run, answered, total) {
  const summary = h('textarea', { name: 'summary', rows: 3 }, run.summary || '');
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'run-finish', novalidate: true },
    h('p', {}, t('quality.selfinspection.answered', { answered, total })),
    field(t('quality.selfinspection.summary'), summary),
    error,
    h(
      'button',
      { type: 'submit', class: 'btn primary' },
      run.state === 'done' ? t('quality.selfinspection.save_summary') : t('quality.selfinspection.finish'),
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = summary.value.trim() || null;
    if (containsIdentityNumber(text)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    await app.store.update('checklist_runs', run.id, { state: 'done', summary: text });
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}
