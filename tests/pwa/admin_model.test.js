// The administration screen's rules agree with server/services/admin.py and server/schemas/org.py.
import {
  ROLES, adminUnits, canManageUser, changedFields, isAdmin, rolesByUnit, splitErrors, userProblems,
} from '../../pwa/src/js/ui/admin_model.js';
import { HttpError as ApiError } from '../../pwa/src/js/http.js';

const A = 'unit-a';
const B = 'unit-b';
const OTHER = 'unit-other';
const user = (memberships, fields = {}) => ({ id: 'u1', name: 'Lise Berg', email: 'lise@x.test', language: 'da', active: true, memberships, ...fields });
const role = (unit, r, id = `${unit}-${r}`) => ({ id, unit_id: unit, role: r });

test('the roles offered are the ones the API accepts', () => {
  expect(ROLES).toEqual(['staff', 'manager', 'foster_parent', 'inspector', 'admin']);
});

test.each([
  ['an admin of one unit', [{ unit_id: A, role: 'staff' }, { unit_id: B, role: 'admin' }], true],
  ['a manager', [{ unit_id: A, role: 'manager' }], false],
  ['someone without roles', [], false],
])('the admin screen is for admins only: %s', (_, memberships, expected) => {
  expect(isAdmin({ memberships })).toBe(expected);
});

test('nobody logged in is no admin', () => {
  expect(isAdmin(null)).toBe(false);
});

test('only the units the caller administers are offered, by name', () => {
  const units = [
    { id: B, name: 'Skovbryn', roles: ['admin'] },
    { id: OTHER, name: 'Andet', roles: ['manager'] },
    { id: A, name: 'Lærkevej', roles: ['admin', 'staff'] },
  ];
  expect(adminUnits(units).map((u) => u.id)).toEqual([A, B]);
});

test.each([
  ['every role in the admin\'s units', [role(A, 'staff'), role(B, 'manager')], true],
  ['a role in a unit the admin does not administer', [role(A, 'staff'), role(OTHER, 'staff')], false],
  ['no role left', [], false],
])('an admin may change a user with %s: %s', (_, memberships, expected) => {
  expect(canManageUser(user(memberships), new Set([A, B]))).toBe(expected);
});

test('roles are grouped by unit, known units by name first, roles in the API\'s order', () => {
  const names = new Map([[A, 'Lærkevej'], [B, 'Bøgely']]);
  const groups = rolesByUnit(user([role(OTHER, 'staff'), role(A, 'admin'), role(A, 'staff'), role(B, 'manager')]), names);
  expect(groups.map((g) => [g.unitName, g.memberships.map((m) => m.role)])).toEqual([
    ['Bøgely', ['manager']],
    ['Lærkevej', ['staff', 'admin']],
    [null, ['staff']],
  ]);
});

const newUser = { name: 'Lise Berg', email: 'lise@x.test', password: 'hemmelig1', unit_id: A, role: 'staff' };

test('a complete new user passes the device\'s checks', () => {
  expect(userProblems(newUser, { creating: true })).toEqual({});
});

test.each([
  ['no name', { name: '   ' }, 'name', 'admin.errors.need_name'],
  ['a name past 200 characters', { name: 'x'.repeat(201) }, 'name', 'admin.errors.too_long'],
  ['no email', { email: '' }, 'email', 'admin.errors.need_email'],
  ['an email without @', { email: 'lise.x.test' }, 'email', 'admin.errors.bad_email'],
  ['no password', { password: '' }, 'password', 'admin.errors.need_password'],
  ['a password under 8 characters', { password: 'kort123' }, 'password', 'admin.errors.short_password'],
  ['no unit', { unit_id: '' }, 'unit_id', 'admin.errors.need_unit'],
  ['a role the API does not know', { role: 'owner' }, 'role', 'admin.errors.need_role'],
])('a new user is refused on the device: %s', (_, change, field, key) => {
  expect(userProblems({ ...newUser, ...change }, { creating: true })).toEqual({ [field]: key });
});

test('a correction may leave the password empty, but not short', () => {
  const values = { name: 'Lise Berg', email: 'lise@x.test', password: '' };
  expect(userProblems(values)).toEqual({});
  expect(userProblems({ ...values, password: 'abc' })).toEqual({ password: 'admin.errors.short_password' });
});

test('a correction sends only what changed, a password only when typed', () => {
  const before = user([role(A, 'staff')]);
  expect(changedFields(before, { name: 'Lise Berg ', email: 'lise@x.test', language: 'da', password: '' })).toEqual({});
  expect(changedFields(before, { name: 'Lise Holm', email: 'lise@x.test', language: 'sv', password: 'nyt-kodeord' }))
    .toEqual({ name: 'Lise Holm', language: 'sv', password: 'nyt-kodeord' });
});

test('a 422 puts each reason by its field and the rest in one line', () => {
  const err = new ApiError(422, 'invalid_input', 'The request has invalid fields: email, memberships, nickname', {
    email: ['A user with this email exists already.'],
    memberships: ['0: role: Must be one of: staff, manager, inspector, admin.'],
    nickname: ['Unknown field.'],
  });
  expect(splitErrors(err, ['email', 'name', 'unit_id'], { memberships: 'unit_id' })).toEqual({
    fields: {
      email: ['A user with this email exists already.'],
      unit_id: ['0: role: Must be one of: staff, manager, inspector, admin.'],
    },
    general: 'nickname: Unknown field.',
    key: null,
  });
});

test('a refused self-deactivation keeps the server\'s sentence on its field', () => {
  const err = new ApiError(422, 'invalid_input', 'active: You cannot deactivate yourself; ask another admin.', {
    active: ['You cannot deactivate yourself; ask another admin.'],
  });
  expect(splitErrors(err, ['active']).fields.active).toEqual(['You cannot deactivate yourself; ask another admin.']);
});

test.each([
  ['network', 'admin.errors.network'],
  ['forbidden', 'admin.not_allowed'],
  ['not_found', 'admin.errors.not_found'],
  ['unauthenticated', 'admin.errors.unauthenticated'],
])('a %s error is said in the user\'s language', (code, key) => {
  expect(splitErrors(new ApiError(0, code, 'x'), ['email'])).toEqual({ fields: {}, general: '', key });
});

test('any other error shows the server\'s message', () => {
  expect(splitErrors(new ApiError(500, 'internal_error', 'Something went wrong on the server.'), ['email']))
    .toEqual({ fields: {}, general: 'Something went wrong on the server.', key: null });
});
