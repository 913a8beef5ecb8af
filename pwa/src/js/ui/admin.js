/**
 * Administration, for admins of at least one unit: the users of their units with their roles
 * (`#/admin`), a new user (`#/admin/new`), and one user (`#/admin/users/<id>`): correct the
 * name, email, language or password, grant and revoke roles, deactivate and reactivate.
 *
 * Unlike the other screens this one talks to the server only (app.api), and only online. The
 * user list is personal data: it is fetched on every visit, lives in this screen's DOM and
 * nowhere else, and nothing is queued: the store (IndexedDB) and the outbox never see it. A
 * change made here reaches the user's devices through their own next sync.
 *
 * The rules the device checks first are in ui/admin_model.js; the server's answer decides.
 * Its 422 reasons are shown next to their field as the server words them (in English).
 */
import { t, LANGUAGES, language } from '../i18n.js';
import { h, field, uid, announce } from './dom.js';
import { confirmDialog } from './shell.js';
import {
  ROLES,
  PASSWORD_MIN,
  NAME_MAX,
  EMAIL_MAX,
  isAdmin,
  adminUnits,
  canManageUser,
  rolesByUnit,
  userProblems,
  changedFields,
  splitErrors,
} from './admin_model.js';

const LIST = '#/admin';

// ---- shared parts ------------------------------------------------------------------------

/** A screen: the way back to the list (`back`) above the heading, as on the other screens. */
function page(title, { back = false } = {}, ...body) {
  return {
    title,
    node: h(
      'div',
      { 'data-testid': 'admin' },
      back ? h('p', {}, h('a', { href: LIST }, `← ${t('admin.title')}`)) : null,
      h('h1', { tabindex: '-1' }, title),
      ...body,
    ),
  };
}

/** Why the screen cannot show anything, instead of its content; null when it can. */
function blocked(app) {
  if (!isAdmin(app.user)) return notAllowedPage();
  if (!app.online()) return offlinePage();
  return null;
}

function notAllowedPage() {
  return page(
    t('admin.title'),
    {},
    h('p', { class: 'notice', 'data-testid': 'admin-not-allowed' }, t('admin.not_allowed')),
  );
}

function offlinePage() {
  return page(t('admin.title'), {}, h('p', { class: 'notice', 'data-testid': 'admin-offline' }, t('admin.offline')));
}

/** The caller's units and the users of the units they administer, fetched now. */
async function fetchDirectory(app) {
  const [units, users] = await Promise.all([app.api.units(), app.api.users()]);
  const mine = adminUnits(units);
  return {
    users,
    mine,
    mineIds: new Set(mine.map((u) => u.id)),
    unitNames: new Map(units.map((u) => [u.id, u.name])),
  };
}

/** What a screen needs: `{dir}`, or `{stop}`, the page to show instead (not an admin, also no
 * longer since login; offline; the fetch failed). */
async function directoryOrStop(app) {
  const stop = blocked(app);
  if (stop) return { stop };
  let dir;
  try {
    dir = await fetchDirectory(app);
  } catch (err) {
    return { stop: fetchFailedPage(err) };
  }
  return dir.mine.length ? { dir } : { stop: notAllowedPage() };
}

/** The page for a failed fetch: offline, not (or no longer) an admin, or the server's words. */
function fetchFailedPage(err) {
  if (err && err.code === 'network') return offlinePage();
  const { key, general } = splitErrors(err, []);
  return page(
    t('admin.title'),
    {},
    h('p', { class: 'error', role: 'alert' }, key ? t(key) : general || t('admin.errors.generic')),
  );
}

/** A labelled control with a place for its reasons: `set([...])` shows them and marks the
 * control invalid; `set([])` clears them. */
function checkedField(label, control, hint) {
  const node = field(label, control, hint);
  const error = h('p', { class: 'error', id: `${control.id}-error`, 'data-error-for': control.name });
  node.append(error);
  const described = control.getAttribute('aria-describedby');
  control.setAttribute('aria-describedby', [described, error.id].filter(Boolean).join(' '));
  const set = (reasons) => {
    error.textContent = reasons.join(' ');
    if (reasons.length) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  };
  return { node, set, control };
}

