/**
 * Inspection visits (tilsynsbesøg), offline first: the inspector records a visit, its findings
 * and photos on the device; sync carries them. The unit's manager turns a finding into a plan
 * item in one step; the item then shows the finding, the påbud's legal deadline and the
 * inspector's comments (itemInspectionSection, used by the item screen).
 *
 * Inspectors (the `inspect` action) also correct what they recorded: edit a visit or a finding
 * (in a dialog, so a pull cannot redraw the form under them), delete a finding, a photo or a
 * whole visit. Everything goes through the store and its outbox, offline too; the rules the
 * server would refuse are checked first (visit_rules.js), and what the server refuses anyway
 * is shown on the visit with its reason.
 *
 * Photos: the camera's file is re-encoded through a canvas into a JPEG, which drops every
 * metadata segment (EXIF, with its GPS position) before the bytes are even stored; the server
 * strips again. The bytes wait in the store (photo_blobs) until the sync module uploads them.
 */
import { t, formatDate } from '../i18n.js';
import { h, field, lines, announce } from './dom.js';
import { announceSaved } from './save_status.js';
import { refuseInvalid } from './field_errors.js';
import { downloadFile } from './documents.js';
import { confirmDialog } from './shell.js';
import { today } from './units.js';
import { planStateKey } from './plan_state.js';
import {
  LONG_TEXT,
  catalogueInForce,
  findingDeleteProblem,
  findingProblem,
  rejectionsForVisit,
  visitDateProblem,
  visitDeleteProblem,
} from './visit_rules.js';

const KINDS = ['paabud', 'anbefaling', 'bekymrende_forhold', 'observation'];
const PURPOSES = ['ongoing_supervision', 'approval', 'follow_up'];
const MAX_PHOTO_SIDE = 1600;

export function isInspector(app, unitId) {
  return app.roleIn(unitId).has('inspector');
}

function themeLabel(theme) {
  if (!theme) return '';
  return theme.number ? `${theme.number}. ${theme.name}` : theme.name;
}

// ---- a unit's visits ----------------------------------------------------------------------

export async function unitVisitsView(app, unitId) {
  const unit = await app.store.get('units', unitId);
  const visits = await app.store.listVisits(unitId);
  const counts = await Promise.all(visits.map((v) => app.store.listFindings(v.id)));
  const title = `${t('visits.title')} – ${unit ? unit.name : ''}`;
  return {
    title,
    live: true,
    node: h(
      'div',
      {},
      h('p', {}, h('a', { href: `#/units/${unitId}` }, `← ${unit ? unit.name : t('app.back')}`)),
      h('h1', { tabindex: '-1' }, title),
      isInspector(app, unitId)
        ? h(
            'p',
            {},
            h(
              'a',
              { class: 'btn primary', href: `#/units/${unitId}/new-visit`, 'data-testid': 'new-visit' },
              t('visits.new'),
            ),
          )
        : null,
      visits.length === 0
        ? h('p', {}, t('visits.none'))
        : h(
            'ul',
            { class: 'list', 'data-testid': 'visit-list' },
            visits.map((v, i) =>
              h(
                'li',
                { class: 'row' },
                h(
                  'a',
                  { href: `#/visits/${v.id}`, class: 'row-main' },
                  `${formatDate(v.visit_date)} · ${t(`visit_purpose.${v.purpose}`)}`,
                ),
                h('span', { class: 'muted' }, v.announced ? t('visits.announced') : t('visits.unannounced')),
                h('span', { class: 'muted' }, t('visits.findings_count', { n: counts[i].length })),
              ),
            ),
          ),
    ),
  };
}

export async function newVisitView(app, unitId) {
  const unit = await app.store.get('units', unitId);
  const date = h('input', { type: 'date', name: 'visit_date', value: today(), required: true });
  const announced = h('input', { type: 'checkbox', name: 'announced', id: 'visit-announced' });
  const purpose = h(
    'select',
    { name: 'purpose' },
    PURPOSES.map((p) => h('option', { value: p }, t(`visit_purpose.${p}`))),
  );
  const notes = h('textarea', { name: 'notes', rows: 3, maxlength: LONG_TEXT });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'visit-form', novalidate: true },
    field(t('visits.date'), date),
    h('div', { class: 'check' }, announced, h('label', { for: 'visit-announced' }, t('visits.announced'))),
    field(t('visits.purpose'), purpose),
    field(t('visits.notes'), notes),
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'btn', href: `#/units/${unitId}/visits` }, t('item.cancel')),
      h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'save-visit' }, t('visits.save')),
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fields = {
      unit_id: unitId,
      visit_date: date.value,
      announced: announced.checked,
      purpose: purpose.value,
      notes: notes.value || null,
      inspectors: [{ user_id: app.user.id }],
      created_by: app.user.id,
    };
    const controls = { visit_date: date, purpose, notes };
    const extra = date.value ? {} : { visit_date: [{ key: 'rules.required' }] };
    if (refuseInvalid(form, controls, 'visits', fields, { create: true, extra })) return;
    const visit = await app.store.create('visits', fields);
    announceSaved(app);
    app.sync.requestSoon();
    app.navigate(`#/visits/${visit.id}`);
  });
  return {
    title: t('visits.new'),
    node: h(
      'div',
      {},
      h('p', {}, h('a', { href: `#/units/${unitId}/visits` }, `← ${unit ? unit.name : t('app.back')}`)),
      h('h1', { tabindex: '-1' }, t('visits.new')),
      form,
    ),
  };
}

