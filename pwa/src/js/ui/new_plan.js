/** Creating a plan: a screen of its own chunk (main.js), so that the first screen loads neither
 * its form nor the template's words (template_labels.js) nor the catalogue versions. */
import { t } from '../i18n.js';
import { h, field, announce } from './dom.js';
import { defaultVariant, layoutFor, variantsFor } from '../template_labels.js';
import { catalogueName, planCatalogue, versionsFor } from './catalogue_model.js';
import { today } from './units.js';

// The form's checks (and the rules they read) load with the first submit.
const fieldErrors = () => import('./field_errors.js');

// Which plan kinds fit which unit kinds (mirrors server/services/plans.py UNIT_KINDS_FOR_PLAN).
export const KINDS_FOR_UNIT = {
  dk_tilbud: ['dk_tilbud'],
  dk_afdeling: ['dk_tilbud'],
  dk_plejefamilie: ['dk_plejefamilie'],
  se_verksamhet: ['se_handlingsplan'],
  se_enhet: ['se_handlingsplan'],
};
const KINDS = ['dk_tilbud', 'dk_plejefamilie', 'se_handlingsplan'];
const ORIGINS = ['inspection', 'paabud', 'anbefaling', 'own_initiative'];

export async function newPlanView(app, unitId) {
  const unit = await app.store.get('units', unitId);
  const kinds = (unit && KINDS_FOR_UNIT[unit.kind]) || KINDS;
  const kind = h(
    'select',
    { name: 'kind' },
    kinds.map((k) => h('option', { value: k }, t(`kind.${k}`))),
  );
  const title = h('input', { name: 'title', required: true, maxlength: 200 });
  const planDate = h('input', { name: 'plan_date', type: 'date', value: today() });
  const filledInBy = h('input', { name: 'filled_in_by', maxlength: 200, value: app.user.name || '' });
  const manager = h('input', { name: 'responsible_manager', maxlength: 200, value: app.user.name || '' });
  const foster = h('textarea', { name: 'foster_parents', rows: 2, maxlength: 500 });
  const origin = h(
    'select',
    { name: 'origin' },
    ORIGINS.map((o) => h('option', { value: o }, t(`origin.${o}`))),
  );
  const inspectionDate = h('input', { name: 'inspection_date', type: 'date' });
  // The last column's variants the kind's template has (plan_columns.json), its default first,
  // as the server defaults to.
  const resultLabel = h('select', { name: 'result_label', 'data-testid': 'result-label' });
  const fillVariants = () => {
    resultLabel.replaceChildren(
      ...variantsFor(kind.value).map((variant) =>
        h(
          'option',
          { value: variant },
          t(`template.${layoutFor({ kind: kind.value, result_label: variant })}.result.heading`),
        ),
      ),
    );
  };
  // KVALITETSMODEL: the catalogue version, by default the one in force on the inspection date
  // (else the plan date), as the server picks it; the manager may choose another.
  const catalogues = await app.store.all('catalogues');
  const catalogue = h('select', { name: 'catalogue_id', 'data-testid': 'new-plan-catalogue' });
  const fillCatalogues = () => {
    const chosen = catalogue.value;
    const auto = planCatalogue(catalogues, kind.value, {
      inspectionDate: inspectionDate.value || null,
      planDate: planDate.value || today(),
    });
    catalogue.replaceChildren(
      h('option', { value: '' }, t('plan.catalogue_auto', { name: auto ? catalogueName(auto) : '–' })),
      ...versionsFor(catalogues, kind.value).map((c) =>
        h('option', { value: c.id, selected: c.id === chosen }, catalogueName(c)),
      ),
    );
  };
  const fosterField = field(t('plan.foster_parents'), foster);
  const managerField = field(t('plan.responsible_manager'), manager);
  const resultField = field(t('plan.result_label'), resultLabel);
  const catalogueField = field(t('plan.catalogue'), catalogue);
  const syncKind = () => {
    const foster = kind.value === 'dk_plejefamilie';
    fosterField.hidden = !foster;
    managerField.hidden = foster;
    fillVariants();
    resultField.hidden = variantsFor(kind.value).length < 2;
    fillCatalogues();
  };
  kind.addEventListener('change', syncKind);
  planDate.addEventListener('change', fillCatalogues);
  inspectionDate.addEventListener('change', fillCatalogues);
  syncKind();
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'new-plan', novalidate: true },
    field(t('plan.kind'), kind),
    field(t('plan.title'), title),
    field(t('plan.date'), planDate),
    field(t('plan.filled_in_by'), filledInBy),
    managerField,
    fosterField,
    field(t('plan.origin'), origin),
    field(t('plan.inspection_date'), inspectionDate),
    catalogueField,
    resultField,
    error,
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'btn', href: `#/units/${unitId}` }, t('item.cancel')),
      h('button', { type: 'submit', class: 'btn primary' }, t('plan.create')),
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fields = {
      unit_id: unitId,
      kind: kind.value,
      title: title.value.trim(),
      plan_date: planDate.value || null,
      filled_in_by: filledInBy.value || null,
      responsible_manager: kind.value === 'dk_plejefamilie' ? null : manager.value || null,
      foster_parents: kind.value === 'dk_plejefamilie' ? foster.value || null : null,
      origin: origin.value,
      inspection_date: inspectionDate.value || null,
      result_label: resultLabel.value || defaultVariant(kind.value),
    };
    // Sent only when chosen: left out, the server picks the version in force on the dates.
    if (catalogue.value) fields.catalogue_id = catalogue.value;
    const controls = {
      kind,
      title,
      plan_date: planDate,
      filled_in_by: filledInBy,
      responsible_manager: manager,
      foster_parents: foster,
      origin,
      inspection_date: inspectionDate,
      result_label: resultLabel,
      catalogue_id: catalogue,
    };
    error.textContent = '';
    const { refuseInvalid, showFieldErrors } = await fieldErrors();
    if (refuseInvalid(form, controls, 'plans', fields, { create: true })) return;
    try {
      const plan = await app.createPlan(fields);
      announce(t('plan.created'));
      app.navigate(`#/plans/${plan.id}`);
    } catch (err) {
      // The server's reasons at their fields (online, the plan is made through REST).
      if (err.fields) showFieldErrors(form, controls, err.fields);
      error.textContent = err.message || t('sync.error.generic');
    }
  });
  return {
    title: t('plans.new'),
    node: h(
      'div',
      {},
      h('p', {}, h('a', { href: `#/units/${unitId}` }, `← ${unit ? unit.name : t('app.back')}`)),
      h('h1', { tabindex: '-1' }, t('plans.new')),
      form,
    ),
  };
}