/**
 * Show a form's problems: `problems` are {field: [reasons]} for the checked fields (`controls`),
 * `general` the line under the form. Focus goes to the first field with a problem, else to the
 * general message, so a screen reader hears what went wrong.
 */
function showProblems(controls, generalEl, problems, general = '') {
  let first = null;
  for (const [name, ctl] of Object.entries(controls)) {
    const reasons = problems[name] || [];
    ctl.set(reasons);
    if (reasons.length && !first) first = ctl.control;
  }
  generalEl.textContent = general;
  if (first) first.focus();
  else if (general) generalEl.focus();
}

function localProblems(values, options) {
  return Object.fromEntries(
    Object.entries(userProblems(values, options)).map(([f, key]) => [f, [t(key, { n: PASSWORD_MIN })]]),
  );
}

function serverProblems(controls, generalEl, err, aliases) {
  const { fields, general, key } = splitErrors(err, Object.keys(controls), aliases);
  const text = key ? t(key) : general || (Object.keys(fields).length ? '' : t('admin.errors.generic'));
  showProblems(controls, generalEl, fields, text);
}

function generalError(testid) {
  return h('p', { class: 'error', role: 'alert', tabindex: '-1', 'data-testid': testid });
}

function languageSelect(value) {
  return h(
    'select',
    { name: 'language' },
    LANGUAGES.map((l) => h('option', { value: l, selected: l === value, lang: l }, t(`lang.${l}`))),
  );
}

function unitSelect(units) {
  return h(
    'select',
    { name: 'unit_id' },
    units.map((u) => h('option', { value: u.id }, u.name)),
  );
}

function roleSelect() {
  return h(
    'select',
    { name: 'role' },
    ROLES.map((r) => h('option', { value: r }, t(`admin.roles.${r}`))),
  );
}

function submitButton(app, label, testid) {
  return h(
    'button',
    { type: 'submit', class: 'btn primary', disabled: !app.online(), 'data-online-only': true, 'data-testid': testid },
    label,
  );
}

function onlineNote(app) {
  return h('p', { class: 'muted', 'data-online-note': true, hidden: app.online() }, t('admin.offline'));
}

/** Run an action with its button off meanwhile (no double submit). */
async function busy(app, button, action) {
  button.disabled = true;
  try {
    return await action();
  } finally {
    button.disabled = !app.online();
  }
}

function unitLabel(name) {
  return name || t('admin.other_unit');
}

// ---- #/admin: the users ------------------------------------------------------------------

export async function adminView(app) {
  const { dir, stop } = await directoryOrStop(app);
  if (stop) return stop;
  return page(
    t('admin.title'),
    {},
    h('p', {}, t('admin.intro')),
    h(
      'p',
      { class: 'actions' },
      h('a', { class: 'btn primary', href: '#/admin/new', 'data-testid': 'new-user-link' }, t('admin.new_user')),
    ),
    h('h2', {}, t('admin.users_title')),
    dir.users.length === 0
      ? h('p', {}, t('admin.no_users'))
      : h(
          'ul',
          { class: 'list', 'data-testid': 'user-list' },
          dir.users.map((user) => userRow(app, user, dir)),
        ),
  );
}

function userRow(app, user, dir) {
  return h(
    'li',
    { class: 'row admin-user', 'data-user-id': user.id },
    h(
      'a',
      { class: 'row-main', href: `#/admin/users/${user.id}` },
      user.name,
      user.id === app.user.id ? ` (${t('admin.you')})` : '',
    ),
    h('span', { class: 'muted admin-email' }, user.email),
    activeBadge(user),
    h(
      'ul',
      { class: 'admin-roles', 'aria-label': t('admin.roles_of', { name: user.name }) },
      rolesByUnit(user, dir.unitNames).map((g) =>
        h('li', {}, `${unitLabel(g.unitName)}: ${g.memberships.map((m) => t(`admin.roles.${m.role}`)).join(', ')}`),
      ),
    ),
  );
}