// ---- one visit ----------------------------------------------------------------------------

export async function visitView(app, visitId) {
  const visit = await app.store.get('visits', visitId);
  if (!visit || visit.deleted) {
    return {
      title: t('visits.title'),
      live: true,
      node: h('div', {}, h('h1', { tabindex: '-1' }, t('visits.title')), h('p', {}, t('item.not_found'))),
    };
  }
  const [unit, findings, photos, themes] = await Promise.all([
    app.store.get('units', visit.unit_id),
    app.store.listFindings(visitId),
    app.store.listVisitPhotos(visitId),
    visit.catalogue_id ? app.store.listThemes(visit.catalogue_id) : inferThemes(app, visit),
  ]);
  const criteria = new Map();
  for (const theme of themes)
    criteria.set(
      theme.id,
      (await app.store.where('criteria', 'theme_id', theme.id)).sort((a, b) => a.position - b.position),
    );
  const themeById = new Map(themes.map((th) => [th.id, th]));
  const inspector = isInspector(app, visit.unit_id);
  const manager = app.isManager(visit.unit_id);
  const plans = manager
    ? (await app.store.listPlans(visit.unit_id)).filter((p) => !p.deleted && p.state !== 'archived')
    : [];
  const links = new Map(await Promise.all(findings.map(async (f) => [f.id, await app.store.itemsForFinding(f.id)])));
  const title = `${t('visits.visit')} ${formatDate(visit.visit_date)}`;
  const rowIds = new Set([...findings.map((f) => f.id), ...photos.map((p) => p.id)]);
  const rejected = rejectionsForVisit(await app.store.listDrafts(), visit.id, rowIds);

  const findingNodes = findings.map((f) => {
    const theme = themeById.get(f.theme_id);
    const criterion = (criteria.get(f.theme_id) || []).find((c) => c.id === f.criterion_id);
    const items = links.get(f.id) || [];
    return h(
      'li',
      { class: 'card finding', 'data-testid': 'finding', 'data-kind': f.kind },
      h(
        'p',
        {},
        h('span', { class: `state kind-${f.kind}` }, t(`finding_kind.${f.kind}`)),
        ' ',
        h('strong', {}, themeLabel(theme)),
      ),
      criterion ? h('p', { class: 'muted' }, criterion.text) : null,
      h('p', {}, lines(f.text)),
      f.deadline
        ? h('p', { 'data-testid': 'finding-deadline' }, `${t('findings.deadline')}: ${formatDate(f.deadline)}`)
        : null,
      f.rating ? h('p', {}, `${t('findings.rating')}: ${f.rating} – ${f.rating_justification || ''}`) : null,
      items.length
        ? h(
            'p',
            { 'data-testid': 'finding-items' },
            `${t('findings.answered_by')}: `,
            items.map((i, n) => [n ? ', ' : '', h('a', { href: `#/items/${i.id}` }, i.topic || t('plan.untitled'))]),
          )
        : null,
      inspector ? findingActions(app, visit, f, items, themes, criteria) : null,
      manager && plans.length ? toItemForm(app, visit, f, plans, items.length > 0) : null,
    );
  });

  const summary = summarise(themes, findings);
  return {
    title,
    live: true,
    node: h(
      'div',
      { 'data-testid': 'visit' },
      h(
        'p',
        {},
        h('a', { href: `#/units/${visit.unit_id}/visits` }, `← ${t('visits.title')} – ${unit ? unit.name : ''}`),
      ),
      h('h1', { tabindex: '-1' }, title),
      rejected.length ? rejectionsSection(app, rejected) : null,
      h(
        'dl',
        { class: 'plan-header' },
        h('div', {}, h('dt', {}, t('plan.unit')), h('dd', {}, unit ? unit.name : '')),
        h('div', {}, h('dt', {}, t('visits.purpose')), h('dd', {}, t(`visit_purpose.${visit.purpose}`))),
        h(
          'div',
          {},
          h('dt', {}, t('visits.kind')),
          h('dd', {}, visit.announced ? t('visits.announced') : t('visits.unannounced')),
        ),
        visit.notes ? h('div', {}, h('dt', {}, t('visits.notes')), h('dd', {}, lines(visit.notes))) : null,
      ),
      inspector ? visitActions(app, visit, findings, links) : null,
      h('h2', {}, t('findings.title')),
      findings.length
        ? h('ul', { class: 'list', 'data-testid': 'finding-list' }, findingNodes)
        : h('p', {}, t('findings.none')),
      inspector ? findingForm(app, visit, themes, criteria) : null,
      h('h2', {}, t('photos.title')),
      await photoSection(app, visit, photos, inspector),
      h('h2', {}, t('visits.summary')),
      radarChart(summary),
      summaryTable(summary),
      h(
        'p',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            'data-online-only': true,
            disabled: !app.online(),
            onclick: () => downloadReport(app, visit),
          },
          t('visits.report'),
        ),
      ),
    ),
  };
}

