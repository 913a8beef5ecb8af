/**
 * The administration screen's rules, without DOM or network (ui/admin.js draws them):
 * who may open it, which users an admin may change, what a form is missing before it is sent,
 * which fields a PATCH carries, and where a server error is shown.
 *
 * They mirror server/services/admin.py and server/schemas/org.py; the server decides anyway,
 * so these only spare a round trip and say things in the user's language.
 */

// server/schemas/org.py ROLES, in the order the screen offers them.
export const ROLES = ['staff', 'manager', 'foster_parent', 'inspector', 'admin'];

// server/schemas/org.py: UserCreateSchema / UserUpdateSchema.
export const PASSWORD_MIN = 8;
export const NAME_MAX = 200;
export const EMAIL_MAX = 254;

// Who may open the screen: in a module of its own, for the frame (shell.js).
export { isAdmin } from './admin_access.js';

/** The units (GET /api/units, roles already spread to the units below) the caller administers,
 * by name: the only ones a role may be granted in. */
export function adminUnits(units) {
  return (units || [])
    .filter((u) => (u.roles || []).includes('admin'))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** An admin may correct, (de)activate or set a password only for a user whose every role is in
 * a unit they administer (server: `_managed_user`); a user shared with another unit is not
 * theirs to change, and a user with no role left is nobody's. */
export function canManageUser(user, adminUnitIds) {
  const memberships = (user && user.memberships) || [];
  return memberships.length > 0 && memberships.every((m) => adminUnitIds.has(m.unit_id));
}

/** A user's roles grouped by unit, units by name: [{unitId, unitName, memberships}]. A unit the
 * caller has no role in has no known name (`unitName` null). */
export function rolesByUnit(user, unitNames) {
  const groups = new Map();
  for (const m of (user && user.memberships) || []) {
    if (!groups.has(m.unit_id))
      groups.set(m.unit_id, { unitId: m.unit_id, unitName: unitNames.get(m.unit_id) || null, memberships: [] });
    groups.get(m.unit_id).memberships.push(m);
  }
  for (const g of groups.values()) g.memberships.sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
  return [...groups.values()].sort((a, b) =>
    String(a.unitName ?? '\uffff').localeCompare(String(b.unitName ?? '\uffff')),
  );
}

// Lenient on purpose: the server's email check is the one that counts.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

/**
 * What the device can tell is wrong with a user form before sending it: {field: locale key}.
 * `creating` makes the password required (on a correction an empty one keeps the old), and
 * asks for the first role's unit (a new user needs one, server: `create_user`).
 */
export function userProblems(values, { creating = false } = {}) {
  const problems = {};
  const name = (values.name || '').trim();
  const email = (values.email || '').trim();
  const password = values.password || '';
  if (!name) problems.name = 'admin.errors.need_name';
  else if (name.length > NAME_MAX) problems.name = 'admin.errors.too_long';
  if (!email) problems.email = 'admin.errors.need_email';
  else if (!EMAIL_SHAPE.test(email)) problems.email = 'admin.errors.bad_email';
  else if (email.length > EMAIL_MAX) problems.email = 'admin.errors.too_long';
  if (creating && !password) problems.password = 'admin.errors.need_password';
  else if (password && password.length < PASSWORD_MIN) problems.password = 'admin.errors.short_password';
  if (creating && !values.unit_id) problems.unit_id = 'admin.errors.need_unit';
  if (creating && !ROLES.includes(values.role)) problems.role = 'admin.errors.need_role';
  return problems;
}

/** The fields of a correction that differ from the user as fetched (PATCH sends only those);
 * a password only when one was typed. Empty when nothing changed. */
export function changedFields(user, values) {
  const changes = {};
  const name = (values.name || '').trim();
  const email = (values.email || '').trim();
  if (name !== user.name) changes.name = name;
  if (email !== user.email) changes.email = email;
  if (values.language && values.language !== user.language) changes.language = values.language;
  if (values.password) changes.password = values.password;
  return changes;
}

/**
 * A failed call as the screen shows it: `fields` holds the reasons of the 422 envelope for the
 * fields this form draws (`aliases` maps a server field to the control that shows it, e.g. a
 * new user's `memberships` to its unit), `general` the rest as one line, and `key` a locale key
 * when the code says more than the server's (English) message would.
 */
export function splitErrors(err, known, aliases = {}) {
  const out = { fields: {}, general: '', key: null };
  const codeKeys = {
    network: 'admin.errors.network',
    unauthenticated: 'admin.errors.unauthenticated',
    forbidden: 'admin.not_allowed',
    not_found: 'admin.errors.not_found',
  };
  if (err && codeKeys[err.code]) {
    out.key = codeKeys[err.code];
    return out;
  }
  const rest = [];
  for (const [field, reasons] of Object.entries((err && err.fields) || {})) {
    const target = aliases[field] || field;
    const list = [].concat(reasons).map(String);
    if (known.includes(target)) out.fields[target] = [...(out.fields[target] || []), ...list];
    else rest.push(`${field}: ${list.join(' ')}`);
  }
  if (rest.length || !Object.keys(out.fields).length) {
    out.general = rest.length ? rest.join(' ') : (err && err.message) || '';
  }
  return out;
}
