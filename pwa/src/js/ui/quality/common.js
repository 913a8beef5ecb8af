/**
 * What the screens of the Swedish quality follow-up share: choices, the page frame, saving and downloads.
 */
import { t } from '../../i18n.js';
import { h } from '../dom.js';
import { announceSaved } from '../save_status.js';
import { today } from '../units.js';

export const REGISTER_KINDS = [
  'deviation',
  'lex_sarah',
  'care_deviation',
  'lex_maria',
  'complaint',
  'inspection_report',
  'self_inspection',
  'quality_register',
  'patient_safety_report',
  'national_survey',
  'effect_evaluation',
];
/** What an entry is from, where seed 003 names the choices (server: REGISTER_SOURCES). */
export const REGISTER_SOURCES = {
  quality_register: ['senior_alert', 'palliativa_registret', 'bpsd', 'other'],
  national_survey: ['oppna_jamforelser', 'brukarundersokningen', 'kkik', 'other'],
  inspection_report: ['ivo', 'arbetsmiljoverket', 'other'],
};
export const AGE_BANDS = ['0-12', '13-17', '18-20', '21-29', '30-49', '50-64', '65-79', '80+'];
export const GENDERS = ['female', 'male', 'other', 'unknown'];
export const END_REASONS = ['planned', 'interrupted'];
export const NEEDS_MET = ['yes', 'partly', 'no'];
export const SITUATIONS = ['improved', 'unchanged', 'worsened', 'unknown'];
export const SECTIONS = [
  'measures',
  'register',
  'risk',
  'selfinspection',
  'cases',
  'levels',
  'surveys',
  'cycle',
  'compilation',
  'analysis',
];
export const RESOURCES = ['places', 'hours', 'persons', 'staff', 'competence', 'premises', 'queue'];
export const YEAR_RULES = ['sum', 'mean', 'last'];

export const live = (rows) => rows.filter((r) => !r.deleted);
export const byName = (a, b) => String(a.name).localeCompare(String(b.name));

/** The unit, its verksamhet id (itself or its parent) and the units whose rows belong here. */
export function context(app, unitId) {
  const unit = app.units.get(unitId);
  if (!unit) return null;
  const verksamhetId = unit.kind === 'se_verksamhet' ? unit.id : unit.parent_id;
  const enheter =
    unit.kind === 'se_verksamhet'
      ? [...app.units.values()].filter((u) => u.parent_id === unit.id && u.kind === 'se_enhet').sort(byName)
      : [unit];
  return { unit, verksamhetId, enheter, unitIds: new Set([unit.id, ...enheter.map((e) => e.id)]) };
}

export function page(app, unitId, section, title, ...body) {
  const unit = app.units.get(unitId);
  return h(
    'div',
    { class: 'quality' },
    h(
      'p',
      {},
      section
        ? h('a', { href: `#/quality/${unitId}` }, `← ${t('quality.title')}: ${unit ? unit.name : ''}`)
        : h('a', { href: `#/units/${unitId}` }, `← ${unit ? unit.name : t('app.back')}`),
    ),
    h('h1', { tabindex: '-1' }, title),
    h(
      'nav',
      { class: 'actions', 'aria-label': t('quality.sections') },
      SECTIONS.map((s) =>
        h(
          'a',
          {
            class: `btn small${s === section ? ' primary' : ''}`,
            href: `#/quality/${unitId}/${s}`,
            'aria-current': s === section ? 'page' : null,
          },
          t(`quality.${s}.title`),
        ),
      ),
    ),
    ...body,
  );
}

export function notFound() {
  return {
    title: t('quality.title'),
    node: h('div', {}, h('h1', { tabindex: '-1' }, t('quality.title')), h('p', {}, t('quality.no_unit'))),
  };
}

export function errorText(err) {
  const reasons = err && err.fields ? Object.values(err.fields).flat().join(' ') : '';
  return `${(err && err.message) || t('sync.error.generic')} ${reasons}`.trim();
}

export function saved(app) {
  announceSaved(app);
  app.sync.requestSoon();
}

/**
 * The year/period controls of a live screen, in a form marked as a draft (main.js watchDrafts):
 * while a person types a year, a re-render for a pull waits rather than drawing a fresh field
 * with the year it had. Their change event commits (the screen's own listeners act on it) and
 * sets the form back to "empty", so live re-renders go on. Enter commits too, and never submits
 * the page (a form with one number field would otherwise reload the app with ?year=...).
 * @param {...any} children  the labelled controls (field(...))
 */
export function periodForm(...children) {
  const form = h('form', { class: 'inline period-form', 'data-draft': 'empty', novalidate: true }, ...children);
  // Named, so a live re-render gives focus back to the same control (main.js refocus).
  for (const control of form.querySelectorAll('input[name], select[name]'))
    if (!control.hasAttribute('aria-label'))
      control.setAttribute('data-testid', `period-${control.getAttribute('name')}`);
  form.addEventListener('change', () => {
    form.dataset.draft = 'empty';
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const active = document.activeElement;
    if (active && form.contains(active)) active.dispatchEvent(new Event('change', { bubbles: true }));
    form.dataset.draft = 'empty';
  });
  return form;
}

export function currentYear() {
  return Number(today().slice(0, 4));
}

export function slug(text) {
  return String(text)
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
}

export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