function activeBadge(user) {
  return h(
    'span',
    { class: `state ${user.active ? 'state-approved' : 'item-cancelled'}`, 'data-testid': 'user-active' },
    user.active ? t('admin.active') : t('admin.inactive'),
  );
}

// ---- #/admin/new -------------------------------------------------------------------------

export async function newUserView(app) {
  const { dir, stop } = await directoryOrStop(app);
  if (stop) return stop;

  const c = {
    name: checkedField(
      t('admin.name'),
      h('input', { name: 'name', autocomplete: 'off', maxlength: NAME_MAX, required: true }),
    ),
    email: checkedField(
      t('admin.email'),
      h('input', { name: 'email', type: 'email', autocomplete: 'off', maxlength: EMAIL_MAX, required: true }),
    ),
    language: checkedField(t('admin.language'), languageSelect(language())),
    password: checkedField(
      t('admin.password'),
      h('input', {
        name: 'password',
        type: 'password',
        autocomplete: 'new-password',
        minlength: PASSWORD_MIN,
        required: true,
      }),
      t('admin.password_hint', { n: PASSWORD_MIN }),
    ),
    unit_id: checkedField(t('admin.unit'), unitSelect(dir.mine)),
    role: checkedField(t('admin.role'), roleSelect()),
  };
  const general = generalError('new-user-error');
  const submit = submitButton(app, t('admin.create'), 'create-user');
  const form = h(
    'form',
    { class: 'card narrow', novalidate: true, 'data-testid': 'new-user' },
    c.name.node,
    c.email.node,
    c.language.node,
    c.password.node,
    h('fieldset', {}, h('legend', {}, t('admin.first_role')), c.unit_id.node, c.role.node),
    general,
    h('div', { class: 'actions' }, h('a', { class: 'btn', href: LIST }, t('admin.cancel')), submit),
    onlineNote(app),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = Object.fromEntries(Object.entries(c).map(([k, ctl]) => [k, ctl.control.value]));
    const problems = localProblems(values, { creating: true });
    if (Object.keys(problems).length) {
      showProblems(c, general, problems);
      return;
    }
    showProblems(c, general, {});
    try {
      const user = await busy(app, submit, () =>
        app.api.createUser({
          name: values.name.trim(),
          email: values.email.trim(),
          language: values.language,
          password: values.password,
          memberships: [{ unit_id: values.unit_id, role: values.role }],
        }),
      );
      announce(t('admin.created', { name: user.name }));
      app.navigate(`#/admin/users/${user.id}`);
    } catch (err) {
      serverProblems(c, general, err, { memberships: 'unit_id' });
    }
  });
  return page(t('admin.new_user'), { back: true }, form);
}

// ---- #/admin/users/<id> ------------------------------------------------------------------

export async function userView(app, userId) {
  const { dir, stop } = await directoryOrStop(app);
  if (stop) return stop;
  const user = dir.users.find((u) => u.id === userId);
  if (!user)
    return page(
      t('admin.title'),
      { back: true },
      h('p', { class: 'notice', 'data-testid': 'admin-no-user' }, t('admin.errors.not_found')),
    );

  // The screen is drawn again in place after each change, from the server's answer; focus
  // goes to the heading of the part that changed (its button may be gone). The details form
  // is kept across redraws, so what was typed in it survives a role granted meanwhile; only
  // saving it (`fresh`) draws it anew.
  const body = h('div', {});
  let details = null;
  const draw = (focusId, { fresh = false } = {}) => {
    if (fresh || !details) details = detailsCard(app, user, draw);
    // replaceChildren() would print a null as text: leave absent parts out.
    body.replaceChildren(...userParts(app, user, dir, draw, details).filter(Boolean));
    const target = focusId && body.querySelector(`#${focusId}`);
    if (target) target.focus();
  };
  draw(null);
  return page(user.name, { back: true }, body);
}

function userParts(app, user, dir, draw, details) {
  const manageable = canManageUser(user, dir.mineIds);
  return [
    h('p', { 'data-testid': 'user-summary' }, user.email, ' · ', t(`lang.${user.language}`), ' · ', activeBadge(user)),
    manageable ? null : h('p', { class: 'notice', 'data-testid': 'not-manageable' }, t('admin.not_manageable')),
    rolesCard(app, user, dir, draw),
    manageable ? details : null,
    manageable ? accessCard(app, user, draw) : null,
  ];
}

