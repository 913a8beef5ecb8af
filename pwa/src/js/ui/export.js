/** Managers: items across the plans they can see, as CSV or XLSX, filtered by unit, state and
 * overdue (GET /api/items/export.csv|xlsx). */
import { t, language } from '../i18n.js';
import { h, field } from './dom.js';
import { exportQuery, ITEM_STATES } from '../files.js';
import { downloadButton } from './documents.js';

export async function exportView(app, unitId = null) {
  const units = (await app.store.listUnits()).filter((u) => app.isManager(u.id));
  const unit = h(
    'select',
    { name: 'unit_id' },
    h('option', { value: '' }, t('documents.all_units')),
    units.map((u) => h('option', { value: u.id, selected: u.id === unitId }, u.name)),
  );
  const state = h(
    'select',
    { name: 'state' },
    h('option', { value: '' }, t('documents.all_states')),
    ITEM_STATES.map((s) => h('option', { value: s }, t(`item_state.${s}`))),
  );
  const overdue = h('input', { type: 'checkbox', name: 'overdue' });
  const message = h('p', { class: 'error', role: 'alert', 'data-testid': 'download-error' });
  const query = () =>
    exportQuery({ lang: language(), unitId: unit.value, state: state.value, overdue: overdue.checked });
  return {
    title: t('documents.export_title'),
    node: h(
      'div',
      { 'data-testid': 'export' },
      h('p', {}, h('a', { href: '#/units' }, `← ${t('nav.units')}`)),
      h('h1', { tabindex: '-1' }, t('documents.export_title')),
      h('p', {}, t('documents.export_intro')),
      h(
        'form',
        { class: 'card', onsubmit: (ev) => ev.preventDefault() },
        field(t('documents.unit'), unit),
        field(t('documents.state'), state),
        h('label', { class: 'check' }, overdue, t('documents.overdue_only')),
        h(
          'div',
          { class: 'actions' },
          downloadButton(app, {
            label: t('documents.csv'),
            testid: 'export-csv',
            path: () => `/api/items/export.csv${query()}`,
            fallbackName: 'items.csv',
            message,
          }),
          downloadButton(app, {
            label: t('documents.xlsx'),
            testid: 'export-xlsx',
            path: () => `/api/items/export.xlsx${query()}`,
            fallbackName: 'items.xlsx',
            message,
          }),
        ),
        h('p', { class: 'muted', 'data-online-note': true, hidden: app.online() }, t('documents.offline')),
        message,
      ),
    ),
  };
}
