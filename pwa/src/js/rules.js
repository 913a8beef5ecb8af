/**
 * What the server will check, checked on the device first, offline too: a form says "saved" only
 * for values the server's write schemas would take.
 *
 * The rules are not written here. `sync/rules.json` is generated on the server from the write
 * schemas (the same ones the sync push loads with), so the two sides cannot drift:
 *
 *   tables.<table>.fields.<field>  { type, required (on create), nullable, max_length,
 *                                    min_length, choices, min, max, max_items }
 *   tables.<table>.checks          [{ rule: "date_order", fields: [earlier, later], field }]
 *
 * `checkRow` answers `{field: [{key, params}]}`, `key` being an i18n key under `rules.`; an
 * empty object means the server will take the fields as far as the device can tell (the server
 * still decides what needs its data: roles, a plan's state, a påbud's deadline). A rule kind this
 * file does not know is left to the server.
 */
import rulesFile from '../../../sync/rules.json';

/** @typedef {{key: string, params?: Record<string, any>}} RuleError */
/** @typedef {Record<string, RuleError[]>} RowErrors */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

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
  if (rule.choices && !rule.choices.includes(value)) out.push({ key: 'rules.choice' });
  if (typeof value === 'number') {
    if (rule.min != null && value < rule.min) out.push({ key: 'rules.min', params: { min: rule.min } });
    if (rule.max != null && value > rule.max) out.push({ key: 'rules.max', params: { max: rule.max } });
  }
  if (Array.isArray(value) && rule.max_items != null && value.length > rule.max_items) {
    out.push({ key: 'rules.max_items', params: { max: rule.max_items } });
  }
  return out;
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
    if (check.rule !== 'date_order') continue;
    const [earlier, later] = check.fields;
    const touched = create || check.fields.some((f) => Object.prototype.hasOwnProperty.call(fields, f));
    const target = check.field || later;
    if (!touched || errors[earlier] || errors[later]) continue;
    if (!empty(row[earlier]) && !empty(row[later]) && row[later] < row[earlier]) {
      add(target, { key: 'rules.date_order', params: { other: target === later ? earlier : later } });
    }
  }
  return errors;
}

/** Whether `checkRow` found nothing. */
export function isClean(errors) {
  return !Object.keys(errors).length;
}

/** The rules file in use (the fields a table knows; tests compare it with the server's). */
export const RULES = rulesFile;