/** A visit created on this device has no catalogue_id until the server answers: take the
 * catalogue version in force on the visit date for the unit's kind, as the server will. */
async function inferThemes(app, visit) {
  const catalogue = await inferCatalogue(app, visit);
  return catalogue ? app.store.listThemes(catalogue.id) : [];
}

async function inferCatalogue(app, visit) {
  const unit = await app.store.get('units', visit.unit_id);
  return catalogueInForce(await app.store.all('catalogues'), unit && unit.kind, visit.visit_date);
}

// ---- correcting a visit -------------------------------------------------------------------

function visitActions(app, visit, findings, links) {
  const blocked = visitDeleteProblem(findings, links);
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'btn', 'data-testid': 'edit-visit', onclick: () => openVisitDialog(app, visit) },
        t('visits.edit'),
      ),
      blocked
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'btn danger',
              'data-testid': 'delete-visit',
              onclick: () => removeVisit(app, visit),
            },
            t('visits.delete'),
          ),
    ),
    blocked ? h('p', { class: 'muted', 'data-testid': 'visit-delete-blocked' }, t(blocked)) : null,
  );
}

function openVisitDialog(app, visit) {
  const date = h('input', { type: 'date', name: 'visit_date', value: visit.visit_date, required: true });
  const announced = h('input', {
    type: 'checkbox',
    name: 'announced',
    id: `visit-announced-${visit.id}`,
    checked: visit.announced,
  });
  const purpose = h(
    'select',
    { name: 'purpose' },
    PURPOSES.map((p) => h('option', { value: p, selected: p === visit.purpose }, t(`visit_purpose.${p}`))),
  );
  const notes = h('textarea', { name: 'notes', rows: 3, maxlength: LONG_TEXT }, visit.notes ?? '');
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'visit-error' });
  const titleId = `visit-edit-${visit.id}`;
  const form = h(
    'form',
    { method: 'dialog', 'data-testid': 'visit-edit-form' },
    h('h2', { id: titleId }, t('visits.edit')),
    field(t('visits.date'), date),
    h('div', { class: 'check' }, announced, h('label', { for: announced.id }, t('visits.announced'))),
    field(t('visits.purpose'), purpose),
    field(t('visits.notes'), notes),
    error,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, t('item.cancel')),
      h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'save-visit-edit' }, t('visits.save')),
    ),
  );
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = {
      visit_date: date.value,
      announced: announced.checked,
      purpose: purpose.value,
      notes: notes.value || null,
    };
    const extra = date.value ? {} : { visit_date: [{ key: 'rules.required' }] };
    if (refuseInvalid(form, { visit_date: date, purpose, notes }, 'visits', values, { existing: visit, extra })) {
      return null;
    }
    if (date.value !== visit.visit_date) {
      const unit = await app.store.get('units', visit.unit_id);
      const current = visit.catalogue_id || (await inferCatalogue(app, visit))?.id || null;
      const { problem, catalogueId } = visitDateProblem({
        newDate: date.value,
        currentCatalogueId: current,
        catalogues: await app.store.all('catalogues'),
        unitKind: unit && unit.kind,
        findings: await app.store.listFindings(visit.id),
      });
      if (problem) return showError(error, t(problem));
      // Server-set, never sent: shown at once so the themes follow the new date.
      if (visit.catalogue_id && catalogueId && catalogueId !== visit.catalogue_id) values.catalogue_id = catalogueId;
    }
    await app.store.update('visits', visit.id, values);
    dlg.close();
    announceSaved(app);
    app.sync.requestSoon();
    return null;
  });
  openDialog(dlg, date);
}

