/**
 * Riskanalyser (SOSFS 2011:9, 5 kap 1 §): the event that could happen, how probable it is and what
 * it would lead to (1-4 each, their product the risk value), the measures, who and by when, the
 * follow-up; and the handlingsplan items an analysis led to. All in the local store, so offline.
 */
import { t, formatDate } from '../../i18n.js';
import { checkForm } from '../field_errors.js';
import { h, field } from '../dom.js';
import { today } from '../units.js';
import { containsIdentityNumber, riskLevel, riskValue } from '../quality_model.js';
import { live, page, saved } from './common.js';
import { linkForm, linkList, swedishItems } from './links.js';

export const RISK_SCALE = [1, 2, 3, 4];

/** "Riskvärde 12 (hög)" */
export function riskText(probability, consequence) {
  const value = riskValue(probability, consequence);
  if (value == null) return '';
  return `${t('quality.risk.value')} ${value} (${t(`quality.risk.level.${riskLevel(value)}`)})`;
}

export async function riskView(app, ctx) {
  const { unit, unitIds } = ctx;
  const analyses = live(await app.store.all('risk_analyses'))
    .filter((r) => unitIds.has(r.unit_id))
    .sort((a, b) => String(b.analysed_on).localeCompare(String(a.analysed_on)));
  const links = live(await app.store.all('quality_links'));
  const items = await swedishItems(app, unitIds);
  const targetUnits = [unit, ...ctx.enheter.filter((e) => e.id !== unit.id)].filter((u) => app.canEdit(u.id));
  return {
    title: t('quality.risk.title'),
    live: !targetUnits.length,
    node: page(
      app,
      unit.id,
      'risk',
      t('quality.risk.title'),
      h('p', { class: 'hint' }, t('quality.risk.hint')),
      targetUnits.length ? riskForm(app, targetUnits) : null,
      analyses.length === 0
        ? h('p', {}, t('quality.risk.none'))
        : h(
            'ul',
            { class: 'list', 'data-testid': 'risk-list' },
            analyses.map((r) => riskRow(app, r, links, items, unit)),
          ),
    ),
  };
}

function riskRow(app, r, links, items, screenUnit) {
  const canWrite = app.canEdit(r.unit_id);
  const value = riskValue(r.probability, r.consequence);
  return h(
    'li',
    { class: 'row', 'data-risk': r.event },
    h('span', { class: 'row-main' }, r.event),
    // On the verksamhet its own analyses and its enheter's are listed together: whose it is.
    screenUnit.kind === 'se_verksamhet'
      ? h('span', { class: 'muted', 'data-testid': 'risk-unit' }, app.units.get(r.unit_id)?.name || '')
      : null,
    h(
      'span',
      { class: `state risk-${riskLevel(value)}` },
      `${t('quality.risk.probability')} ${r.probability} × ${t('quality.risk.consequence')} ${r.consequence}: `,
      riskText(r.probability, r.consequence),
    ),
    h('span', { class: 'muted' }, `${t('quality.risk.analysed_on')}: ${formatDate(r.analysed_on)}`),
    r.measures ? h('span', {}, `${t('quality.risk.measures')}: ${r.measures}`) : null,
    r.responsible || r.due_date
      ? h(
          'span',
          { class: 'muted' },
          [
            r.responsible ? `${t('quality.risk.responsible')}: ${r.responsible}` : null,
            r.due_date ? `${t('quality.risk.due_date')}: ${formatDate(r.due_date)}` : null,
          ]
            .filter(Boolean)
            .join(' · '),
        )
      : null,
    r.follow_up_date
      ? h('span', { class: 'muted' }, `${t('quality.risk.follow_up_date')}: ${formatDate(r.follow_up_date)}`)
      : null,
    r.follow_up ? h('span', {}, `${t('quality.risk.follow_up')}: ${r.follow_up}`) : null,
    linkList(
      links.filter((l) => l.source_id === r.id),
      items,
    ),
    canWrite ? followUpForm(app, r) : null,
    canWrite && items.length ? linkForm(app, 'risk_analyses', r.id, r.event.slice(0, 60), items, links) : null,
  );
}

