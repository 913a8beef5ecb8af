/** The frame around every screen: skip link, header, navigation, sync state, update prompt. */
import { t, formatDateTime } from '../i18n.js';
import { h } from './dom.js';
import { isAdmin } from './admin_access.js';

/**
 * What the sync bar says, from the sync state: its words, its colour, and what is owed to the
 * server (`owed`: saves not yet in the outbox plus outbox entries). "Synkroniseret" only when
 * nothing is owed, nothing refused waits, and no run is under way; a save asked for a moment
 * ago says "Gemmer …" from the click on, before its code has even loaded.
 * @param {{phase: string, pending: number, writing?: number, drafts?: number, error?: any}} state
 */
export function describeSyncState(state) {
  const parts = [];
  let tone = 'ok';
  const writing = state.writing || 0;
  const owed = state.pending + writing;
  if (state.phase === 'offline') {
    parts.push(t('sync.offline'));
    tone = 'warn';
  } else if (state.phase === 'syncing') {
    parts.push(t('sync.syncing'));
  } else if (state.phase === 'auth') {
    parts.push(t('sync.auth'));
    tone = 'bad';
  }
  if (writing > 0) parts.push(t('sync.saving'));
  if (state.pending > 0) parts.push(t('sync.pending', { n: state.pending }));
  if (state.phase === 'error' && state.error) {
    const key = `sync.error.${state.error.code}`;
    const text = t(key);
    parts.push(text === key ? t('sync.error.generic') : text);
    tone = 'bad';
  } else if (state.phase === 'offline' && state.error && state.error.code === 'network') {
    parts.push(t('sync.error.network'));
  }
  // Never "Synkroniseret" in green while something the server refused waits for the person.
  const drafts = state.drafts || 0;
  if (state.phase === 'idle' && owed === 0 && !drafts) parts.push(t('sync.idle'));
  if (drafts && tone === 'ok') tone = 'warn';
  return { text: parts.join(' · '), tone, owed, writing, drafts };
}

export function renderSyncState(el, state, { onSyncNow }) {
  const { text, tone, owed, writing, drafts } = describeSyncState(state);
  const last = state.lastSyncedAt ? t('sync.last', { time: formatDateTime(state.lastSyncedAt) }) : t('sync.never');
  el.replaceChildren(
    ...[
      h('span', { class: `sync-dot ${tone}`, 'aria-hidden': 'true' }),
      h(
        'span',
        {
          class: 'sync-text',
          'data-testid': 'sync-state',
          'data-phase': state.phase,
          // What is on its way to the server, saves not yet in the outbox included: a test
          // waiting for "0" waits for the server to have it.
          'data-pending': owed,
          'data-writing': writing,
          'data-last': state.lastSyncedAt || '',
          'data-drafts': drafts,
        },
        text,
      ),
      h('span', { class: 'sync-last' }, last),
      drafts
        ? h(
            'a',
            { href: '#/settings', class: 'sync-drafts', 'data-testid': 'sync-drafts' },
            t('drafts.waiting', { n: drafts }),
          )
        : null,
      h(
        'button',
        { type: 'button', class: 'btn small', onclick: onSyncNow, disabled: state.phase === 'syncing' },
        t('sync.now'),
      ),
    ].filter(Boolean),
  );
  el.dataset.phase = state.phase;
}

export function renderShell(root, { user, conflicts }) {
  // replaceChildren() would print a null as text: leave absent parts out.
  root.replaceChildren(
    ...[
      // The hash is the router's, so the skip link moves focus itself instead of navigating.
      h(
        'a',
        {
          class: 'skip',
          href: '#main',
          onclick: (ev) => {
            ev.preventDefault();
            document.getElementById('main').focus();
          },
        },
        t('app.skip'),
      ),
      h(
        'header',
        { class: 'top' },
        h('a', { class: 'brand', href: '#/units' }, t('app.name')),
        user ? navigation(user, conflicts) : null,
      ),
      h('div', { id: 'update', class: 'update', hidden: true }),
      user ? h('section', { id: 'sync', class: 'sync', 'aria-label': t('sync.region'), 'aria-live': 'polite' }) : null,
      h('main', { id: 'main', tabindex: '-1' }),
      h('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite' }),
    ].filter(Boolean),
  );
}

function navigation(user, conflicts) {
  return h(
    'nav',
    { 'aria-label': t('nav.label') },
    h('a', { href: '#/units' }, t('nav.units')),
    h(
      'a',
      { href: '#/conflicts' },
      t('nav.conflicts'),
      conflicts
        ? h('span', { class: 'badge', 'aria-label': t('conflicts.count', { n: conflicts }) }, String(conflicts))
        : null,
    ),
    isAdmin(user) ? h('a', { href: '#/admin', 'data-testid': 'admin-link' }, t('admin.nav')) : null,
    h('a', { href: '#/settings' }, t('nav.settings')),
  );
}

/** Draw the navigation again for `user` (their roles changed), leaving the rest in place;
 * a link that had focus keeps it. The caller marks the current page again. */
export function renderNavigation(user) {
  const current = document.querySelector('header.top nav');
  if (!current) return;
  const badge = current.querySelector('.badge');
  const focused = current.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
  const next = navigation(user, badge ? Number(badge.textContent) : 0);
  current.replaceWith(next);
  const again = focused && next.querySelector(`a[href="${focused}"]`);
  if (again) again.focus();
}

export function showUpdatePrompt(onReload) {
  const el = document.getElementById('update');
  if (!el) return;
  el.replaceChildren(
    h('p', {}, t('update.ready')),
    h('button', { type: 'button', class: 'btn primary', onclick: onReload }, t('update.reload')),
  );
  el.hidden = false;
}

/** A modal dialog; resolves with the value of the button pressed (or null on Escape). */
export function confirmDialog({ title, text, ok, cancel, danger = false }) {
  return new Promise((resolve) => {
    const titleId = `dlg-${Date.now()}`;
    const dlg = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      h('p', {}, text),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'btn', value: 'cancel', onclick: () => dlg.close('cancel') }, cancel),
        h(
          'button',
          { type: 'button', class: `btn ${danger ? 'danger' : 'primary'}`, onclick: () => dlg.close('ok') },
          ok,
        ),
      ),
    );
    dlg.addEventListener('close', () => {
      dlg.remove();
      resolve(dlg.returnValue === 'ok');
    });
    document.body.append(dlg);
    dlg.showModal();
  });
}
