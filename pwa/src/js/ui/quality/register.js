/**
 * The register: avvikelser, lex Sarah, lex Maria, klagomål, egenkontroller, ... and the handlingsplan
 * items they led to.
 */
import { t, formatDate } from '../../i18n.js';
import { checkForm } from '../field_errors.js';
import { h, field } from '../dom.js';
import { today } from '../units.js';
import { containsIdentityNumber } from '../quality_model.js';
import { REGISTER_KINDS, REGISTER_SOURCES, live, page, saved } from './common.js';
import { linkForm, linkList, swedishItems } from './links.js';

export async function registerView(app, ctx) {
  const { unit, unitIds } = ctx;
  const entries = live(await app.store.all('register_entries'))
    .filter((e) => unitIds.has(e.unit_id))
    .sort((a, b) => String(b.entry_date).localeCompare(String(a.entry_date)));
  const links = live(await app.store.all('quality_links'));
  const items = await swedishItems(app, unitIds);
  const canWrite = app.canEdit(unit.id);
  const targetUnits = [unit, ...ctx.enheter.filter((e) => e.id !== unit.id)];
  const form = canWrite ? registerForm(app, targetUnits) : null;
  return {
    title: t('quality.register.title'),
    live: !canWrite,
    node: page(
      app,
      unit.id,
      'register',
      t('quality.register.title'),
      h('p', { class: 'hint' }, t('quality.register.hint')),
      form,
      entries.length === 0
        ? h('p', {}, t('quality.register.none'))
        : h(
            'ul',
            { class: 'list', 'data-testid': 'register-list' },
            entries.map((e) =>
              h(
                'li',
                { class: 'row', 'data-entry': e.title },
                h('span', { class: 'row-main' }, e.title),
                h(
                  'span',
                  { class: 'state' },
                  t(`quality.register.kind.${e.kind}`),
                  e.source ? ` (${t(`quality.register.source.${e.source}`)})` : '',
                ),
                h('span', { class: 'muted' }, formatDate(e.entry_date)),
                e.analysis ? h('span', { class: 'muted' }, `${t('quality.register.analysis')}: ${e.analysis}`) : null,
                linkList(
                  links.filter((l) => l.source_id === e.id),
                  items,
                ),
                canWrite && items.length ? linkForm(app, 'register_entries', e.id, e.title, items, links) : null,
              ),
            ),
          ),
    ),
  };
}

export function registerForm(app, units) {
  const unitSelect = h(
    'select',
    { name: 'unit_id' },
    units.map((u) => h('option', { value: u.id }, u.name)),
  );
  const kind = h(
    'select',
    { name: 'kind' },
    REGISTER_KINDS.map((k) => h('option', { value: k }, t(`quality.register.kind.${k}`))),
  );
  // Which register, survey or authority: its choices follow the kind.
  const source = h('select', { name: 'source' });
  const sourceLabel = h('span');
  const sourceField = field(sourceLabel, source);
  const fitSource = () => {
    const choices = REGISTER_SOURCES[kind.value];
    // Out of the page for the other kinds (a display rule of .field would beat `hidden`).
    sourceField.style.display = choices ? '' : 'none';
    source.disabled = !choices;
    if (!choices) return;
    sourceLabel.textContent = t(`quality.register.source_label.${kind.value}`);
    source.replaceChildren(...choices.map((c) => h('option', { value: c }, t(`quality.register.source.${c}`))));
  };
  kind.addEventListener('change', fitSource);
  fitSource();
  const date = h('input', { type: 'date', name: 'entry_date', value: today(), required: true });
  const title = h('input', { name: 'title', maxlength: 200, required: true });
  const description = h('textarea', { name: 'description', rows: 3 });
  const analysis = h('textarea', { name: 'analysis', rows: 3 });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'register-form', novalidate: true },
    h('h2', {}, t('quality.register.new')),
    units.length > 1 ? field(t('quality.unit'), unitSelect) : null,
    field(t('quality.register.kind_label'), kind),
    sourceField,
    field(t('quality.register.date'), date),
    field(t('quality.register.title_label'), title),
    field(t('quality.register.description'), description),
    field(t('quality.register.analysis'), analysis, t('quality.register.analysis_hint')),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn primary' }, t('quality.register.save'))),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const texts = {
      title: title.value.trim(),
      description: description.value.trim() || null,
      analysis: analysis.value.trim() || null,
    };
    if (!texts.title) {
      error.textContent = `${t('quality.register.title_label')}: ?`;
      return;
    }
    if (Object.values(texts).some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    const row = {
      unit_id: unitSelect.value,
      kind: kind.value,
      source: REGISTER_SOURCES[kind.value] ? source.value : null,
      entry_date: date.value,
      ...texts,
    };
    if (checkForm(form, 'register_entries', row, { create: true })) return;
    await app.store.create('register_entries', row);
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}
