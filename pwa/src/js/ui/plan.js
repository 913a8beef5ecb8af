/**
 * A plan shown as the template shows it: a header (Beskrivelse/titel, Tilbud/afdeling, Dato, ...)
 * and the nine columns with their headings and guiding questions. On a wide screen it is the
 * table; on a phone each row becomes a card (CSS only, the markup is the same table).
 *
 * The path staff use most, a progress note, is two taps: "+ Notat" on the row, then "Gem notat".
 */
import { t, formatDate, formatDateTime } from '../i18n.js';
import { h, lines, field, announce } from './dom.js';
import { confirmDialog } from './shell.js';
import { isOverdue, today } from './units.js';
import { planDocumentActions } from './documents.js';
import { planThreads, threadView } from './thread.js';
import { checkRow } from '../rules.js';
import { showFieldErrors } from './field_errors.js';
import { draftList, draftMark, withRowNames } from './drafts.js';
import { announceSaved } from './save_status.js';
import { attachFile, attachmentInput, attachmentList } from './evidence.js';
import { planStateKey } from './plan_state.js';

import { COLUMNS, layoutFor } from '../template_labels.js';
import { catalogueSection } from './plan_catalogue.js';

export { COLUMNS };
const ITEM_STATES = ['not_started', 'in_progress', 'done', 'cancelled'];

/**
 * A long plan is read and drawn in steps: the first rows at once, the next ones as the person
 * scrolls near the end (or taps "show more"); a plan of 500 or 50,000 rows opens as fast as one
 * of 40. Only the rows drawn are read, with their notes and evidence (store `itemPage`, on the
 * plan's order index); what needs every row reads them for that action only (print). The
 * counts come from the plan's summary. How far a plan was drawn is kept for the session, so a
 * live re-render or coming back from editing a row draws as many again (and at least up to the
 * row landed on).
 */
export const PAGE_ROWS = 40;

function rowsShown(app) {
  if (!app.planRowsShown) app.planRowsShown = new Map();
  return app.planRowsShown;
}

/** The text CSS.escape was given (a UUID may start with a digit, which it escapes). */
function cssUnescape(text) {
  return text.replace(/\\([0-9a-fA-F]{1,6}) ?|\\(.)/g, (_, hex, ch) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : ch,
  );
}

/**
 * A plan's rows as far as they have been read, in the plan's order, a page at a time
 * (store `itemPage`). Reads run one after another, so the pager and a move never read the
 * same page twice.
 */
export function rowReader(store, planId) {
  /** @type {any[]} */
  const rows = [];
  /** @type {any} the next page's cursor; undefined before the first read, null at the end */
  let next;
  let queue = Promise.resolve();
  const serial = (fn) => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };
  const take = (page) => {
    rows.push(...page.rows);
    next = page.next;
  };
  return {
    rows,
    /** Every row of the plan has been read. */
    get done() {
      return next === null;
    },
    /** Read on until `count` rows are held, or the plan ends. */
    readTo(count) {
      return serial(async () => {
        while (next !== null && rows.length < count)
          take(await store.itemPage(planId, { from: next ?? null, limit: count - rows.length }));
      });
    },
    /** Read on up to and including `row`, however far down it is. */
    readThrough(row) {
      return serial(async () => {
        if (next !== null && !rows.some((r) => r.id === row.id))
          take(await store.itemPage(planId, { from: next ?? null, through: row }));
      });
    },
  };
}

/** The rows to draw at first: as many as were drawn before (at least a page), and the row to
 * land on after editing (main.js render) even when it is far down. */
async function readFirstRows(app, planId, reader) {
  await reader.readTo(Math.max(PAGE_ROWS, rowsShown(app).get(planId) || 0));
  const landing = app.landOn && /data-item-id="([^"]+)"/.exec(app.landOn);
  if (landing) {
    const row = await app.store.get('plan_items', cssUnescape(landing[1]));
    if (row && row.plan_id === planId && !row.deleted) await reader.readThrough(row);
  }
  // Kept, so a live re-render (a sync, a pull) draws as many again, the landed-on row too.
  rowsShown(app).set(planId, reader.rows.length);
  return reader.rows.slice();
}

