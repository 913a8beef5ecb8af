/** Language, notifications, storage on the device, changes waiting for the person, and logging out. */
import { t, LANGUAGES, language, formatBytes } from '../i18n.js';
import { h, field } from './dom.js';
import { pushSection } from './push.js';
import { draftList, withRowNames } from './drafts.js';

export async function settingsView(app) {
  const select = h(
    'select',
    { name: 'language' },
    LANGUAGES.map((l) => h('option', { value: l, selected: l === language(), lang: l }, t(`lang.${l}`))),
  );
  select.addEventListener('change', () => app.setLanguage(select.value));

  const storage = h('div', { 'data-testid': 'storage' });
  const fillStorage = async () => {
    const est = navigator.storage && navigator.storage.estimate ? await navigator.storage.estimate() : null;
    const persisted = navigator.storage && navigator.storage.persisted ? await navigator.storage.persisted() : false;
    storage.replaceChildren(
      ...[
        est ? h('p', {}, t('settings.usage', { used: formatBytes(est.usage), quota: formatBytes(est.quota) })) : null,
        h('p', {}, persisted ? t('settings.persisted') : t('settings.not_persisted')),
        !persisted && navigator.storage && navigator.storage.persist
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn',
                onclick: async () => {
                  await navigator.storage.persist();
                  fillStorage();
                },
              },
              t('settings.persist'),
            )
          : null,
      ].filter(Boolean),
    );
  };
  fillStorage();

  // First on the page: the sync bar's "venter på dig" links here.
  const drafts = await withRowNames(app, await app.store.listDrafts());
  const notifications = await pushSection(app);
  return {
    title: t('settings.title'),
    node: h(
      'div',
      {},
      h('h1', { tabindex: '-1' }, t('settings.title')),
      h('p', {}, t('settings.user', { name: `${app.user.name} (${app.user.email})` })),
      drafts.length ? draftList(app, drafts.slice().reverse()) : null,
      h('section', { class: 'card' }, field(t('settings.language'), select)),
      notifications,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'storage-h' },
        h('h2', { id: 'storage-h' }, t('settings.storage')),
        storage,
      ),
      h(
        'p',
        {},
        h(
          'button',
          { type: 'button', class: 'btn danger', 'data-testid': 'logout', onclick: () => app.logout() },
          t('settings.logout'),
        ),
      ),
    ),
  };
}
