/**
 * Edit one row of the plan (or add one). Saving checks the values with the server's rules
 * (rules.js) first, then writes the row and its outbox entry. A row the server refused shows the
 * typed values again with the reasons at their fields (ui/drafts.js); saving sends them again.
 * Someone who may not edit the unit's rows (an inspector) sees the row and its comments only.
 */
import { t } from '../i18n.js';
import { h, field } from './dom.js';
import { confirmDialog } from './shell.js';
import { itemInspectionSection } from './visits.js';
import { itemThreadSection } from './thread.js';
import { checkRow } from '../rules.js';
import { showFieldErrors, clearFieldErrors } from './field_errors.js';
import { draftList, draftNotice, draftReasons } from './drafts.js';
import { announceSaved } from './save_status.js';
import { itemReadOnly } from './item_read.js';
import { layoutFor } from '../template_labels.js';
import { evidenceSection } from './evidence.js';

const STATES = ['not_started', 'in_progress', 'done', 'cancelled'];

function parseResponsible(app, text, previous) {
  const byName = new Map((previous || []).filter((r) => r.user_id).map((r) => [app.userName(r.user_id), r]));
  return text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => byName.get(name) || { name });
}

/** The people HVEM? offers: those with a role in the plan's unit or a unit above it (the
 * server accepts no one else by id), from the directory kept on the device. */
async function peopleOfUnit(app, unitId) {
  const units = new Set();
  for (let u = app.units.get(unitId); u && !units.has(u.id); u = u.parent_id ? app.units.get(u.parent_id) : null)
    units.add(u.id);
  const list = await app.store.getMeta('people', []);
  return list.filter((p) => (p.unit_ids || []).some((id) => units.has(id)));
}

/** HVEM?: a box per person of the unit (so "assigned" notices reach them), and free text for
 * anyone else, one per line. One picker per job: `field` is "responsible" (carrying out) or
 * "follow_up_responsible" (following up). */
function responsiblePicker(people, current, app, field = 'responsible') {
  const chosen = new Set((current || []).filter((r) => r.user_id).map((r) => r.user_id));
  const offered = new Set(people.map((p) => p.id));
  const boxes = people.map((p) => {
    const box = h('input', { type: 'checkbox', name: `${field}_user`, value: p.id, checked: chosen.has(p.id) });
    return h('label', { class: 'check person' }, box, p.name);
  });
  // Free text keeps the names typed before, and people no longer offered (left the unit).
  const others = (current || [])
    .filter((r) => !r.user_id || !offered.has(r.user_id))
    .map((r) => r.name || app.userName(r.user_id));
  const text = h('textarea', { name: field, rows: 2 }, others.join('\n'));
  return {
    boxes,
    text,
    /** The job's list to save: the boxes ticked, then the names typed, each user once. */
    values: (previous) =>
      [
        ...boxes
          .map((l) => l.querySelector('input'))
          .filter((b) => b.checked)
          .map((b) => ({ user_id: b.value })),
        ...parseResponsible(app, text.value, previous),
      ].filter((r, i, all) => !r.user_id || all.findIndex((o) => o.user_id === r.user_id) === i),
  };
}

/** One job of HVEM?, with its boxes when the unit's people are known, else its free text. */
function hvemFieldset(picker, legend, hint, testid) {
  return h(
    'fieldset',
    { 'data-testid': testid },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    picker.boxes,
    field(picker.boxes.length ? t('item.responsible_others') : t('item.responsible'), picker.text),
  );
}