/** Refused drafts of the plan and of its rows: by the plan's id, their context, or (a draft
 * without one) the row it is of, looked up by id. Drafts are few; the plan's rows are not read. */
async function planDrafts(app, planId) {
  const drafts = await app.store.listDrafts();
  const ofPlan = (d) => d.id === planId || (d.context && d.context.plan_id === planId);
  const rows = await Promise.all(drafts.map((d) => (ofPlan(d) ? null : app.store.get('plan_items', d.id))));
  return drafts.filter((d, i) => ofPlan(d) || (rows[i] && rows[i].plan_id === planId && !rows[i].deleted));
}

/** The locale prefix of the plan's column words: its kind's template, in its variant. */
export function columnSet(plan) {
  return `template.${layoutFor(plan)}`;
}

function responsibleText(app, list) {
  if (!Array.isArray(list)) return '';
  return list
    .map((r) => r.name || app.userName(r.user_id))
    .filter(Boolean)
    .join('\n');
}

/** HVEM?'s two jobs, as the Word export writes them: the same people for both listed once
 * (the template's one question), else a labelled block per job. A row pulled before the
 * server kept the two apart has no `follow_up_responsible`: the same people held both. */
export function hvemLines(app, item) {
  const doing = responsibleText(app, item.responsible);
  const following = responsibleText(app, item.follow_up_responsible ?? item.responsible);
  if (doing === following) return lines(doing);
  return [
    doing
      ? h(
          'p',
          { class: 'hvem-role', 'data-role': 'responsible' },
          h('strong', {}, t('plan.responsible_doing')),
          lines(doing),
        )
      : null,
    following
      ? h(
          'p',
          { class: 'hvem-role', 'data-role': 'follow_up_responsible' },
          h('strong', {}, t('plan.responsible_following')),
          lines(following),
        )
      : null,
  ];
}

/** Beside the plan's state: who approved it and when (seed 000: "Planen skal være godkendt af
 * tilbuddets ledelse"), and the way to the plan's changes. On the state's own line, so a phone's
 * header stays short; a plan not approved says so by its state ("Kladde", "Sendt til godkendelse"). */
function approvalAndHistory(app, plan) {
  return [
    plan.approved_at
      ? h(
          'span',
          { class: 'approval', 'data-testid': 'plan-approval' },
          ` · ${t('plan.approval')}: `,
          t('plan.approved_by_at', { name: app.userName(plan.approved_by), date: formatDate(plan.approved_at) }),
        )
      : null,
    ' · ',
    h('a', { href: `#/plans/${plan.id}/history`, 'data-testid': 'plan-history-link' }, t('plan.history')),
  ];
}

function timeframe(item, now) {
  const parts = [];
  if (item.start_date) parts.push(`${t('item.start_date')}: ${formatDate(item.start_date)}`);
  if (item.end_date) parts.push(`${t('item.end_date')}: ${formatDate(item.end_date)}`);
  if (item.ongoing) parts.push(t('plan.ongoing'));
  if (item.timeframe_note) parts.push(item.timeframe_note);
  return [lines(parts.join('\n')), isOverdue(item, now) ? h('p', { class: 'overdue' }, t('item.overdue')) : null];
}