async function removeVisit(app, visit) {
  const ok = await confirmDialog({
    title: t('visits.delete'),
    text: t('visits.delete_confirm', { date: formatDate(visit.visit_date) }),
    ok: t('visits.delete'),
    cancel: t('item.cancel'),
    danger: true,
  });
  if (!ok) return;
  await app.store.removeVisit(visit.id);
  announce(t('visits.deleted'));
  app.sync.requestSoon();
  app.navigate(`#/units/${visit.unit_id}/visits`);
}

/** A dialog keeps its form: the live view is not redrawn while one is open (main.js). */
function openDialog(dlg, first) {
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  first.focus();
}

/** What the server refused for this visit, with its reason, until the inspector has read it. */
function rejectionsSection(app, rejected) {
  return h(
    'section',
    { class: 'card notice', 'data-testid': 'visit-rejections', 'aria-labelledby': 'visit-rejections-h' },
    h('h2', { id: 'visit-rejections-h' }, t('visits.rejected')),
    h(
      'ul',
      {},
      rejected.map((r) =>
        h(
          'li',
          {},
          `${t(`visits.rejected_${r.table}`)} (${t(r.op === 'delete' ? 'visits.rejected_delete' : 'visits.rejected_change')}): `,
          (r.error && r.error.message) || '',
          // invalid_input names the fields and what is wrong with each (the server's words).
          Object.entries((r.error && r.error.fields) || {}).map(
            ([name, msgs]) => ` ${t(`field.${name}`)}: ${[].concat(msgs).join(' ')}`,
          ),
        ),
      ),
    ),
    h(
      'button',
      { type: 'button', class: 'btn', onclick: () => app.store.markDraftsSeen(rejected) },
      t('visits.rejected_seen'),
    ),
  );
}

// ---- findings -----------------------------------------------------------------------------

/** The finding's controls, filled from `v` (the finding being edited; {} for a new one). */
function findingControls(themes, criteria, v = {}) {
  const theme = h(
    'select',
    { name: 'theme_id', required: true, 'data-testid': 'finding-theme' },
    themes.map((th) => h('option', { value: th.id, selected: th.id === v.theme_id }, themeLabel(th))),
  );
  const criterion = h('select', { name: 'criterion_id' });
  const fillCriteria = () =>
    criterion.replaceChildren(
      h('option', { value: '' }, t('findings.no_criterion')),
      (criteria.get(theme.value) || []).map((c) =>
        h('option', { value: c.id, selected: c.id === v.criterion_id }, c.text),
      ),
    );
  theme.addEventListener('change', fillCriteria);
  fillCriteria();
  const kind = h(
    'select',
    { name: 'kind', 'data-testid': 'finding-kind' },
    KINDS.map((k) => h('option', { value: k, selected: k === v.kind }, t(`finding_kind.${k}`))),
  );
  const text = h('textarea', { name: 'text', rows: 3, required: true, maxlength: LONG_TEXT }, v.text ?? '');
  const deadline = h('input', { type: 'date', name: 'deadline', value: v.deadline ?? '' });
  const rating = h(
    'select',
    { name: 'rating' },
    h('option', { value: '' }, t('findings.no_rating')),
    [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n), selected: n === v.rating }, String(n))),
  );
  const justification = h(
    'textarea',
    { name: 'rating_justification', rows: 2, maxlength: LONG_TEXT },
    v.rating_justification ?? '',
  );
  return {
    fields: [
      field(t('findings.theme'), theme),
      field(t('findings.criterion'), criterion),
      field(t('findings.kind'), kind),
      field(t('findings.text'), text),
      field(t('findings.deadline'), deadline, t('findings.deadline_hint')),
      field(t('findings.rating'), rating, t('findings.rating_hint')),
      field(t('findings.justification'), justification),
    ],
    values: () => ({
      theme_id: theme.value,
      criterion_id: criterion.value || null,
      kind: kind.value,
      text: text.value,
      deadline: deadline.value || null,
      rating: rating.value ? Number(rating.value) : null,
      rating_justification: justification.value.trim() || null,
    }),
    named: {
      theme_id: theme,
      criterion_id: criterion,
      kind,
      text,
      deadline,
      rating,
      rating_justification: justification,
    },
    first: theme,
  };
}

// Where each of visit_rules' finding problems is said (ui/field_errors.js).
const FINDING_PROBLEM_FIELD = {
  'findings.need_text': 'text',
  'findings.too_long': 'text',
  'findings.need_theme': 'theme_id',
  'findings.need_deadline': 'deadline',
  'findings.deadline_before_visit': 'deadline',
  'findings.not_scored': 'rating',
  'findings.need_justification': 'rating_justification',
};

