/**
 * What the server will check, checked on the device first, offline too: a form says "saved" only
 * for values the server's write schemas would take.
 *
 * The rules are not written here. `sync/rules.json` is generated on the server from the write
 * schemas (the same ones the sync push loads with), so the two sides cannot drift:
 *
 *   tables.<table>.fields.<field>  { type, required (on create), nullable, max_length,
 *                                    min_length, choices, min, max, min_items, max_items,
 *                                    items (a list's items, the same shape), fields (a dict's),
 *                                    pattern (trimmed: after cutting spaces), xml_text,
 *                                    pseudonymous, offset_required }
 *   tables.<table>.checks          [{ rule, fields, field, when?, in? }], rule one of
 *                                    date_order   fields[1] may not come before fields[0]
 *                                    only_when    `field` only holds a value when `when` is set
 *                                                 (or, with `in`, is one of those)
 *                                    required_when  `field` must hold a value then
 *
 * `checkRow` answers `{field: [{key, params}]}`, `key` being an i18n key under `rules.`; an
 * empty object means the server will take the fields as far as the device can tell (the server
 * still decides what needs its data: roles, a plan's state, a påbud's deadline). A rule kind this
 * file does not know is left to the server.
 */
import rulesFile from '../../../sync/rules.json';
import { containsIdentityNumber } from './ui/quality_model.js';

/** @typedef {{key: string, params?: Record<string, any>}} RuleError */
/** @typedef {Record<string, RuleError[]>} RowErrors */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/;
// What XML text may not hold, as server/schemas/common.py NOT_XML_TEXT: control characters,
// U+FFFE/U+FFFF and lone surrogates.
const NOT_XML_TEXT = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

const empty = (v) => v === undefined || v === null || v === '';

/** Characters as the server counts them (code points, not UTF-16 units). */
const length = (s) => [...String(s)].length;

function typeProblem(type, v) {
  switch (type) {
    case 'string':
      return typeof v !== 'string';
    case 'integer':
      return !Number.isInteger(v);
    case 'number':
      return typeof v !== 'number' || Number.isNaN(v);
    case 'boolean':
      return typeof v !== 'boolean';
    case 'date':
      return typeof v !== 'string' || !DATE.test(v) || Number.isNaN(new Date(`${v}T00:00:00Z`).getTime());
    case 'datetime':
      return typeof v !== 'string' || !DATETIME.test(v);
    case 'list':
      return !Array.isArray(v);
    case 'dict':
      return typeof v !== 'object' || v === null || Array.isArray(v);
    default:
      return false; // uuid, object, …: the server's to judge
  }
}

/** The problems of one value against one field's rule (`value` is not empty). */
function valueProblems(rule, value) {
  if (rule.type && typeProblem(rule.type, value)) return [{ key: 'rules.type' }];
  const out = [];
  if (typeof value === 'string') {
    const n = length(value);
    if (rule.max_length != null && n > rule.max_length)
      out.push({ key: 'rules.max_length', params: { max: rule.max_length, n } });
    if (rule.min_length != null && n < rule.min_length)
      out.push({ key: 'rules.min_length', params: { min: rule.min_length } });
  }
  if (typeof value === 'string') {
    if (rule.xml_text && NOT_XML_TEXT.test(value)) out.push({ key: 'rules.xml_text' });
    const matched = rule.trimmed ? value.trim() : value;
    if (rule.pattern && !new RegExp(rule.pattern, 'u').test(matched)) out.push({ key: 'rules.pattern' });
    if (rule.pseudonymous && containsIdentityNumber(value)) out.push({ key: 'rules.pseudonymous' });
    if (rule.offset_required && rule.type === 'datetime' && !OFFSET.test(value)) out.push({ key: 'rules.type' });
  }
  if (rule.choices && !rule.choices.includes(value)) out.push({ key: 'rules.choice' });
  if (typeof value === 'number') {
    if (rule.min != null && value < rule.min) out.push({ key: 'rules.min', params: { min: rule.min } });
    if (rule.max != null && value > rule.max) out.push({ key: 'rules.max', params: { max: rule.max } });
  }
  if (Array.isArray(value)) {
    if (rule.max_items != null && value.length > rule.max_items) {
      out.push({ key: 'rules.max_items', params: { max: rule.max_items } });
    }
    if (rule.min_items != null && value.length < rule.min_items) {
      out.push({ key: 'rules.min_items', params: { min: rule.min_items } });
    }
    // Each item as its own value; the first problem found is said at the list's field.
    if (rule.items) {
      for (const item of value) {
        const inner = itemProblems(rule.items, item);
        if (inner.length) {
          out.push(inner[0]);
          break;
        }
      }
    }
  }
  if (rule.fields && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, inner] of Object.entries(rule.fields)) {
      const problems = itemProblems(inner, value[name], Object.prototype.hasOwnProperty.call(value, name));
      if (problems.length) {
        out.push(problems[0]);
        break;
      }
    }
  }
  return out;
}