export async function planView(app, planId) {
  const plan = await app.store.get('plans', planId);
  if (!plan || plan.deleted) {
    return {
      title: t('plans.title'),
      live: true,
      node: h('div', {}, h('h1', { tabindex: '-1' }, t('plans.title')), h('p', {}, t('item.not_found'))),
    };
  }
  const now = today();
  const reader = rowReader(app.store, planId);
  const [unit, themes, stats, threads, planDraftList, firstRows] = await Promise.all([
    app.store.get('units', plan.unit_id),
    plan.catalogue_id ? app.store.listThemes(plan.catalogue_id) : Promise.resolve([]),
    app.store.itemStats(planId, now),
    planThreads(app, planId),
    planDrafts(app, planId),
    readFirstRows(app, planId, reader),
  ]);
  // Refused drafts of this plan's rows wait for the person: a mark on the row, a list on top.
  const drafts = await withRowNames(app, planDraftList);
  const draftByItem = new Map(drafts.filter((d) => d.table === 'plan_items').map((d) => [d.id, d]));
  // What the drawn rows show besides their fields: their notes and evidence (one query each)
  // and their criteria. Loaded for each step of rows as it is drawn.
  /** @type {Map<string, any[]>} */
  const notesByItem = new Map();
  const rowEvidence = new Map();
  const noteEvidence = new Map();
  const criterionText = new Map();
  async function loadRows(rows) {
    const ids = rows.map((i) => i.id);
    const newCriteria = [...new Set(rows.map((i) => i.criterion_id).filter((id) => id && !criterionText.has(id)))];
    const [notes, attachments, criteria] = await Promise.all([
      app.store.notesForItems(ids),
      app.store.attachmentsForItems(ids),
      Promise.all(newCriteria.map((id) => app.store.get('criteria', id))),
    ]);
    for (const [id, list] of notes) notesByItem.set(id, list);
    for (const c of criteria) if (c) criterionText.set(c.id, c.text);
    await Promise.all(
      rows.map(async (item) => {
        const ofItem = attachments.get(item.id) || [];
        const evidenceOf = (noteId) =>
          attachmentList(
            app,
            ofItem.filter((a) => (a.note_id || null) === noteId),
          );
        rowEvidence.set(item.id, await evidenceOf(null));
        for (const n of (notesByItem.get(item.id) || []).slice(0, 20)) noteEvidence.set(n.id, await evidenceOf(n.id));
      }),
    );
  }
  await loadRows(firstRows);
  const themeName = new Map(themes.map((th) => [th.id, th.name]));
  const cols = columnSet(plan);
  const manager = app.isManager(plan.unit_id);
  const approver = app.canApprove(plan.unit_id);
  const canEdit = app.canEdit(plan.unit_id);
  // A foster family's plan is in force without approval (seed 001): "gældende", no approver.
  const withoutApproval = plan.kind === 'dk_plejefamilie';
  const stateLabel = t(planStateKey(plan));
  const editable = canEdit && !['completed', 'archived'].includes(plan.state);

  const header = h(
    'dl',
    { class: 'plan-header' },
    h('div', {}, h('dt', {}, t('plan.title')), h('dd', {}, plan.title)),
    h('div', {}, h('dt', {}, t('plan.unit')), h('dd', {}, unit ? unit.name : '')),
    h('div', {}, h('dt', {}, t('plan.date')), h('dd', {}, formatDate(plan.plan_date))),
    h('div', {}, h('dt', {}, t('plan.filled_in_by')), h('dd', {}, plan.filled_in_by || '')),
    plan.kind === 'dk_plejefamilie'
      ? h('div', {}, h('dt', {}, t('plan.foster_parents')), h('dd', {}, lines(plan.foster_parents || '')))
      : h('div', {}, h('dt', {}, t('plan.responsible_manager')), h('dd', {}, plan.responsible_manager || '')),
    h(
      'div',
      {},
      h('dt', {}, t('plan.origin')),
      h(
        'dd',
        {},
        t(`origin.${plan.origin || 'own_initiative'}`),
        plan.inspection_date ? ` (${t('plan.inspection_date')}: ${formatDate(plan.inspection_date)})` : '',
      ),
    ),
    await catalogueSection(app, plan, manager),
    h(
      'div',
      {},
      h('dt', {}, t('plans.state')),
      h(
        'dd',
        {},
        h('span', { class: `state state-${plan.state}`, 'data-testid': 'plan-state' }, stateLabel),
        approvalAndHistory(app, plan),
      ),
    ),
  );
  // Sent back: the reason, for the plan's author, until it is submitted again.
  const returned =
    plan.state === 'draft' && plan.return_reason
      ? h(
          'div',
          { class: 'notice', role: 'note', 'data-testid': 'return-reason' },
          h(
            'p',
            {},
            h('strong', {}, t('plan.returned_title')),
            plan.returned_at
              ? ` ${t('plan.returned_by', { name: app.userName(plan.returned_by), date: formatDateTime(plan.returned_at) })}`
              : '',
          ),
          h('p', {}, lines(plan.return_reason)),
        )
      : null;

  const lifecycle = [];
  if (manager || approver) {
    const keep = (list) => (manager ? list : []);
    const approve = approver ? ['approve', 'send_back'] : [];
    const inForce = withoutApproval ? ['put_in_force'] : [];
    const actions =
      {
        draft: keep([...inForce, 'submit']),
        submitted: [...approve, ...keep(inForce)],
        approved: keep(['complete']),
        completed: keep(['reopen']),
      }[plan.state] || [];
    for (const action of actions) {
      lifecycle.push(
        h(
          'button',
          {
            type: 'button',
            // Completing ends the daily work on a plan: a plain button that asks first, never
            // the primary one a quick tap lands on.
            class: `btn ${['send_back', 'complete', 'reopen'].includes(action) ? '' : 'primary'}`,
            disabled: !app.online(),
            'data-online-only': true,
            'data-action': action,
            onclick: () => runAction(app, plan, action),
          },
          t(`plan.${action}`),
        ),
      );
    }
    if (lifecycle.length)
      lifecycle.push(
        h('span', { class: 'muted', 'data-online-note': true, hidden: app.online() }, t('plan.online_only')),
      );
  }

  const thead = h(
    'thead',
    {},
    h(
      'tr',
      {},
      COLUMNS.map((c) =>
        h(
          'th',
          { scope: 'col' },
          h('span', { class: 'col-heading' }, t(`${cols}.${c}.heading`)),
          h('span', { class: 'col-question' }, t(`${cols}.${c}.question`)),
        ),
      ),
    ),
  );

  const rowOf = (item, index) => {
    const topic = item.topic || t('plan.untitled');
    const notes = notesByItem.get(item.id) || [];
    const label = (c) => t(`${cols}.${c}.heading`);
    const actions = h(
      'div',
      { class: 'row-actions' },
      // The visible words start the accessible name; the topic tells rows apart for screen readers.
      canEdit
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn small primary',
              'data-testid': 'add-note',
              onclick: () => openNoteDialog(app, item),
            },
            `+ ${t('note.title')}`,
            h('span', { class: 'sr-only' }, `: ${topic}`),
          )
        : null,
      editable
        ? h(
            'a',
            { class: 'btn small', href: `#/items/${item.id}` },
            t('item.edit'),
            h('span', { class: 'sr-only' }, `: ${topic}`),
          )
        : null,
      manager && editable && index > 0
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn small',
              'aria-label': t('plan.move_up', { topic }),
              'data-reorder': 'up',
              onclick: () => move(app, reader, index, -1),
            },
            '↑',
          )
        : null,
      // The row below may not be read yet (the last row drawn): `move` reads it first.
      manager && editable && (index < reader.rows.length - 1 || !reader.done)
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn small',
              'aria-label': t('plan.move_down', { topic }),
              'data-reorder': 'down',
              onclick: () => move(app, reader, index, 1),
            },
            '↓',
          )
        : null,
      rowToggle(app, item.id, topic),
    );
    const open = openRows(app).has(item.id);
    return h(
      'tr',
      {
        'data-item-id': item.id,
        class: [isOverdue(item, now) ? 'is-overdue' : '', open ? 'open' : ''].join(' ').trim() || null,
      },
      h(
        'th',
        // Focusable from script only: where the person lands back after editing the row.
        { scope: 'row', 'data-label': label('theme'), tabindex: '-1' },
        h('strong', {}, `${t('plan.priority', { n: item.priority ?? index + 1 })}`),
        ' ',
        themeName.get(item.theme_id) || '',
        criterionText.has(item.criterion_id)
          ? h(
              'span',
              { class: 'criterion', 'data-testid': 'row-criterion' },
              h('em', {}, `${t('item.criterion')}: `),
              criterionText.get(item.criterion_id),
            )
          : null,
        draftByItem.has(item.id) ? draftMark(draftByItem.get(item.id)) : null,
        // On a phone a closed row shows this line instead of the nine cells.
        h(
          'span',
          { class: 'row-summary' },
          h('span', { class: `state item-${item.state}` }, t(`item_state.${item.state || 'not_started'}`)),
          item.end_date ? ` ${t('item.end_date')}: ${formatDate(item.end_date)}` : '',
          notes.length ? ` · ${t('plan.notes')} (${notes.length})` : '',
        ),
        actions,
      ),
      h('td', { 'data-label': label('topic'), 'data-field': 'topic' }, lines(item.topic)),
      h('td', { 'data-label': label('goal'), 'data-field': 'goal' }, lines(item.goal)),
      h('td', { 'data-label': label('activities'), 'data-field': 'activities' }, lines(item.activities)),
      h('td', { 'data-label': label('resources'), 'data-field': 'resources' }, lines(item.resources)),
      h('td', { 'data-label': label('timeframe') }, timeframe(item, now)),
      h(
        'td',
        { 'data-label': label('documentation') },
        h('span', { 'data-field': 'documentation' }, lines(item.documentation)),
        rowEvidence.get(item.id),
      ),
      h('td', { 'data-label': label('responsible'), 'data-field': 'responsible' }, hvemLines(app, item)),
      h(
        'td',
        { 'data-label': label('result') },
        h('span', { class: `state item-${item.state}` }, t(`item_state.${item.state || 'not_started'}`)),
        item.result ? h('p', { 'data-field': 'result' }, lines(item.result)) : null,
        notes.length
          ? h(
              'details',
              { class: 'notes' },
              h('summary', {}, `${t('plan.notes')} (${notes.length})`),
              h(
                'ul',
                {},
                notes
                  .slice(0, 20)
                  .map((n) =>
                    h(
                      'li',
                      { 'data-testid': 'note' },
                      h('time', { datetime: n.created_at }, formatDateTime(n.created_at)),
                      n.author_id ? h('span', { class: 'note-author' }, ` · ${app.userName(n.author_id)}`) : null,
                      ' ',
                      lines(n.text),
                      noteEvidence.get(n.id),
                    ),
                  ),
              ),
            )
          : null,
        threadView(app, { plan, itemId: item.id, messages: threads.byItem.get(item.id) || [], collapsed: true }),
      ),
    );
  };
  const tbody = h('tbody', {}, firstRows.map(rowOf));
  const pager = rowPager(app, planId, { reader, total: stats.items, tbody, rowOf, loadRows });

  return {
    title: plan.title,
    live: true,
    node: h(
      'div',
      { class: 'plan', 'data-testid': 'plan' },
      h(
        'p',
        { class: 'no-print' },
        h('a', { href: `#/units/${plan.unit_id}` }, `← ${unit ? unit.name : t('app.back')}`),
      ),
      h('p', { class: 'kind' }, t(`kind.${plan.kind}`)),
      h('h1', { tabindex: '-1' }, plan.title),
      header,
      returned,
      drafts.length ? draftList(app, drafts, { headingId: 'plan-drafts-h' }) : null,
      h(
        'div',
        { class: 'actions no-print' },
        editable
          ? h(
              'a',
              { class: 'btn primary', href: `#/plans/${plan.id}/new-item`, 'data-testid': 'add-item' },
              t('plan.add_item'),
            )
          : null,
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            // The paper has every row, not only those drawn so far.
            onclick: async () => {
              await pager.showAll();
              window.print();
            },
          },
          t('app.print'),
        ),
        planDocumentActions(app, plan),
        lifecycle,
      ),
      firstRows.length === 0
        ? h('p', {}, t('plan.no_items'))
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'template', 'data-testid': 'plan-table' },
              h('caption', { class: 'sr-only' }, t('plan.caption')),
              thead,
              tbody,
            ),
          ),
      pager.node,
      threadView(app, { plan, messages: threads.plan }),
    ),
  };
}