function rolesCard(app, user, dir, draw) {
  const headingId = 'admin-roles-h';
  const general = generalError('role-error');
  const rows = [];
  for (const group of rolesByUnit(user, dir.unitNames)) {
    for (const m of group.memberships) {
      const unit = unitLabel(group.unitName);
      const role = t(`admin.roles.${m.role}`);
      const revoke = dir.mineIds.has(m.unit_id)
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn small danger',
              'aria-label': `${t('admin.revoke')}: ${t('admin.role_in', { role, unit })}`,
              'data-online-only': true,
              disabled: !app.online(),
              onclick: (ev) => revokeRole(app, user, m, { unit, role }, ev.currentTarget, general, draw, headingId),
            },
            t('admin.revoke'),
          )
        : null;
      rows.push(
        h(
          'li',
          { class: 'row', 'data-membership-id': m.id },
          h('span', { class: 'row-main' }, t('admin.role_in', { role, unit })),
          revoke,
        ),
      );
    }
  }
  return h(
    'section',
    { class: 'card', 'aria-labelledby': headingId, 'data-testid': 'user-roles' },
    h('h2', { id: headingId, tabindex: '-1' }, t('admin.roles_title')),
    rows.length ? h('ul', { class: 'list' }, rows) : h('p', {}, t('admin.no_roles')),
    general,
    grantForm(app, user, dir, draw, headingId),
  );
}

async function revokeRole(app, user, membership, { unit, role }, button, general, draw, headingId) {
  const last = user.memberships.length === 1;
  if (last && user.active) {
    // The server keeps an active user's last role: nobody could deactivate them afterwards.
    general.textContent = t('admin.revoke_last_active');
    general.focus();
    return;
  }
  const ok = await confirmDialog({
    title: t('admin.revoke_title'),
    text: `${t('admin.revoke_confirm', { name: user.name, role, unit })}${last ? ` ${t('admin.revoke_last')}` : ''}`,
    ok: t('admin.revoke'),
    cancel: t('admin.cancel'),
    danger: true,
  });
  if (!ok) return;
  general.textContent = '';
  try {
    await busy(app, button, () => app.api.revokeRole(membership.id));
  } catch (err) {
    const { key, general: text } = splitErrors(err, []);
    general.textContent = key ? t(key) : text || t('admin.errors.generic');
    general.focus();
    return;
  }
  announce(t('admin.revoked', { name: user.name, role, unit }));
  user.memberships = user.memberships.filter((m) => m.id !== membership.id);
  // A user with no role left is in none of the admin's units: they leave the list.
  if (!user.memberships.length) app.navigate(LIST);
  else draw(headingId);
}

function grantForm(app, user, dir, draw, headingId) {
  const c = {
    unit_id: checkedField(t('admin.unit'), unitSelect(dir.mine)),
    role: checkedField(t('admin.role'), roleSelect()),
  };
  const general = generalError('grant-error');
  const submit = submitButton(app, t('admin.grant'), 'grant-role');
  const titleId = uid('grant');
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': titleId, 'data-testid': 'grant-form' },
    h('h3', { id: titleId }, t('admin.grant_title')),
    h('div', { class: 'inline admin-grant' }, c.unit_id.node, c.role.node),
    general,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showProblems(c, general, {});
    const unitId = c.unit_id.control.value;
    const role = c.role.control.value;
    let membership;
    try {
      membership = await busy(app, submit, () => app.api.grantRole(user.id, unitId, role));
    } catch (err) {
      if (err.code === 'invalid_state') showProblems(c, general, { role: [t('admin.errors.role_exists')] });
      else serverProblems(c, general, err, { user_id: 'role' });
      return;
    }
    user.memberships = [...user.memberships, membership];
    announce(t('admin.granted', { name: user.name, role: t(`admin.roles.${role}`), unit: dir.unitNames.get(unitId) }));
    draw(headingId);
  });
  return form;
}