/**
 * The server's rules that need the visit and the theme (sync/rules.json cannot say them), said
 * here first, at their field, so an offline inspector hears them at once.
 * @returns {Record<string, string[]>}
 */
function findingFieldProblems(values, visit, themes) {
  const problem = findingProblem(values, {
    visitDate: visit.visit_date,
    theme: themes.find((th) => th.id === values.theme_id),
  });
  return problem ? { [FINDING_PROBLEM_FIELD[problem] || 'text']: [t(problem)] } : {};
}

function findingActions(app, visit, finding, items, themes, criteria) {
  const blocked = findingDeleteProblem(items);
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn small',
          'data-testid': 'edit-finding',
          onclick: () => openFindingDialog(app, visit, finding, themes, criteria),
        },
        t('findings.edit'),
      ),
      blocked
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'btn small danger',
              'data-testid': 'delete-finding',
              onclick: () => removeFinding(app, finding),
            },
            t('findings.delete'),
          ),
    ),
    blocked ? h('p', { class: 'muted', 'data-testid': 'finding-delete-blocked' }, t(blocked)) : null,
  );
}

function openFindingDialog(app, visit, finding, themes, criteria) {
  const controls = findingControls(themes, criteria, finding);
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'finding-error' });
  const titleId = `finding-edit-${finding.id}`;
  const form = h(
    'form',
    { method: 'dialog', 'data-testid': 'finding-edit-form', novalidate: true },
    h('h2', { id: titleId }, t('findings.edit')),
    controls.fields,
    error,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, t('item.cancel')),
      h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'save-finding-edit' }, t('findings.save')),
    ),
  );
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = controls.values();
    const extra = findingFieldProblems(values, visit, themes);
    if (refuseInvalid(form, controls.named, 'findings', values, { existing: finding, extra })) return null;
    await app.store.update('findings', finding.id, values);
    dlg.close();
    announceSaved(app);
    app.sync.requestSoon();
    return null;
  });
  openDialog(dlg, controls.first);
}

async function removeFinding(app, finding) {
  const ok = await confirmDialog({
    title: t('findings.delete'),
    text: finding.text,
    ok: t('findings.delete'),
    cancel: t('item.cancel'),
    danger: true,
  });
  if (!ok) return;
  await app.store.remove('findings', finding.id);
  announce(t('findings.deleted'));
  app.sync.requestSoon();
}

function findingForm(app, visit, themes, criteria) {
  const controls = findingControls(themes, criteria);
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'finding-error' });
  // A draft: a redraw of this live view waits while it is being filled in (main.js).
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'finding-form', 'data-draft': 'empty', novalidate: true },
    h('h3', {}, t('findings.add')),
    controls.fields,
    error,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'save-finding' }, t('findings.save')),
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = controls.values();
    const extra = findingFieldProblems(values, visit, themes);
    if (refuseInvalid(form, controls.named, 'findings', { ...values, visit_id: visit.id }, { create: true, extra })) {
      return null;
    }
    form.dataset.draft = 'empty';
    await app.store.create('findings', {
      ...values,
      visit_id: visit.id,
      unit_id: visit.unit_id,
      author_id: app.user.id,
      created_at: new Date().toISOString(),
    });
    announceSaved(app);
    app.sync.requestSoon();
    return null;
  });
  return form;
}

function showError(el, message) {
  el.textContent = message;
  return null;
}

const OPEN_PLAN_STATES = new Set(['draft', 'submitted', 'approved']);

/** Open plans first, each group newest first: the default is the newest open plan. */
export function plansForPicker(plans) {
  const rank = (p) => (OPEN_PLAN_STATES.has(p.state || 'draft') ? 0 : 1);
  return [...plans].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      String(b.plan_date || '').localeCompare(String(a.plan_date || '')) ||
      String(a.title || '').localeCompare(String(b.title || '')),
  );
}