/**
 * The rows after the first ones: read and appended a step at a time (the rows, their notes and
 * their evidence in a few queries) when the "show more" line comes within a screen or two of
 * view, or is tapped. Each step is small, so scrolling never waits for a long task. `total` is
 * the plan's row count from its summary, for the label only: whether there are more rows is
 * the reader's to say.
 */
function rowPager(app, planId, { reader, total, tbody, rowOf, loadRows }) {
  let shown = tbody.childElementCount;
  let busy = null;
  const button = h('button', { type: 'button', class: 'btn', 'data-testid': 'more-rows' });
  const node = h('p', { class: 'more-rows no-print' }, button);
  const finished = () => reader.done && shown >= reader.rows.length;
  const label = () => {
    node.hidden = finished();
    button.textContent = t('plan.more_rows', { shown, total: Math.max(total, reader.rows.length) });
  };
  const near = () => node.isConnected && !node.hidden && node.getBoundingClientRect().top < 2 * window.innerHeight;
  function showMore(count = PAGE_ROWS) {
    if (!busy) {
      busy = (async () => {
        await reader.readTo(shown + count);
        const next = reader.rows.slice(shown, shown + count);
        await loadRows(next);
        if (!tbody.isConnected) return; // the view was drawn again meanwhile: that one shows them
        tbody.append(...next.map((item, k) => rowOf(item, shown + k)));
        shown += next.length;
        rowsShown(app).set(planId, shown);
        label();
      })().finally(() => {
        busy = null;
      });
      // Still near the end (a tall screen, a fast fling): the next step, after a frame.
      busy.then(
        () => requestAnimationFrame(() => near() && showMore()),
        () => {}, // the button stays: a tap tries again
      );
    }
    return busy;
  }
  button.addEventListener('click', () => showMore());
  label();
  if (!finished() && typeof IntersectionObserver === 'function') {
    const observer = new IntersectionObserver(
      (entries) => {
        // Not shown (a live re-render kept the DOM it had), or done: nothing more to watch.
        if (!node.isConnected || finished()) observer.disconnect();
        else if (entries.some((e) => e.isIntersecting)) showMore();
      },
      { rootMargin: '0px 0px 100% 0px' },
    );
    observer.observe(node);
  }
  return {
    node,
    /** Every row drawn (print): the rest of the plan read now, for this action only. */
    async showAll() {
      while (!finished() && tbody.isConnected) await showMore(Infinity);
    },
  };
}

