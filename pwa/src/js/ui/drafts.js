/**
 * Refused drafts on the screens (the store keeps them: store/drafts.js). A draft is shown
 *
 *   on its row's form   the typed values in the controls, the server's reason at each field,
 *                       a notice with "copy the text" and "discard"; the form's save button
 *                       sends it again (after the local checks)        draftNotice, draftReasons
 *   in the plan         a mark on the row, and a list of the plan's drafts    draftMark, draftList
 *   in the sync bar     "1 ændring venter på dig", linking to Settings         (shell.js)
 *   in Settings         every waiting draft, with a link, resend and discard; where no form
 *                       of its own shows it (all but plan items), its typed texts and dates
 *                       are fields here, with the reason at each: fix, then resend   draftList
 *
 * Texts are the person's language: for a known error code the PWA's own words come first, the
 * server's message after it; field names are labels, never internal names.
 */
import { t, formatDateTime } from '../i18n.js';
import { h, announce } from './dom.js';
import { confirmDialog } from './shell.js';
import { fieldLabel, problemText, refuseInvalid, showFieldErrors } from './field_errors.js';
import { checkRow, RULES } from '../rules.js';

/** What the row is, in words ("Indsats", "Notat", …). */
export function draftWhat(draft) {
  const key = `drafts.what.${draft.table}`;
  const text = t(key);
  return text === key ? t('drafts.what.other') : text;
}

/**
 * The drafts with a name each for the row, as the person knows it (an item's topic, a plan's
 * title, the start of a note), read from the row on this device or from the draft itself.
 * @param {any} app
 * @param {any[]} drafts
 */
export async function withRowNames(app, drafts) {
  return Promise.all(
    drafts.map(async (d) => {
      const row = (await app.store.get(d.table, d.id)) || d.row || {};
      const source = { ...row, ...(d.fields || {}) };
      const name = source.topic || source.title || source.name || source.text || '';
      return { ...d, name: String(name).split('\n')[0].slice(0, 80) };
    }),
  );
}

/** Where the row is shown, for a link (null when no screen shows it). */
export function draftHref(draft) {
  const c = draft.context || {};
  const f = draft.row || draft.fields || {};
  switch (draft.table) {
    case 'plan_items':
      return `#/items/${draft.id}`;
    case 'plans':
      return `#/plans/${draft.id}`;
    case 'progress_notes':
      return c.plan_id || f.plan_id ? `#/plans/${c.plan_id || f.plan_id}` : null;
    case 'visits':
      return `#/visits/${draft.id}`;
    case 'findings':
    case 'visit_photos':
      return c.visit_id || f.visit_id ? `#/visits/${c.visit_id || f.visit_id}` : null;
    case 'item_comments':
    case 'deadline_extensions':
      return c.item_id || f.item_id ? `#/items/${c.item_id || f.item_id}` : null;
    case 'conflicts':
      return '#/conflicts';
    // The follow-up levels (quality/levels.js): the follow-up's own page, else the section.
    case 'assignment_follow_ups':
    case 'thematic_follow_ups':
      return c.unit_id ? `#/quality/${c.unit_id}/levels/${draft.id}` : null;
    case 'follow_up_deviations':
    case 'thematic_results':
    case 'overall_assessments':
      if (!c.unit_id) return null;
      return `#/quality/${c.unit_id}/levels${f.follow_up_id ? `/${f.follow_up_id}` : ''}`;
    default:
      return c.unit_id ? `#/quality/${c.unit_id}` : null;
  }
}

/** The reason in general words: the PWA's text for a known code, then the server's message. */
export function draftReason(draft) {
  const err = draft.error || {};
  const key = `drafts.code.${err.code}`;
  const own = t(key);
  const parts = [];
  if (own !== key) parts.push(own);
  if (err.message && err.message !== own) parts.push(t('drafts.reason', { message: err.message }));
  return parts.join(' ');
}

/**
 * The reasons by field: where the device's own rules see the problem too, its text (in the
 * person's language); otherwise the server's words for that field. `existing`: the row as the
 * device has it, for checks across fields (an end date against the start).
 * @returns {Record<string, Array<any>>}
 */
export function draftFieldReasons(draft, existing = null) {
  const local = checkRow(draft.table, draft.fields || {}, { create: false, existing });
  /** @type {Record<string, Array<any>>} */
  const out = {};
  for (const [name, reasons] of Object.entries((draft.error && draft.error.fields) || {})) {
    out[name] = local[name] && local[name].length ? local[name] : [].concat(reasons);
  }
  return out;
}