function toItemForm(app, visit, finding, plans, answered) {
  const sorted = plansForPicker(plans);
  const plan = h(
    'select',
    { name: 'plan_id' },
    sorted.map((p, i) =>
      h(
        'option',
        { value: p.id, selected: i === 0 },
        // Which plan is which: its state and date beside the title.
        `${p.title || t('plan.untitled')} – ${t(planStateKey(p))}, ${formatDate(p.plan_date)}`,
      ),
    ),
  );
  const form = h(
    'form',
    { class: 'inline', 'data-testid': 'to-item-form' },
    field(t('findings.to_plan'), plan),
    h('button', { type: 'submit', class: 'btn small primary', 'data-testid': 'to-item' }, t('findings.to_item')),
  );
  // Folded away once the finding has an item (and after use), so the list of findings stays short.
  const picker = h(
    'details',
    { class: 'to-item', open: !answered, 'data-testid': 'to-item-picker' },
    h('summary', {}, t('findings.to_item')),
    form,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    picker.open = false;
    const target = plans.find((p) => p.id === plan.value);
    const item = await findingToItem(app, visit, finding, target);
    announce(t('findings.item_created'));
    app.sync.requestSoon();
    app.navigate(`#/items/${item.id}`);
  });
  return picker;
}

/** One step from a finding to a prefilled plan item; the server links them and sets the
 * påbud's legal deadline (shown here already, from the finding). */
export async function findingToItem(app, visit, finding, plan) {
  const items = (await app.store.listItems(plan.id)).filter((i) => !i.deleted);
  let themeId = finding.theme_id;
  if (plan.catalogue_id && visit.catalogue_id && plan.catalogue_id !== visit.catalogue_id) {
    // Another catalogue version: the same theme by number (or name).
    const source = await app.store.get('themes', finding.theme_id);
    const candidates = await app.store.listThemes(plan.catalogue_id);
    const match = candidates.find((c) =>
      source && source.number != null ? c.number === source.number : c.name === source?.name,
    );
    themeId = match ? match.id : null;
  }
  return app.store.create('plan_items', {
    plan_id: plan.id,
    unit_id: plan.unit_id,
    finding_id: finding.id,
    priority: items.reduce((m, i) => Math.max(m, i.priority || 0), 0) + 1,
    theme_id: themeId,
    topic: finding.text,
    end_date: finding.kind === 'paabud' ? finding.deadline : null,
    legal_deadline: finding.kind === 'paabud' ? finding.deadline : null,
    state: 'not_started',
    responsible: [],
    ongoing: false,
  });
}

// ---- photos -------------------------------------------------------------------------------

async function photoSection(app, visit, photos, inspector) {
  const thumbs = await Promise.all(
    photos.map(async (p) => {
      const local = await app.store.getPhotoBlob(p.sha256);
      const state = !local
        ? t('photos.on_server')
        : local.error
          ? `${t('photos.failed')}: ${local.error}`
          : local.uploaded
            ? t('photos.uploaded')
            : t('photos.waiting');
      const img = h('img', { alt: p.caption || t('photos.alt'), width: 160 });
      if (local) img.src = URL.createObjectURL(local.blob);
      else if (app.online()) {
        // Taken on another device: fetched with the bearer token (an <img src> cannot send it).
        app.api
          .download(`/api/photos/${p.sha256}`)
          .then((res) => res.blob())
          .then((blob) => {
            img.src = URL.createObjectURL(blob);
          })
          .catch(() => img.remove());
      }
      return h(
        'li',
        { class: 'photo', 'data-testid': 'photo', 'data-uploaded': local ? String(Boolean(local.uploaded)) : 'true' },
        local || app.online() ? img : null,
        h('p', { class: 'muted' }, state),
        inspector
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn small danger',
                'data-testid': 'delete-photo',
                onclick: () => removePhoto(app, p),
              },
              t('photos.delete'),
            )
          : null,
      );
    }),
  );
  const input = h('input', {
    type: 'file',
    accept: 'image/jpeg,image/png,image/*',
    capture: 'environment',
    'data-testid': 'photo-input',
  });
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    try {
      await addPhoto(app, visit, file);
      announce(t('photos.saved'));
      app.sync.requestSoon();
    } catch (err) {
      announce(`${t('photos.failed')}: ${err.message || err}`);
    }
  });
  return h(
    'div',
    {},
    thumbs.length
      ? h('ul', { class: 'list photos', 'data-testid': 'photo-list' }, thumbs)
      : h('p', {}, t('photos.none')),
    inspector ? field(t('photos.take'), input, t('photos.hint')) : null,
  );
}

async function removePhoto(app, photo) {
  const ok = await confirmDialog({
    title: t('photos.delete'),
    text: photo.caption || t('photos.delete_confirm'),
    ok: t('photos.delete'),
    cancel: t('item.cancel'),
    danger: true,
  });
  if (!ok) return;
  await app.store.removePhoto(photo.id);
  announce(t('photos.deleted'));
  app.sync.requestSoon();
}