/** Lifecycle steps; completing asks first (in the app's own dialog), as it ends the editing. */
async function runAction(app, plan, action) {
  let body = {};
  if (action === 'send_back') {
    const reason = await askReason(plan);
    if (reason == null) return;
    body = { reason };
  }
  if (action === 'complete') {
    const ok = await confirmDialog({
      title: t('plan.complete_confirm_title'),
      text: t('plan.complete_confirm', { title: plan.title }),
      ok: t('plan.complete'),
      cancel: t('item.cancel'),
    });
    if (!ok) return;
  }
  try {
    const result = await app.api.planAction(plan.id, action.replaceAll('_', '-'), body);
    if (result && result.state) {
      const kept = ['state', 'approved_by', 'approved_at', 'returned_at', 'returned_by', 'return_reason'];
      await app.store.patchLocal(
        'plans',
        plan.id,
        Object.fromEntries(kept.filter((k) => k in result).map((k) => [k, result[k]])),
      );
    }
    announce(t('plan.done'));
    app.sync.run('action');
  } catch (err) {
    announce(err.message || t('sync.error.generic'));
  }
}

/** "Send tilbage": why, in the app's own dialog; the author reads it on the plan. Null: cancelled. */
function askReason(plan) {
  return new Promise((resolve) => {
    const text = h('textarea', {
      name: 'reason',
      rows: 4,
      'aria-required': 'true',
      'data-testid': 'return-reason-text',
    });
    const titleId = `send-back-${plan.id}`;
    let answer = null;
    const form = h(
      'form',
      { method: 'dialog', novalidate: true },
      h('h2', { id: titleId }, t('plan.send_back')),
      h('p', { class: 'muted' }, plan.title),
      field(t('plan.return_reason'), text, t('plan.return_reason_hint')),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, t('item.cancel')),
        h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'confirm-send-back' }, t('plan.send_back')),
      ),
    );
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!text.value.trim()) {
        showFieldErrors(form, { reason: text }, { reason: [t('plan.return_reason_empty')] });
        return;
      }
      answer = text.value.trim();
      dlg.close();
    });
    dlg.addEventListener('close', () => {
      dlg.remove();
      resolve(answer);
    });
    document.body.append(dlg);
    dlg.showModal();
    text.focus();
  });
}

