/**
 * The årshjul: tasks with dates and owners, ticked off.
 */
import { t, formatDate } from '../../i18n.js';
import { checkForm } from '../field_errors.js';
import { h, field } from '../dom.js';
import { today } from '../units.js';
import { containsIdentityNumber } from '../quality_model.js';
import { currentYear, errorText, live, page, periodForm, saved } from './common.js';

export async function cycleView(app, ctx, focusId) {
  const { unit, unitIds, verksamhetId } = ctx;
  const state = app.qualityPeriod || (app.qualityPeriod = { year: currentYear(), tertial: '1' });
  const ids = new Set([...unitIds, verksamhetId]);
  const all = live(await app.store.all('annual_tasks'));
  // A reminder opens its task (#/quality/<unit>/cycle/<task>): show the task's year.
  const focus = focusId ? all.find((task) => task.id === focusId && ids.has(task.unit_id)) : null;
  if (focus) state.year = focus.year;
  const tasks = all
    .filter((task) => ids.has(task.unit_id) && task.year === Number(state.year))
    .sort((a, b) => String(a.due_date).localeCompare(String(b.due_date)));
  const year = h('input', { type: 'number', min: 2000, max: 2100, value: state.year, name: 'year' });
  year.addEventListener('change', () => {
    state.year = Number(year.value);
    app.navigate(location.hash);
  });
  const status = h('p', { class: 'error', role: 'alert' });
  const manager = app.isManager(unit.id);
  const now = today();
  return {
    title: t('quality.cycle.title'),
    node: page(
      app,
      unit.id,
      'cycle',
      t('quality.cycle.title'),
      periodForm(field(t('quality.year'), year)),
      manager
        ? h(
            'p',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'btn',
                'data-online-only': true,
                disabled: !app.online(),
                onclick: async () => {
                  try {
                    await app.api.qualityCycle(unit.id, state.year);
                    app.sync.run('cycle');
                  } catch (err) {
                    status.textContent = errorText(err);
                  }
                },
              },
              t('quality.cycle.create', { year: state.year }),
            ),
          )
        : null,
      status,
      tasks.length === 0
        ? h('p', {}, t('quality.cycle.none'))
        : h(
            'ul',
            { class: 'list', 'data-testid': 'task-list' },
            tasks.map((task) => {
              const box = h('input', {
                type: 'checkbox',
                checked: task.state === 'done',
                'aria-label': `${t('quality.cycle.done')}: ${task.title}`,
              });
              box.addEventListener('change', async () => {
                await app.store.update(
                  'annual_tasks',
                  task.id,
                  box.checked ? { state: 'done', done_on: now } : { state: 'open', done_on: null },
                );
                saved(app);
              });
              const late = task.state !== 'done' && task.due_date < now;
              return h(
                'li',
                { class: 'row', 'data-task': task.id, 'aria-current': focus && task.id === focus.id ? 'true' : null },
                mayTick(app, task, unit) ? box : null,
                h('span', { class: 'row-main' }, task.title),
                h('span', { class: late ? 'overdue' : 'muted' }, formatDate(task.due_date)),
                h(
                  'span',
                  { class: 'muted' },
                  task.owner_name || (task.owner_user_id ? app.userName(task.owner_user_id) : ''),
                ),
                task.state === 'done' ? h('span', { class: 'state state-approved' }, t('quality.cycle.done')) : null,
              );
            }),
          ),
      manager ? taskForm(app, unit, state.year) : null,
    ),
  };
}

/**
 * Staff and managers of the task's unit tick it; so does its owner, who reads a task of their
 * verksamhet from their enhet (the server's rule: access_unit in server/services/quality.py).
 */
export function mayTick(app, task, unit) {
  if (app.canEdit(task.unit_id)) return true;
  return Boolean(app.user && task.owner_user_id === app.user.id && app.canEdit(unit.id));
}

export const TASK_KINDS = [
  'survey_sent',
  'survey_due',
  'compilation',
  'analysis',
  'management_group',
  'follow_up',
  'competence_survey',
  'quality_report',
  'other',
];

export function taskForm(app, unit, year) {
  const title = h('input', { name: 'title', maxlength: 200 });
  const kind = h(
    'select',
    { name: 'kind' },
    TASK_KINDS.map((k) => h('option', { value: k, selected: k === 'other' }, t(`quality.cycle.kind.${k}`))),
  );
  const due = h('input', { type: 'date', name: 'due_date', value: `${year}-01-31` });
  // A person with an account gets the årshjul's reminders; a name alone gets none.
  const people = new Map(app.people);
  if (app.user && app.user.id && !people.has(app.user.id)) people.set(app.user.id, app.user.name || '');
  const ownerUser = h(
    'select',
    { name: 'owner_user_id' },
    [...people.entries()]
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])))
      .map(([id, name]) => h('option', { value: id, selected: app.user && id === app.user.id }, name)),
    h('option', { value: '' }, t('quality.cycle.owner_other')),
  );
  const owner = h('input', { name: 'owner_name', maxlength: 200 });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'task-form', novalidate: true },
    h('h2', {}, t('quality.cycle.new')),
    field(t('quality.cycle.task'), title),
    field(t('quality.cycle.kind_label'), kind),
    h(
      'div',
      { class: 'inline' },
      field(t('quality.cycle.due'), due),
      field(t('quality.cycle.owner'), ownerUser, t('quality.cycle.owner_hint')),
      field(t('quality.cycle.owner_name'), owner),
    ),
    error,
    h('button', { type: 'submit', class: 'btn primary' }, t('quality.cycle.add')),
  );
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
    const row = {
      unit_id: unit.id,
      year: Number(due.value.slice(0, 4)),
      kind: kind.value,
      title: texts[0],
      due_date: due.value,
      owner_user_id: ownerUser.value || null,
      owner_name: ownerUser.value ? null : texts[1] || null,
      state: 'open',
      done_on: null,
    };
    if (checkForm(form, 'annual_tasks', row, { create: true })) return;
    await app.store.create('annual_tasks', row);
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}
