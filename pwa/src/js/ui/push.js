/**
 * The notifications card of the settings screen: on/off for this device, then (online) which
 * kinds and quiet hours, stored on the server for every device of the user.
 */
import { t } from '../i18n.js';
import { h, field, announce } from './dom.js';
import { pushPermission, currentSubscription, enablePush, disablePush, NOTIFICATION_KINDS } from '../push.js';

function errorText(err) {
  if (err && err.code === 'blocked') return t('push.blocked');
  if (err && err.code === 'unsupported') return t('push.unsupported');
  if (err && err.code === 'network') return t('push.online_only');
  return t('push.error');
}

export async function pushSection(app) {
  const permission = pushPermission();
  const section = h(
    'section',
    { class: 'card', 'aria-labelledby': 'push-h', 'data-testid': 'push-settings' },
    h('h2', { id: 'push-h' }, t('push.title')),
    h('p', { class: 'muted' }, t('push.intro')),
  );
  if (permission === 'unsupported') {
    section.append(h('p', {}, t('push.unsupported')));
    return section;
  }
  const saved = await app.store.getMeta('push');
  const subscription = await currentSubscription().catch(() => null);
  const on = Boolean(saved && subscription);
  const status = h('p', { 'data-testid': 'push-status' }, on ? t('push.on') : t('push.off'));
  const error = h('p', { class: 'error', role: 'alert' });
  const toggle = h('input', {
    type: 'checkbox',
    name: 'push',
    checked: on,
    disabled: !app.online(),
    'data-online-only': true,
    'data-testid': 'push-toggle',
  });
  toggle.addEventListener('change', async () => {
    const wanted = toggle.checked;
    toggle.disabled = true;
    error.textContent = '';
    try {
      if (wanted) await enablePush(app);
      else await disablePush(app);
      status.textContent = wanted ? t('push.on') : t('push.off');
      announce(status.textContent);
      prefs.hidden = !wanted;
      if (wanted) fillPreferences(app, prefs);
    } catch (err) {
      console.warn('push', err && err.code);
      toggle.checked = !wanted;
      error.textContent = errorText(err);
    } finally {
      toggle.disabled = !app.online();
    }
  });
  const prefs = h('div', { 'data-testid': 'push-preferences', hidden: !on });
  // append() would print a null as text: leave absent parts out.
  section.append(
    ...[
      h('label', { class: 'check' }, toggle, t('push.device')),
      status,
      permission === 'denied' ? h('p', { class: 'hint' }, t('push.blocked')) : null,
      h('p', { class: 'muted', 'data-online-note': true, hidden: app.online() }, t('push.online_only')),
      error,
      prefs,
    ].filter(Boolean),
  );
  if (on) fillPreferences(app, prefs);
  return section;
}

const timezone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Copenhagen';

/** Per-kind switches and quiet hours, read from and saved to the server. */
async function fillPreferences(app, box) {
  if (!app.online()) {
    box.replaceChildren(h('p', { class: 'muted' }, t('push.prefs_offline')));
    return;
  }
  let current;
  try {
    current = await app.api.pushPreferences();
  } catch {
    box.replaceChildren(h('p', { class: 'muted' }, t('push.prefs_offline')));
    return;
  }
  const boxes = NOTIFICATION_KINDS.map((kind) =>
    h('input', {
      type: 'checkbox',
      name: `kind-${kind}`,
      value: kind,
      checked: current.kinds ? current.kinds[kind] !== false : true,
    }),
  );
  const quiet = current.quiet_hours;
  const quietOn = h('input', { type: 'checkbox', name: 'quiet', checked: Boolean(quiet) });
  const start = h('input', { type: 'time', name: 'quiet_start', value: quiet ? quiet.start : '22:00' });
  const end = h('input', { type: 'time', name: 'quiet_end', value: quiet ? quiet.end : '07:00' });
  const times = h(
    'div',
    { class: 'quiet-times', hidden: !quiet },
    field(t('push.quiet_start'), start),
    field(t('push.quiet_end'), end),
  );
  quietOn.addEventListener('change', () => {
    times.hidden = !quietOn.checked;
  });
  const tz = timezone();
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { 'data-testid': 'push-preferences-form' },
    h(
      'fieldset',
      {},
      h('legend', {}, t('push.kinds')),
      NOTIFICATION_KINDS.map((kind, i) => h('label', { class: 'check' }, boxes[i], t(`push.kind.${kind}`))),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('push.quiet')),
      h('label', { class: 'check' }, quietOn, t('push.quiet_on')),
      times,
      h('p', { class: 'hint' }, t('push.quiet_hint', { tz })),
    ),
    error,
    h('button', { type: 'submit', class: 'btn', 'data-online-only': true }, t('push.save')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const body = {
      kinds: Object.fromEntries(NOTIFICATION_KINDS.map((kind, i) => [kind, boxes[i].checked])),
      quiet_hours: quietOn.checked && start.value && end.value ? { start: start.value, end: end.value } : null,
      timezone: tz,
    };
    try {
      await app.api.savePushPreferences(body);
      announce(t('push.saved'));
    } catch (err) {
      error.textContent = err.code === 'network' ? t('push.prefs_offline') : err.message || t('push.error');
    }
  });
  box.replaceChildren(form);
}