/** The problems of a value inside a list or dict (`given`: the key is there at all). */
function itemProblems(rule, value, given = true) {
  if (!given) return rule.required ? [{ key: 'rules.required' }] : [];
  if (empty(value)) {
    const needsText = rule.type === 'string' && rule.min_length > 0 && value === '';
    return (value === null && rule.nullable === false) || needsText ? [{ key: 'rules.required' }] : [];
  }
  return valueProblems(rule, value);
}

/**
 * Check the fields a form is about to write for a row of `table`.
 * @param {string} table
 * @param {object} fields  the values to write
 * @param {{existing?: object | null, create?: boolean, rules?: any}} [options]  `existing`: the
 *   row as it is (cross-field checks see it under the new values); `create`: required fields
 *   must be there; `rules`: another rules file (tests)
 * @returns {RowErrors}
 */
export function checkRow(table, fields, { existing = null, create = false, rules = rulesFile } = {}) {
  const spec = rules.tables && rules.tables[table];
  /** @type {RowErrors} */
  const errors = {};
  if (!spec) return errors;
  const add = (field, problem) => {
    if (!errors[field]) errors[field] = [];
    errors[field].push(problem);
  };
  for (const [name, rule] of Object.entries(spec.fields || {})) {
    const given = Object.prototype.hasOwnProperty.call(fields, name);
    const value = fields[name];
    if (!given) {
      if (create && rule.required) add(name, { key: 'rules.required' });
      continue;
    }
    if (empty(value)) {
      // An empty text where text is needed; a null where the server takes none.
      const needsText = rule.type === 'string' && rule.min_length > 0;
      if ((create && rule.required) || needsText || (value === null && rule.nullable === false)) {
        add(name, { key: 'rules.required' });
      }
      continue;
    }
    for (const p of valueProblems(rule, value)) add(name, p);
  }
  const row = { ...(existing || {}), ...fields };
  for (const check of spec.checks || []) {
    // A check is the server's business only for rows whose fields it names are written.
    const touched = create || check.fields.some((f) => Object.prototype.hasOwnProperty.call(fields, f));
    if (!touched || check.fields.some((f) => errors[f])) continue;
    const problem = crossFieldProblem(check, row);
    if (problem) add(check.field, problem);
  }
  return errors;
}

/** A rule across fields (server/schemas/checks.py), on the row as it would be. */
function crossFieldProblem(check, row) {
  const when = row[check.when];
  const applies = check.in ? check.in.includes(when) : !empty(when);
  switch (check.rule) {
    case 'date_order': {
      const [earlier, later] = check.fields;
      if (empty(row[earlier]) || empty(row[later]) || !(row[later] < row[earlier])) return null;
      return { key: 'rules.date_order', params: { other: check.field === later ? earlier : later } };
    }
    case 'only_when':
      return !empty(row[check.field]) && !applies ? { key: 'rules.only_when', params: { other: check.when } } : null;
    case 'required_when': {
      // As the server: "set" is not null here, and text must not be blank.
      const set = check.in ? check.in.includes(when) : when != null;
      const value = row[check.field];
      const present = typeof value === 'string' ? Boolean(value.trim()) : value != null;
      return set && !present ? { key: 'rules.required' } : null;
    }
    default:
      return null; // a rule kind from a newer server: the server decides
  }
}

/** What a field's rule may say that this module runs (a test holds sync/rules.json to it). */
export const KNOWN_FIELD_KEYS = new Set([
  'type',
  'required',
  'nullable',
  'max_length',
  'min_length',
  'choices',
  'min',
  'max',
  'strict',
  'min_items',
  'max_items',
  'items',
  'fields',
  'pattern',
  'trimmed',
  'xml_text',
  'pseudonymous',
  'offset_required',
]);

/** The rules across fields this module runs. */
export const KNOWN_CHECKS = new Set(['date_order', 'only_when', 'required_when']);

/** Whether `checkRow` found nothing. */
export function isClean(errors) {
  return !Object.keys(errors).length;
}

/** The rules file in use (the fields a table knows; tests compare it with the server's). */
export const RULES = rulesFile;
