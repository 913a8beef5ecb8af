/**
 * The dialogue between the unit and the inspectorate on a plan: the plan's own thread (under the
 * plan table) and one thread per row (under the row, and on the item screen). Read from the
 * store and written through it like progress notes: a message is saved on the device with an
 * outbox entry and reaches the server at the next sync, offline too. Each message shows who
 * wrote it ("Tilsynsførende Karin Dahl" or the name) and when; the two sides look different.
 * The rules are in thread_model.js.
 */
import { t, localeTag } from '../i18n.js';
import { h, lines, field, announce } from './dom.js';
import { MESSAGE_TEXT, authorLabel, mayWrite, messageDate, sideOf, threadsOf } from './thread_model.js';

// The row threads the user has opened, kept open when the live plan screen redraws.
const openRows = new Set();

/** Every message of a plan (its own thread and its rows'), split by thread. */
export async function planThreads(app, planId) {
  return threadsOf(await app.store.where('plan_messages', 'plan_id', planId));
}

/**
 * One thread: its messages and, for someone who may write, a form.
 * @param {any} app
 * @param {{plan: any, itemId?: string | null, messages: any[], collapsed?: boolean, onSaved?: () => void}} options
 *   `collapsed`: inside a closed <details> (a row of the plan table); `onSaved`: what to do
 *   after a message is saved on a screen that does not redraw itself.
 */
export function threadView(app, { plan, itemId = null, messages, collapsed = false, onSaved }) {
  const roles = app.roleIn(plan.unit_id);
  const list = messages.length
    ? h(
        'ol',
        { class: 'thread-messages' },
        messages.map((m) => messageView(app, m)),
      )
    : h('p', { class: 'muted' }, t('thread.none'));
  const form = mayWrite(roles, plan.state) ? messageForm(app, plan, itemId, roles, onSaved) : null;
  const testid = itemId ? 'item-thread' : 'plan-thread';
  if (collapsed) {
    const details = h(
      'details',
      { class: 'thread', 'data-testid': testid, open: openRows.has(itemId) || null },
      h('summary', {}, t('thread.summary', { n: messages.length })),
      list,
      form,
    );
    details.addEventListener('toggle', () => {
      if (details.open) openRows.add(itemId);
      else openRows.delete(itemId);
    });
    return details;
  }
  return h(
    'section',
    { class: 'card thread', 'data-testid': testid },
    h('h2', {}, t(itemId ? 'thread.item_title' : 'thread.plan_title')),
    list,
    form || (plan.state === 'archived' ? h('p', { class: 'muted' }, t('thread.closed')) : null),
  );
}

/** A row's thread on the item screen, which does not redraw itself: drawn again after a save. */
export async function itemThreadSection(app, plan, item) {
  const { byItem } = await planThreads(app, plan.id);
  const again = () => app.navigate(`#/items/${item.id}`);
  return threadView(app, { plan, itemId: item.id, messages: byItem.get(item.id) || [], onSaved: again });
}

function messageView(app, message) {
  const inspectorate = message.side === 'inspectorate';
  const author = authorLabel(message, app.userName(message.author_id), t('thread.inspector'));
  return h(
    'li',
    {
      class: `message ${inspectorate ? 'from-inspectorate' : 'from-provider'}`,
      'data-testid': 'message',
      'data-side': message.side,
    },
    h(
      'p',
      { class: 'message-meta' },
      h('span', { class: 'sr-only' }, `${t(inspectorate ? 'thread.from_inspectorate' : 'thread.from_provider')}: `),
      h('strong', { 'data-testid': 'message-author' }, author),
      ' · ',
      h('time', { datetime: message.created_at }, messageDate(message.created_at, new Date(), localeTag())),
    ),
    h('div', { class: 'message-body' }, lines(message.body)),
  );
}

function messageForm(app, plan, itemId, roles, onSaved) {
  const body = h('textarea', {
    name: 'body',
    rows: 3,
    required: true,
    maxlength: MESSAGE_TEXT,
    'data-testid': 'message-body',
  });
  // data-draft: a redraw of the live plan screen keeps what is being typed (main.js watchDrafts).
  const form = h(
    'form',
    { class: 'thread-form no-print', 'data-draft': 'empty' },
    field(t('thread.new'), body, t('thread.new_help')),
    h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'send-message' }, t('thread.send')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = body.value.trim();
    if (!text) return body.focus();
    form.dataset.draft = 'empty';
    await app.store.create('plan_messages', {
      plan_id: plan.id,
      item_id: itemId,
      unit_id: plan.unit_id,
      body: text,
      author_id: app.user.id,
      side: sideOf(roles),
      created_at: new Date().toISOString(),
    });
    body.value = '';
    announce(app.online() ? t('thread.sent') : t('thread.saved_offline'));
    app.sync.requestSoon();
    if (onSaved) onSaved();
  });
  return form;
}