export async function addPhoto(app, visit, file) {
  const jpeg = await reencodeJpeg(file);
  const sha256 = await sha256Hex(jpeg);
  await app.store.putPhotoBlob(sha256, jpeg, 'image/jpeg');
  return app.store.create('visit_photos', {
    visit_id: visit.id,
    unit_id: visit.unit_id,
    finding_id: null,
    sha256,
    content_type: 'image/jpeg',
    size_bytes: jpeg.size,
    caption: null,
    created_by: app.user.id,
    created_at: new Date().toISOString(),
  });
}

/** Draw the image on a canvas and encode it again: the new JPEG carries pixels only, no EXIF
 * (so no GPS position), and is scaled down to a sensible size for upload. */
export async function reencodeJpeg(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas =
    typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(width, height)
      : Object.assign(document.createElement('canvas'), { width, height });
  canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
  if (bitmap.close) bitmap.close();
  const drawn = /** @type {any} */ (canvas); // an OffscreenCanvas, or a canvas element where there is none
  if (drawn.convertToBlob) return drawn.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  return new Promise((resolve) => drawn.toBlob(resolve, 'image/jpeg', 0.85));
}

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- summary ------------------------------------------------------------------------------

/** Per theme: the findings and the average of their ratings (null when none is rated). */
export function summarise(themes, findings) {
  return themes.map((theme) => {
    const mine = findings.filter((f) => f.theme_id === theme.id);
    const ratings = mine.map((f) => f.rating).filter((r) => r != null);
    return {
      theme,
      findings: mine,
      average: ratings.length ? Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100 : null,
      ratings: ratings.length,
    };
  });
}

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c);
  return el;
}

/** A theme's name in lines of about `width` characters, at most three (the last one cut). */
export function labelLines(name, width = 16, most = 3) {
  const out = [];
  for (const word of String(name).split(/\s+/).filter(Boolean)) {
    const last = out.length - 1;
    if (last >= 0 && (out[last] + ' ' + word).length <= width) out[last] += ` ${word}`;
    else out.push(word);
  }
  if (out.length > most) {
    out.length = most;
    out[most - 1] = `${out[most - 1].slice(0, width - 1)}…`;
  }
  return out;
}

/** The spindelvæv: one spoke per scored theme, rings at 1-5, the averages as a polygon.
 * Unrated themes sit at the centre; the table below says the same in words. Each spoke is
 * labelled with its theme's name; the drawing scales down to the screen (a 360 px phone). */
export function radarChart(summary) {
  const spokes = summary.filter((row) => row.theme.scored !== false);
  const size = 440;
  const c = size / 2;
  const r = 105;
  const at = (i, value) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, spokes.length);
    return [c + Math.cos(angle) * r * (value / 5), c + Math.sin(angle) * r * (value / 5)];
  };
  const svg = s('svg', {
    viewBox: `0 0 ${size} ${size}`,
    width: size,
    height: size,
    role: 'img',
    'aria-label': t('visits.radar'),
    'data-testid': 'radar',
  });
  for (let ring = 1; ring <= 5; ring += 1) {
    svg.append(
      s('polygon', { points: spokes.map((_, i) => at(i, ring).join(',')).join(' '), fill: 'none', stroke: '#c9d1d6' }),
    );
  }
  spokes.forEach((row, i) => {
    const [x, y] = at(i, 5);
    const [lx, ly] = at(i, 5.5);
    svg.append(s('line', { x1: c, y1: c, x2: x, y2: y, stroke: '#c9d1d6' }));
    const anchor = lx < c - 8 ? 'end' : lx > c + 8 ? 'start' : 'middle';
    const name = row.theme.number != null ? `${row.theme.number}. ${row.theme.name}` : row.theme.name;
    const parts = labelLines(name, 14);
    // Above the top spoke the lines grow upwards, below the bottom one downwards.
    const top = ly < c - 8 ? ly - (parts.length - 1) * 15 : ly > c + 8 ? ly + 10 : ly - ((parts.length - 1) * 15) / 2;
    const label = s('text', { x: lx, y: top, 'font-size': 14, 'text-anchor': anchor, 'data-theme': row.theme.id });
    parts.forEach((part, n) => {
      const line = s('tspan', { x: lx, dy: n ? 15 : 0 });
      line.textContent = part;
      label.append(line);
    });
    const title = s('title');
    title.textContent = row.theme.name;
    label.append(title);
    svg.append(label);
  });
  if (spokes.length) {
    svg.append(
      s('polygon', {
        points: spokes.map((row, i) => at(i, row.average ?? 0).join(',')).join(' '),
        fill: 'rgba(0, 95, 115, 0.25)',
        stroke: '#005f73',
        'stroke-width': 2,
        'data-testid': 'radar-values',
      }),
    );
  }
  return h('figure', { class: 'radar' }, svg);
}

