/**
 * The conflicts inbox. For each field two devices changed: the value before, theirs and mine,
 * and a choice. Resolving is an ordinary edit of the conflict row (status, resolution,
 * resolved_value), sent through the outbox like any other change.
 *
 * "Mine" is the side this user wrote: the device's value if the conflict was raised by this
 * user's push, the server's value otherwise. The resolution sent is always in the server's terms
 * ("server" keeps the server value, "client" takes the pushing device's value).
 */
import { t, formatDate, formatDateTime } from '../i18n.js';
import { h, field, announce } from './dom.js';

function show(value) {
  if (value == null || value === '') return '—';
  if (Array.isArray(value)) return value.map((v) => v.name || v.user_id || JSON.stringify(v)).join(', ');
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// Deleted rows the server can bring back with an edit made meanwhile.
const RESTORABLE = new Set(['plan_items']);

// Coded values said in words: a finding's kind, a visit's purpose.
const CODED = { findings: { kind: 'finding_kind' }, visits: { purpose: 'visit_purpose' } };

function showValue(c, value) {
  const block = CODED[c.table_name]?.[c.field];
  return block && typeof value === 'string' ? t(`${block}.${value}`) : show(value);
}

/** The other side's author and time: the server's writer if I pushed, else the pusher. */
function whoAndWhen(app, c, iAmClient) {
  const [userId, at] = iAmClient ? [c.server_user_id, c.server_changed_at] : [c.user_id, c.detected_at];
  const who = userId ? app.userName(userId) : t('conflicts.someone');
  return at ? t('conflicts.by_at', { who, time: formatDateTime(at) }) : who;
}

export async function conflictsView(app) {
  const conflicts = (await app.store.listOpenConflicts()).sort((a, b) =>
    String(b.detected_at || '').localeCompare(String(a.detected_at || '')),
  );
  const cards = await Promise.all(
    conflicts.map(async (c) => {
      const row = c.table_name ? await app.store.get(c.table_name, c.row_id) : null;
      const iAmClient = c.user_id === app.user.id;
      const mine = iAmClient ? c.client_value : c.server_value;
      const theirs = iAmClient ? c.server_value : c.client_value;
      const custom = h('textarea', { rows: 2, name: 'custom' }, show(mine) === '—' ? '' : String(mine ?? ''));
      const fieldName = c.field ? t(`field.${c.field}`) : '';
      // What the row is to a person: a plan item's topic, a plan's title, a finding's text, a visit's date.
      const context = row
        ? row.topic ||
          row.title ||
          row.text ||
          (row.visit_date ? `${t('visits.visit')} ${formatDate(row.visit_date)}` : '')
        : '';
      const resolve = async (resolution, value) => {
        // resolved_value is only meaningful (and only sent) for a custom value.
        const fields = { status: 'resolved', resolution };
        if (resolution === 'custom') fields.resolved_value = value;
        await app.store.update('conflicts', c.id, fields);
        // Show the chosen value at once; the pull after the push brings the server's word.
        if (row && c.field && c.kind !== 'delete_edit')
          await app.store.patchLocal(c.table_name, c.row_id, { [c.field]: value });
        announce(t('conflicts.resolved'));
        app.sync.requestSoon();
      };
      const keepTheirs = () => resolve(iAmClient ? 'server' : 'client', theirs);
      const keepMine = () => resolve(iAmClient ? 'client' : 'server', mine);
      const headingId = `conflict-${c.id}`;
      return h(
        'article',
        {
          class: 'card conflict',
          'data-testid': 'conflict',
          'data-field': c.field || '',
          'aria-labelledby': headingId,
        },
        h('h2', { id: headingId }, `${t('conflicts.field')}: ${fieldName}`, context ? ` – ${context}` : ''),
        c.kind === 'delete_edit' ? h('p', { class: 'notice' }, t('conflicts.row_deleted')) : null,
        c.detected_at ? h('p', { class: 'muted' }, formatDateTime(c.detected_at)) : null,
        h(
          'dl',
          { class: 'conflict-values' },
          h(
            'div',
            {},
            h('dt', {}, t('conflicts.before')),
            h('dd', { 'data-testid': 'before' }, showValue(c, c.base_value)),
          ),
          h(
            'div',
            {},
            h('dt', {}, t('conflicts.theirs')),
            h('dd', { 'data-testid': 'theirs' }, showValue(c, theirs)),
            // Whose value "theirs" is, and when it was written (docs/sync-protocol.md §6.3).
            h('dd', { class: 'muted', 'data-testid': 'theirs-by' }, whoAndWhen(app, c, iAmClient)),
          ),
          h('div', {}, h('dt', {}, t('conflicts.mine')), h('dd', { 'data-testid': 'mine' }, showValue(c, mine))),
        ),
        // A deleted row stays deleted unless someone brings it back with the edit ("restore",
        // plan items only); otherwise the conflict is closed keeping the server's word.
        c.kind === 'delete_edit'
          ? h(
              'div',
              { class: 'actions' },
              h(
                'button',
                { type: 'button', class: 'btn', onclick: () => resolve('server', null) },
                t('conflicts.acknowledge'),
              ),
              RESTORABLE.has(c.table_name)
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn primary',
                      'data-testid': 'restore',
                      onclick: () => resolve('restore', null),
                    },
                    t('conflicts.restore'),
                  )
                : null,
            )
          : h(
              'div',
              { class: 'actions' },
              h(
                'button',
                { type: 'button', class: 'btn', onclick: keepTheirs, 'data-testid': 'keep-theirs' },
                t('conflicts.keep_theirs'),
              ),
              h(
                'button',
                { type: 'button', class: 'btn primary', onclick: keepMine, 'data-testid': 'keep-mine' },
                t('conflicts.keep_mine'),
              ),
            ),
        c.kind !== 'delete_edit' && typeof (mine ?? theirs ?? '') === 'string'
          ? h(
              'details',
              {},
              h('summary', {}, t('conflicts.custom')),
              field(t('conflicts.custom'), custom),
              h(
                'button',
                { type: 'button', class: 'btn', onclick: () => resolve('custom', custom.value) },
                t('conflicts.use_custom'),
              ),
            )
          : null,
      );
    }),
  );
  return {
    title: t('conflicts.title'),
    live: true,
    node: h(
      'div',
      {},
      h('h1', { tabindex: '-1' }, t('conflicts.title')),
      cards.length ? h('p', {}, t('conflicts.intro')) : h('p', { 'data-testid': 'no-conflicts' }, t('conflicts.none')),
      cards,
    ),
  };
}
