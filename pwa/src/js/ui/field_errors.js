/**
 * Errors shown next to their field, in place of the browser's own bubbles: forms that use this
 * carry `novalidate`, check with rules.js (or take the server's reasons of a refused draft) and
 * show each message under its control, with `aria-invalid` and `aria-describedby` pointing at it,
 * and focus on the first control in error. Messages for fields the form has no control for go
 * to the form's summary (`role="alert"`), which also says how many fields need fixing.
 */
import { t } from '../i18n.js';
import { h } from './dom.js';
import { checkRow } from '../rules.js';

/**
 * One problem as text: a rules.js `{key, params}` in the user's language, or the server's words.
 * @param {{key: string, params?: Record<string, any>} | string} problem
 */
export function problemText(problem) {
  if (typeof problem === 'string') return problem;
  const params = { ...(problem.params || {}) };
  if (params.other) params.other = fieldLabel(params.other).toLowerCase();
  return t(problem.key, params);
}

/** A field's name as the person knows it (never the internal name). */
export function fieldLabel(name) {
  const key = `field.${name}`;
  const text = t(key);
  return text === key ? t('drafts.what.other') : text;
}

function describedBy(control, add, id) {
  const ids = new Set((control.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean));
  if (add) ids.add(id);
  else ids.delete(id);
  if (ids.size) control.setAttribute('aria-describedby', [...ids].join(' '));
  else control.removeAttribute('aria-describedby');
}

/** Take away what `showFieldErrors` put on `form`. @param {HTMLElement} form */
export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll('[data-field-error]')) {
    const control = /** @type {HTMLElement | null} */ (form.querySelector(`[aria-describedby~="${el.id}"]`));
    if (control) {
      describedBy(control, false, el.id);
      control.removeAttribute('aria-invalid');
    }
    el.remove();
  }
  const summary = form.querySelector('[data-form-errors]');
  if (summary) summary.remove();
}

/**
 * Show `errors` ({field: [problem, ...]}) at the controls of `form` named in `controls`.
 * Resolves to the number of fields in error (0: nothing shown).
 * @param {HTMLElement} form
 * @param {Record<string, HTMLElement>} controls
 * @param {Record<string, Array<any>>} errors
 * @param {{focus?: boolean, summary?: boolean}} [options]  `summary`: say how many fields need
 *   fixing (a form about to be saved); a refused draft's reasons come with their own notice
 */
export function showFieldErrors(form, controls, errors, { focus = true, summary = true } = {}) {
  clearFieldErrors(form);
  const fields = Object.keys(errors).filter((f) => (errors[f] || []).length);
  if (!fields.length) return 0;
  const loose = [];
  let first = null;
  for (const name of fields) {
    const texts = errors[name].map(problemText);
    const control = controls[name];
    if (!control) {
      loose.push(`${fieldLabel(name)}: ${texts.join(' ')}`);
      continue;
    }
    const id = `${control.id || name}-error`;
    const message = h('p', { class: 'field-error', id, 'data-field-error': name }, texts.join(' '));
    control.insertAdjacentElement('afterend', message);
    control.setAttribute('aria-invalid', 'true');
    describedBy(control, true, id);
    first = first || control;
  }
  if (summary || loose.length) {
    const box = h(
      'div',
      { class: 'form-errors', role: 'alert', 'data-form-errors': true },
      summary ? h('p', {}, t('rules.fix', { n: fields.length })) : null,
      loose.map((text) => h('p', {}, text)),
    );
    const actions = form.querySelector('.actions');
    if (actions) actions.insertAdjacentElement('beforebegin', box);
    else form.append(box);
  }
  if (focus && first) first.focus();
  return fields.length;
}

/**
 * Check `fields` of a row of `table` with the server's rules (rules.js) and show what is wrong;
 * resolves to true when the form must not save. `extra`: the form's own findings (its field →
 * messages), e.g. a deadline the rules file cannot know; they replace the rules' for that field.
 * @param {HTMLElement} form
 * @param {Record<string, HTMLElement>} controls
 * @param {string} table
 * @param {object} fields
 * @param {{existing?: object | null, create?: boolean, extra?: Record<string, Array<any>>}} [options]
 */
export function refuseInvalid(form, controls, table, fields, { existing = null, create = false, extra = {} } = {}) {
  const errors = checkRow(table, fields, { existing, create });
  // The form's own words for a field are more specific than the rules' ("a påbud needs a
  // deadline" over "must be filled in"): they take its place.
  for (const [name, list] of Object.entries(extra)) if (list && list.length) errors[name] = list;
  return showFieldErrors(form, controls, errors) > 0;
}

/**
 * `refuseInvalid` for a form whose controls carry the fields' names (`name` attributes): the
 * controls are found by name, and a control marked `required` that is empty is said at once.
 * @param {HTMLFormElement} form
 * @param {string} table
 * @param {object} fields
 * @param {{existing?: object | null, create?: boolean}} [options]
 */
export function checkForm(form, table, fields, options = {}) {
  /** @type {Record<string, HTMLElement>} */
  const controls = {};
  /** @type {Record<string, Array<any>>} */
  const extra = {};
  for (const el of /** @type {any[]} */ ([...form.elements])) {
    if (!el.name) continue;
    controls[el.name] = el;
    if (el.required && !String(el.value ?? '').trim()) extra[el.name] = [{ key: 'rules.required' }];
  }
  return refuseInvalid(form, controls, table, fields, { ...options, extra });
}