function summaryTable(summary) {
  return h(
    'table',
    { class: 'summary', 'data-testid': 'visit-summary' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, t('findings.theme')), h('th', {}, t('visits.average')), h('th', {}, t('findings.title'))),
    ),
    h(
      'tbody',
      {},
      summary.map((row) =>
        h(
          'tr',
          { 'data-theme': row.theme.number ?? '' },
          h('td', {}, themeLabel(row.theme)),
          h('td', {}, row.average == null ? '–' : row.average.toFixed(2)),
          h('td', {}, String(row.findings.length)),
        ),
      ),
    ),
  );
}

async function downloadReport(app, visit) {
  try {
    await downloadFile(app, `/api/visits/${visit.id}/report.docx`, `tilsynsbesoeg-${visit.visit_date}.docx`);
  } catch (err) {
    announce(`${t('visits.report_failed')}: ${err.message || err}`);
  }
}

// ---- on the plan item -----------------------------------------------------------------------

/** What the inspectorate adds to an item: the finding it answers, the legal deadline and its
 * extensions. The inspectors' comments of before are messages of the row's thread now
 * (thread.js), where the provider can answer. */
export async function itemInspectionSection(app, item) {
  const [finding, extensions] = await Promise.all([
    item.finding_id ? app.store.get('findings', item.finding_id) : null,
    app.store.listExtensions(item.id),
  ]);
  const latest = extensions.reduce((d, e) => (e.new_deadline > d ? e.new_deadline : d), item.legal_deadline || '');
  const inspector = isInspector(app, item.unit_id);
  const mayExtend = item.legal_deadline && (inspector || app.isManager(item.unit_id));
  const extension = mayExtend ? extensionForm(app, item, latest) : null;
  if (!finding && !item.legal_deadline) return null;
  return h(
    'section',
    { class: 'card', 'data-testid': 'item-inspection' },
    h('h2', {}, t('comments.inspection')),
    finding
      ? h(
          'p',
          { 'data-testid': 'item-finding' },
          `${t('findings.answers')}: `,
          h('a', { href: `#/visits/${finding.visit_id}` }, `${t(`finding_kind.${finding.kind}`)} – ${finding.text}`),
        )
      : null,
    item.legal_deadline
      ? h(
          'p',
          { 'data-testid': 'legal-deadline' },
          `${t('findings.legal_deadline')}: ${formatDate(latest)}`,
          latest !== item.legal_deadline ? ` (${t('findings.extended_from')} ${formatDate(item.legal_deadline)})` : '',
        )
      : null,
    extensions.length
      ? h(
          'ul',
          { 'data-testid': 'extensions' },
          extensions.map((e) => h('li', {}, `${formatDate(e.new_deadline)}: ${e.reason} (${e.granted_by})`)),
        )
      : null,
    extension,
  );
}

/** Record that the inspectorate granted a later deadline (reason, who); append-only. */
function extensionForm(app, item, current) {
  const date = h('input', { type: 'date', name: 'new_deadline', required: true, min: current });
  const reason = h('textarea', { name: 'reason', rows: 2, required: true });
  const grantedBy = h('input', { name: 'granted_by', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { 'data-testid': 'extension-form', novalidate: true },
    field(t('extensions.date'), date),
    field(t('extensions.reason'), reason),
    field(t('extensions.granted_by'), grantedBy),
    error,
    h('button', { type: 'submit', class: 'btn', 'data-testid': 'save-extension' }, t('extensions.save')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fields = {
      item_id: item.id,
      plan_id: item.plan_id,
      unit_id: item.unit_id,
      new_deadline: date.value,
      reason: reason.value,
      granted_by: grantedBy.value,
      author_id: app.user.id,
      created_at: new Date().toISOString(),
    };
    /** @type {Record<string, Array<any>>} */
    const extra = {};
    if (!date.value) extra.new_deadline = [{ key: 'rules.required' }];
    else if (date.value <= current) extra.new_deadline = [t('extensions.not_later', { date: formatDate(current) })];
    if (!reason.value.trim()) extra.reason = [{ key: 'rules.required' }];
    if (!grantedBy.value.trim()) extra.granted_by = [{ key: 'rules.required' }];
    const controls = { new_deadline: date, reason, granted_by: grantedBy };
    if (refuseInvalid(form, controls, 'deadline_extensions', fields, { create: true, extra })) return null;
    await app.store.create('deadline_extensions', fields);
    announceSaved(app);
    app.sync.requestSoon();
    app.navigate(`#/items/${item.id}`);
    return null;
  });
  return h('details', {}, h('summary', {}, t('extensions.new')), form);
}