function detailsCard(app, user, draw) {
  const headingId = 'admin-details-h';
  const c = {
    name: checkedField(
      t('admin.name'),
      h('input', { name: 'name', autocomplete: 'off', maxlength: NAME_MAX, value: user.name }),
    ),
    email: checkedField(
      t('admin.email'),
      h('input', { name: 'email', type: 'email', autocomplete: 'off', maxlength: EMAIL_MAX, value: user.email }),
    ),
    language: checkedField(t('admin.language'), languageSelect(user.language)),
    password: checkedField(
      t('admin.new_password'),
      h('input', { name: 'password', type: 'password', autocomplete: 'new-password', minlength: PASSWORD_MIN }),
      t('admin.new_password_hint', { n: PASSWORD_MIN }),
    ),
  };
  const general = generalError('details-error');
  const submit = submitButton(app, t('admin.save'), 'save-user');
  const form = h(
    'form',
    { novalidate: true, 'data-testid': 'user-form' },
    c.name.node,
    c.email.node,
    c.language.node,
    c.password.node,
    general,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = Object.fromEntries(Object.entries(c).map(([k, ctl]) => [k, ctl.control.value]));
    const problems = localProblems(values, { creating: false });
    if (Object.keys(problems).length) {
      showProblems(c, general, problems);
      return;
    }
    const changes = changedFields(user, values);
    if (!Object.keys(changes).length) {
      showProblems(c, general, {}, t('admin.nothing_changed'));
      return;
    }
    showProblems(c, general, {});
    let saved;
    try {
      saved = await busy(app, submit, () => app.api.updateUser(user.id, changes));
    } catch (err) {
      serverProblems(c, general, err);
      return;
    }
    Object.assign(user, saved);
    announce(t('admin.saved', { name: user.name }));
    document.title = `${user.name} – ${t('app.name')}`;
    const heading = document.querySelector('#main h1');
    if (heading) heading.textContent = user.name;
    draw(headingId, { fresh: true });
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': headingId, 'data-testid': 'user-details' },
    h('h2', { id: headingId, tabindex: '-1' }, t('admin.details_title')),
    form,
  );
}

function accessCard(app, user, draw) {
  const headingId = 'admin-access-h';
  const error = h('p', {
    class: 'error',
    role: 'alert',
    tabindex: '-1',
    id: uid('access-error'),
    'data-testid': 'access-error',
  });
  const button = h(
    'button',
    {
      type: 'button',
      class: user.active ? 'btn danger' : 'btn primary',
      'data-online-only': true,
      disabled: !app.online(),
      'data-testid': user.active ? 'deactivate-user' : 'reactivate-user',
      'aria-describedby': error.id,
    },
    user.active ? t('admin.deactivate') : t('admin.reactivate'),
  );
  button.addEventListener('click', async () => {
    error.textContent = '';
    const active = !user.active;
    if (!active) {
      const ok = await confirmDialog({
        title: t('admin.deactivate'),
        text: t('admin.deactivate_confirm', { name: user.name }),
        ok: t('admin.deactivate'),
        cancel: t('admin.cancel'),
        danger: true,
      });
      if (!ok) return;
    }
    let saved;
    try {
      saved = await busy(app, button, () => app.api.updateUser(user.id, { active }));
    } catch (err) {
      // Deactivating oneself is refused on `active`: the server's own sentence says why.
      const { fields, key, general } = splitErrors(err, ['active']);
      error.textContent = key
        ? t(key)
        : [...(fields.active || []), general].filter(Boolean).join(' ') || t('admin.errors.generic');
      error.focus();
      return;
    }
    Object.assign(user, saved);
    announce(t(user.active ? 'admin.reactivated' : 'admin.deactivated', { name: user.name }));
    draw(headingId);
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': headingId, 'data-testid': 'user-access' },
    h('h2', { id: headingId, tabindex: '-1' }, t('admin.access_title')),
    h('p', {}, user.active ? t('admin.active_text') : t('admin.inactive_text')),
    h('p', { class: 'hint' }, user.active ? t('admin.deactivate_hint') : t('admin.reactivate_hint')),
    button,
    error,
  );
}
