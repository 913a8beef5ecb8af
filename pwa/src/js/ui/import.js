/**
 * A filled-in Word plan into a draft plan, in two steps as the server does it: the file is read
 * and shown (what was recognised, what was not, warnings) with nothing saved; "Opret" creates
 * the draft plan with its items, and the app goes to it. Needs the network throughout.
 */
import { t, formatDate } from '../i18n.js';
import { h, field, lines, announce } from './dom.js';
import { checkImportFile, importErrorKey, IMPORT_MAX_BYTES } from '../files.js';
import { KINDS_FOR_UNIT } from './new_plan.js';
import { catalogueName, versionsFor } from './catalogue_model.js';
import { hvemLines } from './plan.js';

const DOCX_TYPES = '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function errorText(key, err) {
  return t(`documents.errors.${key}`, {
    mb: Math.round(IMPORT_MAX_BYTES / (1024 * 1024)),
    message: (err && err.message) || '',
  });
}

export async function importView(app, unitId) {
  const unit = await app.store.get('units', unitId);
  const kinds = (unit && KINDS_FOR_UNIT[unit.kind]) || ['dk_tilbud'];
  const kind = h(
    'select',
    { name: 'kind' },
    kinds.map((k) => h('option', { value: k }, t(`kind.${k}`))),
  );
  // The quality model to read the themes by: by default the version in force on the
  // document's inspection date (else its plan date), as the server picks it.
  const catalogues = await app.store.all('catalogues');
  const catalogue = h('select', { name: 'catalogue_id', 'data-testid': 'import-catalogue' });
  const fillCatalogues = () =>
    catalogue.replaceChildren(
      h('option', { value: '' }, t('documents.catalogue_auto')),
      ...versionsFor(catalogues, kind.value).map((c) => h('option', { value: c.id }, catalogueName(c))),
    );
  kind.addEventListener('change', fillCatalogues);
  fillCatalogues();
  const file = h('input', { type: 'file', name: 'file', accept: DOCX_TYPES, 'data-testid': 'import-file' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'import-error' });
  const read = h(
    'button',
    { type: 'submit', class: 'btn primary', disabled: !app.online(), 'data-online-only': true },
    t('documents.read'),
  );
  const preview = h('div', { 'data-testid': 'import-preview-box' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'import-form' },
    kinds.length > 1 ? field(t('documents.kind'), kind) : null,
    field(t('plan.catalogue'), catalogue),
    field(t('documents.file'), file),
    error,
    h('div', { class: 'actions' }, h('a', { class: 'btn', href: `#/units/${unitId}` }, t('item.cancel')), read),
    h('p', { class: 'muted', 'data-online-note': true, hidden: app.online() }, t('documents.errors.network')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    preview.replaceChildren();
    const chosen = file.files && file.files[0];
    const problem = checkImportFile(chosen);
    if (problem) {
      error.textContent = errorText(problem);
      file.focus();
      return;
    }
    const body = new FormData();
    body.append('file', chosen, chosen.name);
    body.append('unit_id', unitId);
    body.append('kind', kind.value);
    if (catalogue.value) body.append('catalogue_id', catalogue.value);
    read.disabled = true;
    read.textContent = t('documents.reading');
    try {
      const result = await app.api.importPreview(body);
      // Themes for rows whose theme was not recognised (synced catalogues; empty if not yet).
      const themes = result.catalogue_id ? await app.store.listThemes(result.catalogue_id) : [];
      preview.replaceChildren(
        previewCard(app, result, themes, catalogues, () => {
          preview.replaceChildren();
          file.value = '';
          file.focus();
        }),
      );
      preview.querySelector('h2').focus();
    } catch (err) {
      error.textContent = errorText(importErrorKey(err), err);
    } finally {
      read.textContent = t('documents.read');
      read.disabled = !app.online();
    }
  });
  return {
    title: t('documents.import_title'),
    node: h(
      'div',
      { 'data-testid': 'import' },
      h('p', {}, h('a', { href: `#/units/${unitId}` }, `← ${unit ? unit.name : t('app.back')}`)),
      h('h1', { tabindex: '-1' }, t('documents.import_title')),
      h('p', {}, t('documents.import_intro')),
      form,
      preview,
    ),
  };
}

function timeframeText(item) {
  const parts = [];
  if (item.start_date) parts.push(`${t('item.start_date')}: ${formatDate(item.start_date)}`);
  if (item.end_date) parts.push(`${t('item.end_date')}: ${formatDate(item.end_date)}`);
  if (item.ongoing) parts.push(t('plan.ongoing'));
  if (item.timeframe_note) parts.push(item.timeframe_note);
  return parts.join('\n') || '–';
}

