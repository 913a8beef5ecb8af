/**
 * The quality model in a plan's header: which catalogue version the plan is written under,
 * its legal source, and whether its dates have one. While the plan is a draft a manager may
 * pick another version of the same catalogue; that is an online step (PATCH /api/plans/{id}),
 * because the server moves every row's theme and criterion to the new version, or names the
 * row whose theme that version lacks.
 */
import { t, formatDate } from '../i18n.js';
import { h, announce } from './dom.js';
import { catalogueName, versionsFor } from './catalogue_model.js';

export async function catalogueSection(app, plan, manager) {
  const catalogues = await app.store.all('catalogues');
  const current = catalogues.find((c) => c.id === plan.catalogue_id) || null;
  const dates = current
    ? `${formatDate(current.valid_from)} – ${current.valid_to ? formatDate(current.valid_to) : ''}`.trim()
    : '';
  const versions = versionsFor(catalogues, plan.kind);
  const canChange = manager && plan.state === 'draft' && versions.length > 1;
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'catalogue-error' });
  let picker = null;
  if (canChange) {
    const select = h(
      'select',
      { name: 'catalogue_id', 'data-testid': 'plan-catalogue-choice', 'aria-label': t('plan.catalogue_change') },
      versions.map((c) => h('option', { value: c.id, selected: c.id === plan.catalogue_id }, catalogueName(c))),
    );
    const button = h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        disabled: !app.online(),
        'data-online-only': true,
        'data-testid': 'plan-catalogue-change',
        onclick: async () => {
          // Done: folded again before the redraw (which keeps folds as they are) draws it.
          if (await changeCatalogue(app, plan, select.value, error)) picker.open = false;
        },
      },
      t('plan.catalogue_change'),
    );
    // Folded: changing the version is a rare step of a draft, and the header stays short.
    picker = h(
      'details',
      { class: 'catalogue-change no-print' },
      h('summary', { 'data-testid': 'plan-catalogue-open' }, t('plan.catalogue_change')),
      select,
      button,
      h('span', { class: 'muted' }, t('plan.catalogue_draft_only')),
      h('span', { class: 'muted', 'data-online-note': true, hidden: app.online() }, t('plan.online_only')),
    );
  }
  return h(
    'div',
    { 'data-testid': 'plan-catalogue' },
    h('dt', {}, t('plan.catalogue')),
    h(
      'dd',
      {},
      h('span', { 'data-testid': 'plan-catalogue-name' }, catalogueName(current)),
      dates ? h('span', { class: 'muted' }, ` · ${dates}`) : null,
      current && !current.dates_source ? h('span', { class: 'muted' }, ` (${t('plan.catalogue_unsourced')})`) : null,
      current && current.source ? h('small', { class: 'muted catalogue-source' }, current.source) : null,
      picker,
      error,
    ),
  );
}

async function changeCatalogue(app, plan, catalogueId, error) {
  error.textContent = '';
  if (!catalogueId || catalogueId === plan.catalogue_id) return false;
  try {
    const saved = await app.api.updatePlan(plan.id, { catalogue_id: catalogueId });
    const { version, ...rest } = saved;
    await app.store.putServerRow('plans', saved.id, version, rest);
    announce(t('plan.catalogue_changed'));
    // The rows' themes moved on the server: the next pull brings them.
    app.sync.run('catalogue');
    return true;
  } catch (err) {
    const reasons = err.fields && err.fields.catalogue_id;
    error.textContent = (reasons && reasons.join(' ')) || err.message || t('sync.error.generic');
    return false;
  }
}