/** @param {any} app @param {{ itemId?: string, planId?: string }} which an item to edit, or a plan to add one to */
export async function itemView(app, { itemId, planId }) {
  const item = itemId ? await app.store.get('plan_items', itemId) : null;
  // A refused draft of this row; for a refused create the row itself lives only in the draft.
  const draft = itemId ? await app.store.getDraft('plan_items', itemId) : null;
  const refusedCreate = !item && draft && draft.create && draft.op === 'upsert' ? draft : null;
  if (itemId && (!item || item.deleted) && draft && !refusedCreate) {
    // The row is gone from this device (deleted, or the unit is no longer the person's): what
    // they typed can still be copied, or discarded.
    return {
      title: t('item.edit'),
      node: h(
        'div',
        {},
        h('h1', { tabindex: '-1' }, t('item.edit')),
        h('p', { class: 'notice', 'data-testid': 'draft-gone' }, t('drafts.gone')),
        draftList(app, [draft], { headingId: 'item-draft-h', here: true }),
      ),
    };
  }
  if (itemId && (!item || item.deleted) && !refusedCreate) {
    return {
      title: t('item.edit'),
      node: h('div', {}, h('h1', { tabindex: '-1' }, t('item.edit')), h('p', {}, t('item.not_found'))),
    };
  }
  const plan = await app.store.get(
    'plans',
    item ? item.plan_id : refusedCreate ? refusedCreate.row?.plan_id || refusedCreate.context?.plan_id : planId,
  );
  // A new row comes after the plan's last (from the end of its order index: the plan is not read).
  const priority = !item && !refusedCreate?.row && plan ? await app.store.nextPriority(plan.id) : 1;
  const themes = plan && plan.catalogue_id ? await app.store.listThemes(plan.catalogue_id) : [];
  const unitId = item ? item.unit_id : plan && plan.unit_id;
  if (!app.canEdit(unitId)) return itemReadOnly(app, { item, plan, themes, draft });
  const v = {
    ...(item ||
      refusedCreate?.row || {
        priority,
        state: 'not_started',
        responsible: [],
        follow_up_responsible: [],
      }),
    ...(draft && draft.op === 'upsert' ? draft.fields : {}),
  };

  const people = plan ? await peopleOfUnit(app, plan.unit_id) : [];
  const picker = responsiblePicker(people, v.responsible, app);
  // A row pulled before the two jobs were kept apart has no follow-up list: the same people
  // held both (the server copied them), so the form starts from them.
  const followUp = v.follow_up_responsible ?? v.responsible;
  const followUpPicker = responsiblePicker(people, followUp, app, 'follow_up_responsible');
  const input = (name, attrs = {}) => h('input', { name, value: v[name] ?? '', ...attrs });
  const area = (name, rows = 3) => h('textarea', { name, rows }, v[name] ?? '');
  const theme = h(
    'select',
    { name: 'theme_id' },
    h('option', { value: '' }, t('item.no_theme')),
    themes.map((th) =>
      h('option', { value: th.id, selected: th.id === v.theme_id }, th.number ? `${th.number}. ${th.name}` : th.name),
    ),
  );
  // KRITERIUM: a criterion of the chosen theme (seed 000: "konkrete kvalitetsmål/kriterier").
  const criteriaOf = new Map(
    await Promise.all(
      themes.map(async (th) => [
        th.id,
        (await app.store.where('criteria', 'theme_id', th.id)).sort((a, b) => a.position - b.position),
      ]),
    ),
  );
  const criterion = h('select', { name: 'criterion_id', 'data-testid': 'item-criterion' });
  const criterionField = field(t('item.criterion'), criterion);
  const fillCriteria = (selected) => {
    const list = (criteriaOf.get(theme.value) || []).filter((c) => !c.deleted);
    criterion.replaceChildren(
      h('option', { value: '' }, t('item.no_criterion')),
      ...list.map((c) => h('option', { value: c.id, selected: c.id === selected }, c.text)),
    );
    criterionField.hidden = list.length === 0;
  };
  fillCriteria(v.criterion_id);
  theme.addEventListener('change', () => fillCriteria(null));
  const controls = {
    theme_id: theme,
    criterion_id: criterion,
    priority: input('priority', { type: 'number', min: 1, step: 1, inputmode: 'numeric' }),
    topic: area('topic'),
    goal: area('goal'),
    activities: area('activities', 4),
    resources: area('resources'),
    start_date: input('start_date', { type: 'date' }),
    end_date: input('end_date', { type: 'date' }),
    ongoing: h('input', { type: 'checkbox', name: 'ongoing', checked: Boolean(v.ongoing) }),
    timeframe_note: input('timeframe_note'),
    documentation: area('documentation'),
    responsible: picker.text,
    follow_up_responsible: followUpPicker.text,
    result: area('result'),
    state: h(
      'select',
      { name: 'state' },
      STATES.map((s) => h('option', { value: s, selected: s === v.state }, t(`item_state.${s}`))),
    ),
  };
  const cols = `template.${layoutFor(plan)}`;
  const q = (c) => t(`${cols}.${c}.question`);
  const backHref = `#/plans/${plan ? plan.id : ''}`;
  const form = h(
    'form',
    { class: 'card item-form', 'data-testid': 'item-form', novalidate: true },
    field(t('item.theme'), controls.theme_id, q('theme')),
    criterionField,
    field(t('item.priority'), controls.priority),
    field(t('item.topic'), controls.topic, q('topic')),
    field(t('item.goal'), controls.goal, q('goal')),
    field(t('item.activities'), controls.activities, q('activities')),
    field(t('item.resources'), controls.resources, q('resources')),
    h(
      'fieldset',
      {},
      h('legend', {}, t(`${cols}.timeframe.heading`)),
      h('p', { class: 'hint' }, q('timeframe')),
      h(
        'div',
        { class: 'inline' },
        field(t('item.start_date'), controls.start_date),
        field(t('item.end_date'), controls.end_date),
      ),
      h(
        'div',
        { class: 'check' },
        controls.ongoing,
        h('label', { for: (controls.ongoing.id = `ongoing-${itemId || 'new'}`) }, t('item.ongoing')),
      ),
      field(t('item.timeframe_note'), controls.timeframe_note),
    ),
    field(t('item.documentation'), controls.documentation, q('documentation')),
    h(
      'fieldset',
      { class: 'hvem' },
      h('legend', {}, t(`${cols}.responsible.heading`)),
      h('p', { class: 'hint' }, q('responsible')),
      hvemFieldset(picker, t('item.responsible_doing'), null, 'responsible-people'),
      hvemFieldset(
        followUpPicker,
        t('item.responsible_following'),
        t('item.responsible_following_hint'),
        'follow-up-people',
      ),
    ),
    field(t('item.result'), controls.result, q('result')),
    field(t('item.state'), controls.state),
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'btn', href: backHref }, t('item.cancel')),
      item && app.isManager(item.unit_id)
        ? h(
            'button',
            { type: 'button', class: 'btn danger', onclick: () => removeItem(app, item, backHref) },
            t('item.delete'),
          )
        : null,
      h(
        'button',
        { type: 'submit', class: 'btn primary', 'data-testid': 'save-item' },
        draft && draft.op === 'upsert' ? t('drafts.resend') : t('item.save'),
      ),
    ),
  );

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    // An item answering a påbud may not pass its legal deadline (the server refuses it too).
    const deadline =
      item && item.legal_deadline
        ? (await app.store.listExtensions(item.id)).reduce(
            (d, e) => (e.new_deadline > d ? e.new_deadline : d),
            item.legal_deadline,
          )
        : null;
    const values = {
      theme_id: controls.theme_id.value || null,
      criterion_id: (controls.theme_id.value && controls.criterion_id.value) || null,
      priority: Math.max(1, parseInt(controls.priority.value, 10) || 1),
      topic: controls.topic.value,
      goal: controls.goal.value,
      activities: controls.activities.value,
      resources: controls.resources.value,
      start_date: controls.start_date.value || null,
      end_date: controls.end_date.value || null,
      ongoing: controls.ongoing.checked,
      timeframe_note: controls.timeframe_note.value || null,
      documentation: controls.documentation.value,
      responsible: picker.values(v.responsible),
      follow_up_responsible: followUpPicker.values(followUp),
      result: controls.result.value,
      state: controls.state.value,
    };
    const errors = checkRow('plan_items', item ? values : { ...values, plan_id: plan.id }, {
      existing: item,
      create: !item,
    });
    if (deadline && values.end_date && values.end_date > deadline) {
      (errors.end_date = errors.end_date || []).push(t('findings.past_deadline', { date: deadline }));
    }
    if (showFieldErrors(form, controls, errors)) return;
    clearFieldErrors(form);
    let savedId;
    if (draft && draft.op === 'upsert') {
      await app.store.resendDraft('plan_items', draft.id, refusedCreate ? { ...values, plan_id: plan.id } : values);
      savedId = draft.id;
    } else if (item) {
      await app.store.update('plan_items', item.id, values);
      savedId = item.id;
    } else {
      savedId = (await app.store.create('plan_items', { ...values, plan_id: plan.id, unit_id: plan.unit_id }))?.id;
    }
    announceSaved(app);
    app.sync.requestSoon();
    // Back on the row just saved (see render in main.js), not at the top of the plan.
    if (savedId) app.landOn = `tr[data-item-id="${CSS.escape(savedId)}"] th`;
    app.navigate(backHref);
  });

  if (draft && draft.op === 'upsert') draftReasons(form, controls, draft, item);
  const title = item || refusedCreate ? t('item.edit') : t('item.new');
  return {
    title,
    node: h(
      'div',
      {},
      h('p', {}, h('a', { href: backHref }, `← ${plan ? plan.title : t('app.back')}`)),
      h('h1', { tabindex: '-1' }, title),
      draft
        ? draftNotice(app, draft, { gone: !item && !refusedCreate, onDiscarded: () => app.navigate(backHref) })
        : null,
      item ? await itemInspectionSection(app, item) : null,
      item && plan ? await itemThreadSection(app, plan, item) : null,
      form,
      item && plan ? await evidenceSection(app, item, { canAttach: plan.state !== 'archived' }) : null,
    ),
  };
}

async function removeItem(app, item, backHref) {
  const ok = await confirmDialog({
    title: t('item.delete'),
    text: item.topic || '',
    ok: t('item.delete'),
    cancel: t('item.cancel'),
    danger: true,
  });
  if (!ok) return;
  await app.store.remove('plan_items', item.id);
  app.sync.requestSoon();
  app.navigate(backHref);
}