/** A theme picker for a row whose theme was not recognised; the user may leave it empty. */
function themePicker(item, themes) {
  const select = h(
    'select',
    { name: `theme-${item.priority}`, 'data-testid': 'import-theme-choice' },
    h('option', { value: '' }, t('item.no_theme')),
    themes.map((th) => h('option', { value: th.id }, th.name)),
  );
  return select;
}

function previewCard(app, result, themes, catalogues, onAnother) {
  const recognised = result.recognised || {};
  const items = result.items || [];
  const pickers = new Map(
    items.filter((item) => !item.matched && themes.length).map((item) => [item, themePicker(item, themes)]),
  );
  // Checked here, not by the browser's own bubble, so the message is in the UI language.
  const title = h('input', { name: 'title', 'aria-required': 'true', maxlength: 200, value: recognised.title || '' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'confirm-error' });
  const confirm = h(
    'button',
    { type: 'submit', class: 'btn primary', 'data-testid': 'import-confirm', 'data-online-only': true },
    t('documents.confirm'),
  );
  const header = [
    ['plan.catalogue', catalogueName(catalogues.find((c) => c.id === result.catalogue_id))],
    ['plan.unit', recognised.unit_name],
    ['plan.date', recognised.plan_date && formatDate(recognised.plan_date)],
    ['plan.filled_in_by', recognised.filled_in_by],
    ['plan.responsible_manager', recognised.responsible_manager],
    ['plan.foster_parents', recognised.foster_parents],
  ].filter(([, value]) => value);
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'import-preview', 'aria-labelledby': 'preview-h' },
    h('h2', { id: 'preview-h', tabindex: '-1' }, t('documents.preview')),
    field(t('plan.title'), title),
    header.length
      ? h(
          'dl',
          { class: 'plan-header' },
          header.map(([key, value]) => h('div', {}, h('dt', {}, t(key)), h('dd', {}, lines(value)))),
        )
      : null,
    h('h3', {}, t('documents.rows', { n: items.length })),
    items.length
      ? h(
          'ol',
          { class: 'import-rows' },
          items.map((item) =>
            h(
              'li',
              { 'data-testid': 'import-row', class: item.matched ? null : 'unmatched' },
              h('strong', {}, `${t('plan.priority', { n: item.priority })}: `),
              item.matched && item.theme_name
                ? h('span', { 'data-testid': 'import-theme' }, item.theme_name)
                : h(
                    'span',
                    { class: 'error', 'data-testid': 'import-theme' },
                    t('documents.unmatched', { raw: item.raw_theme || '–' }),
                  ),
              pickers.has(item)
                ? field(`${t('item.theme')} (${t('plan.priority', { n: item.priority })})`, pickers.get(item))
                : null,
              item.topic ? h('p', { 'data-field': 'topic' }, lines(item.topic)) : null,
              item.goal ? h('p', { class: 'muted' }, lines(item.goal)) : null,
              // HVORNÅR? as read: the dates and "Varig ordning" found, and the words kept.
              h(
                'p',
                { 'data-testid': 'import-timeframe' },
                h('strong', {}, `${t('columns.timeframe.heading')} `),
                lines(timeframeText(item)),
              ),
              h('div', { 'data-testid': 'import-hvem' }, hvemLines(app, item)),
            ),
          ),
        )
      : null,
    (result.unrecognised || []).length
      ? h(
          'details',
          { 'data-testid': 'import-unrecognised' },
          h('summary', {}, `${t('documents.unrecognised')} (${result.unrecognised.length})`),
          h(
            'ul',
            {},
            result.unrecognised.map((text) => h('li', {}, lines(text))),
          ),
        )
      : null,
    (result.warnings || []).length
      ? h(
          'div',
          { class: 'notice', 'data-testid': 'import-warnings' },
          h('h3', {}, t('documents.warnings')),
          h(
            'ul',
            {},
            result.warnings.map((text) => h('li', {}, text)),
          ),
        )
      : null,
    error,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'btn', onclick: onAnother }, t('documents.another')),
      confirm,
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    if (!title.value.trim()) {
      error.textContent = t('documents.title_required');
      title.focus();
      return;
    }
    confirm.disabled = true;
    confirm.textContent = t('documents.confirming');
    try {
      const plan = await app.api.importConfirm({
        unit_id: result.unit_id,
        kind: result.kind,
        plan: { ...recognised, title: title.value.trim() },
        items: items.map((item) => (pickers.has(item) ? { ...item, theme_id: pickers.get(item).value || null } : item)),
      });
      const { version, ...rest } = plan;
      await app.store.putServerRow('plans', plan.id, version, rest);
      announce(t('documents.created'));
      // The items come with the next pull; the plan view fills in live.
      app.sync.run('import');
      app.navigate(`#/plans/${plan.id}`);
    } catch (err) {
      error.textContent = err.code === 'network' ? t('documents.errors.network') : err.message || t('documents.error');
      confirm.disabled = false;
      confirm.textContent = t('documents.confirm');
    }
  });
  return form;
}