/** The rows opened on a phone, kept across the live re-renders of this session. */
function openRows(app) {
  if (!app.openRows) app.openRows = new Set();
  return app.openRows;
}

/** Phones only (CSS): open a compact row to see all nine columns, or close it again. */
function rowToggle(app, itemId, topic) {
  const open = openRows(app).has(itemId);
  return h(
    'button',
    {
      type: 'button',
      class: 'btn small row-toggle',
      'aria-expanded': String(open),
      'data-testid': 'row-toggle',
      onclick: (ev) => {
        const button = ev.currentTarget;
        const row = button.closest('tr');
        const rows = openRows(app);
        if (rows.has(itemId)) rows.delete(itemId);
        else rows.add(itemId);
        const now = rows.has(itemId);
        row.classList.toggle('open', now);
        button.setAttribute('aria-expanded', String(now));
        button.firstChild.textContent = now ? t('plan.row_close') : t('plan.row_open');
      },
    },
    h('span', {}, open ? t('plan.row_close') : t('plan.row_open')),
    h('span', { class: 'sr-only' }, `: ${topic}`),
  );
}

/** Swap priorities with the neighbour: two ordinary edits, so it works offline too. The row
 * below the last one drawn is read first. */
async function move(app, reader, index, delta) {
  await reader.readTo(index + delta + 1);
  const a = reader.rows[index];
  const b = reader.rows[index + delta];
  if (!a || !b) return;
  const pa = a.priority ?? index + 1;
  const pb = b.priority ?? index + delta + 1;
  await app.store.update('plan_items', a.id, { priority: pb });
  await app.store.update('plan_items', b.id, { priority: pa });
  app.sync.requestSoon();
}