/** The follow-up of the measures: when, and how it went. */
function followUpForm(app, r) {
  const date = h('input', { type: 'date', name: 'follow_up_date', value: r.follow_up_date || '' });
  const text = h('textarea', { name: 'follow_up', rows: 2 }, r.follow_up || '');
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'inline-form', 'data-testid': 'risk-follow-up', novalidate: true },
    field(t('quality.risk.follow_up_date'), date),
    field(t('quality.risk.follow_up'), text),
    error,
    h('button', { type: 'submit', class: 'btn small' }, t('quality.risk.save_follow_up')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const changes = { follow_up_date: date.value || null, follow_up: text.value.trim() || null };
    if (containsIdentityNumber(changes.follow_up)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    if (checkForm(form, 'risk_analyses', { ...r, ...changes })) return;
    await app.store.update('risk_analyses', r.id, changes);
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}

function scaleSelect(name, kind) {
  return h(
    'select',
    { name },
    RISK_SCALE.map((n) => h('option', { value: n }, `${n} – ${t(`quality.risk.${kind}_scale.${n}`)}`)),
  );
}

/**
 * A new riskanalys. Of several units (a verksamhet and its enheter) none is preselected: seed
 * 003 places no level on a riskanalys, so the user says whether it is the verksamhet's or an
 * enhet's rather than have it filed under the verksamhet unasked.
 */
export function riskForm(app, units) {
  const unitSelect = h(
    'select',
    { name: 'unit_id', required: units.length > 1 },
    units.length > 1 ? h('option', { value: '', selected: true, disabled: true }, t('quality.risk.choose_unit')) : null,
    units.map((u) => h('option', { value: u.id }, u.name)),
  );
  const analysedOn = h('input', { type: 'date', name: 'analysed_on', value: today(), required: true });
  const event = h('textarea', { name: 'event', rows: 3, required: true });
  const probability = scaleSelect('probability', 'probability');
  const consequence = scaleSelect('consequence', 'consequence');
  const value = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'risk-value' });
  const showValue = () => {
    value.textContent = riskText(probability.value, consequence.value);
  };
  probability.addEventListener('change', showValue);
  consequence.addEventListener('change', showValue);
  showValue();
  const measures = h('textarea', { name: 'measures', rows: 3 });
  const responsible = h('input', { name: 'responsible', maxlength: 200 });
  const dueDate = h('input', { type: 'date', name: 'due_date' });
  const followUpDate = h('input', { type: 'date', name: 'follow_up_date' });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'risk-form', novalidate: true },
    h('h2', {}, t('quality.risk.new')),
    units.length > 1 ? field(t('quality.risk.unit'), unitSelect) : null,
    field(t('quality.risk.analysed_on'), analysedOn),
    field(t('quality.risk.event'), event, t('quality.risk.event_hint')),
    field(t('quality.risk.probability'), probability),
    field(t('quality.risk.consequence'), consequence),
    value,
    field(t('quality.risk.measures'), measures),
    field(t('quality.risk.responsible'), responsible),
    field(t('quality.risk.due_date'), dueDate),
    field(t('quality.risk.follow_up_date'), followUpDate),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn primary' }, t('quality.risk.save'))),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const texts = {
      event: event.value.trim(),
      measures: measures.value.trim() || null,
      responsible: responsible.value.trim() || null,
    };
    if (!unitSelect.value) {
      error.textContent = t('quality.risk.need_unit');
      unitSelect.focus();
      return;
    }
    if (!texts.event) {
      error.textContent = `${t('quality.risk.event')}: ?`;
      return;
    }
    if (Object.values(texts).some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    const row = {
      unit_id: unitSelect.value,
      analysed_on: analysedOn.value,
      probability: Number(probability.value),
      consequence: Number(consequence.value),
      due_date: dueDate.value || null,
      follow_up_date: followUpDate.value || null,
      follow_up: null,
      ...texts,
    };
    if (checkForm(form, 'risk_analyses', row, { create: true })) return;
    await app.store.create('risk_analyses', row);
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}