/** Show a draft's reasons at the form's controls (no focus move: the notice comes first). */
export function draftReasons(form, controls, draft, existing = null) {
  return showFieldErrors(form, controls, draftFieldReasons(draft, existing), { focus: false, summary: false });
}

/** The typed texts with their labels, as one text to copy. */
export function draftText(draft) {
  return Object.entries(draft.fields || {})
    .filter(([, v]) => v != null && v !== '' && typeof v !== 'boolean')
    .map(([k, v]) => `${fieldLabel(k)}:\n${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n\n');
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    announce(t('drafts.copied'));
  } catch {
    announce(t('drafts.copy_failed'));
  }
}

/** Ask, then discard. Resolves to whether it was discarded. */
export async function discardWithConfirm(app, draft) {
  const ok = await confirmDialog({
    title: t('drafts.discard'),
    text: t('drafts.discard_text'),
    ok: t('drafts.discard'),
    cancel: t('drafts.keep'),
    danger: true,
  });
  if (!ok) return false;
  await app.store.discardDraft(draft.table, draft.id);
  announce(t('drafts.discarded'));
  return true;
}

/**
 * The notice above a form that shows a draft: what happened, why, and copy / discard. The form's
 * own save button sends the draft again. `onDiscarded` redraws the screen.
 */
export function draftNotice(app, draft, { gone = false, onDiscarded = () => {} } = {}) {
  const text = draftText(draft);
  return h(
    'section',
    { class: 'card notice draft-notice', role: 'alert', 'data-testid': 'draft-notice' },
    h(
      'p',
      {},
      h(
        'strong',
        {},
        draft.op === 'delete'
          ? t('drafts.notice_delete')
          : t(draft.status === 'partial' ? 'drafts.notice_partial' : 'drafts.notice_rejected'),
      ),
    ),
    h('p', { 'data-testid': 'draft-reason' }, draftReason(draft)),
    gone ? h('p', {}, t('drafts.gone')) : null,
    h(
      'div',
      { class: 'actions' },
      text
        ? h(
            'button',
            { type: 'button', class: 'btn', 'data-testid': 'draft-copy', onclick: () => copyText(text) },
            t('drafts.copy'),
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          class: 'btn danger',
          'data-testid': 'draft-discard',
          onclick: async () => {
            if (await discardWithConfirm(app, draft)) onDiscarded();
          },
        },
        t('drafts.discard'),
      ),
    ),
  );
}

/** The small mark on a row (in the plan) that has a draft waiting. */
export function draftMark(draft) {
  return h(
    'a',
    { class: 'draft-mark', href: draftHref(draft) || '#/settings', 'data-testid': 'draft-mark' },
    `⚠ ${t('drafts.badge')}`,
  );
}

/**
 * Every draft in `drafts` as a list: what, when, why, the typed values, and (when no form shows
 * it) resend and discard here. Used by Settings and, for one plan's drafts, by the plan.
 */
export function draftList(app, drafts, { headingId = 'drafts-h', heading = t('drafts.title'), here = false } = {}) {
  return h(
    'section',
    { class: 'card notice draft-notice', 'aria-labelledby': headingId, 'data-testid': 'drafts' },
    h('h2', { id: headingId }, heading),
    h('p', {}, t('drafts.intro')),
    h(
      'ul',
      { class: 'draft-list' },
      drafts.map((d) => draftEntry(app, d, here)),
    ),
  );
}

/**
 * The fields of a draft a person can fix in the list: free text and dates (by sync/rules.json),
 * the ones typed and the ones the server named (a påbud's missing deadline). Ids, times and
 * choices are not typed by hand: they go back as they were.
 */
function fixableFields(draft, reasons) {
  const spec = (RULES.tables && RULES.tables[draft.table]) || { fields: {} };
  const fixable = (name) => {
    const rule = spec.fields && spec.fields[name];
    return Boolean(rule && (rule.type === 'string' || rule.type === 'date') && !rule.choices);
  };
  const fields = draft.fields || {};
  const typed = Object.keys(fields).filter((k) => typeof fields[k] === 'string' && fields[k] !== '');
  return [...new Set([...typed, ...Object.keys(reasons)])].filter(fixable);
}

/** A control for one fixable field, filled with what was typed. */
function fixControl(draft, name, id) {
  const rule = RULES.tables[draft.table].fields[name];
  const value = (draft.fields || {})[name] ?? '';
  if (rule.type === 'date') return h('input', { type: 'date', id, name, value });
  const rows = Math.min(10, Math.max(2, String(value).split('\n').length + 1));
  return h('textarea', { id, name, rows }, value);
}

/** `here`: the list is on the row's own screen, which has no form for it (the row is gone). */
function draftEntry(app, draft, here) {
  const href = draftHref(draft);
  const reasons = draftFieldReasons(draft);
  const title = `${draftWhat(draft)}${draft.op === 'delete' ? ` (${t('drafts.deleted')})` : ''}`;
  // A plan item opens in its form, which resends; the others are fixed and resent from here.
  const hasForm = !here && draft.table === 'plan_items' && draft.op === 'upsert';
  const fixable = !hasForm && draft.op === 'upsert' ? fixableFields(draft, reasons) : [];
  /** @type {Record<string, HTMLElement>} */
  const controls = {};
  const idBase = `draft-${draft.table}-${draft.id}`;
  // Settings is not redrawn by store changes: a handled draft leaves the list by itself.
  const done = () => {
    const list = li.parentElement;
    li.remove();
    if (list && !list.children.length) list.closest('section')?.remove();
  };
  const fixFields = fixable.map((name) => {
    const id = `${idBase}-${name}`;
    const control = fixControl(draft, name, id);
    controls[name] = control;
    return h('div', { class: 'field' }, h('label', { for: id }, fieldLabel(name)), control);
  });
  // What the fields say now: the typed values as the person has fixed them so far.
  const current = () => ({
    ...(draft.fields || {}),
    ...Object.fromEntries(
      Object.entries(controls).map(([name, c]) => {
        const value = /** @type {HTMLInputElement} */ (c).value;
        return [name, value === '' && c.tagName === 'INPUT' ? null : value];
      }),
    ),
  });
  const resend = async () => {
    const values = current();
    if (fixable.length) {
      const existing = (await app.store.get(draft.table, draft.id)) || null;
      const create = Boolean(draft.create && !existing);
      const all = create ? { ...(draft.row || {}), ...values } : values;
      if (refuseInvalid(li, controls, draft.table, all, { existing, create })) return;
    }
    if (await app.store.resendDraft(draft.table, draft.id, fixable.length ? values : undefined)) {
      announce(t('saving.local'));
      app.sync.requestSoon();
      done();
    } else announce(t('drafts.gone'));
  };
  const li = h(
    'li',
    { 'data-testid': 'draft', 'data-table': draft.table, 'data-id': draft.id },
    h(
      'p',
      {},
      href ? h('a', { href }, h('strong', {}, title)) : h('strong', {}, title),
      draft.name ? `: ${draft.name}` : '',
      ' – ',
      t('drafts.at', { time: formatDateTime(draft.at) }),
    ),
    h('p', {}, draftReason(draft)),
    Object.entries(draft.fields || {})
      .filter(([k, v]) => typeof v === 'string' && v !== '' && !fixable.includes(k))
      .map(([k, v]) =>
        h(
          'div',
          {},
          h('strong', {}, fieldLabel(k)),
          reasons[k] ? h('p', { class: 'field-error' }, reasons[k].map(problemText).join(' ')) : null,
          h('p', { class: 'draft-value' }, v),
        ),
      ),
    fixFields,
    Object.keys(reasons)
      .filter((k) => typeof (draft.fields || {})[k] !== 'string' && !fixable.includes(k))
      .map((k) => h('p', { class: 'field-error' }, `${fieldLabel(k)}: ${reasons[k].map(problemText).join(' ')}`)),
    h(
      'div',
      { class: 'actions' },
      hasForm && href ? h('a', { class: 'btn primary', href }, t('drafts.open')) : null,
      hasForm
        ? null
        : h(
            'button',
            { type: 'button', class: 'btn', 'data-testid': 'draft-resend', onclick: resend },
            draft.op === 'delete' ? t('drafts.resend_delete') : t('drafts.resend'),
          ),
      draftText(draft)
        ? h(
            'button',
            { type: 'button', class: 'btn', onclick: () => copyText(draftText({ ...draft, fields: current() })) },
            t('drafts.copy'),
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          class: 'btn danger',
          'data-testid': 'draft-discard',
          onclick: async () => {
            if (await discardWithConfirm(app, draft)) done();
          },
        },
        t('drafts.discard'),
      ),
    ),
  );
  // The server's reasons at the fields they name, as the item form shows them.
  if (fixable.length) showFieldErrors(li, controls, pick(reasons, fixable), { focus: false, summary: false });
  return li;
}

function pick(reasons, names) {
  return Object.fromEntries(Object.entries(reasons).filter(([k]) => names.includes(k)));
}