export function openNoteDialog(app, item) {
  const text = h('textarea', { name: 'text', rows: 4, 'aria-required': 'true', 'data-testid': 'note-text' });
  let noteFile = null;
  const state = h(
    'select',
    { name: 'new_state' },
    h('option', { value: '' }, t('note.unchanged')),
    ITEM_STATES.map((s) => h('option', { value: s }, t(`item_state.${s}`))),
  );
  const titleId = `note-title-${item.id}`;
  const form = h(
    'form',
    { method: 'dialog', novalidate: true },
    h('h2', { id: titleId }, t('note.title')),
    h('p', { class: 'muted' }, item.topic || ''),
    field(t('note.text'), text),
    field(t('note.new_state'), state),
    field(
      t('evidence.add_to_note'),
      (noteFile = attachmentInput({ testid: 'note-attachment-input' })),
      t('evidence.hint'),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, t('item.cancel')),
      h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'save-note' }, t('note.save')),
    ),
  );
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const newState = state.value || null;
    const errors = checkRow(
      'progress_notes',
      { item_id: item.id, text: text.value.trim(), new_state: newState },
      { create: true },
    );
    if (!text.value.trim()) errors.text = [t('note.empty')];
    if (showFieldErrors(form, { text, new_state: state }, errors)) return;
    // The note and (if chosen) the new state reach the outbox before we say "saved".
    const note = await app.store.create('progress_notes', {
      item_id: item.id,
      plan_id: item.plan_id,
      unit_id: item.unit_id,
      author_id: app.user.id,
      text: text.value.trim(),
      new_state: newState,
      created_at: new Date().toISOString(),
    });
    if (newState && newState !== item.state) await app.store.update('plan_items', item.id, { state: newState });
    const file = noteFile && noteFile.files && noteFile.files[0];
    if (file && note) {
      try {
        await attachFile(app, item, file, { noteId: note.id });
      } catch (err) {
        // The note is kept; only the file was refused, and the person is told why.
        announce(`${t('evidence.failed')}: ${err.message || err}`);
      }
    }
    dlg.close();
    announceSaved(app);
    app.sync.requestSoon();
  });
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  text.focus();
  return dlg;
}

export { confirmDialog };
