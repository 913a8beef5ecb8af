import { t } from '../i18n.js';
import { h, field } from './dom.js';

export function loginView(app, { expired = false } = {}) {
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    value: app.lastEmail || (app.user && app.user.email) || '',
  });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const submit = h('button', { type: 'submit', class: 'btn primary' }, t('login.submit'));
  const form = h(
    'form',
    { class: 'card narrow', novalidate: true },
    field(t('login.email'), email),
    field(t('login.password'), password),
    error,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    if (!email.value || !password.value) {
      error.textContent = t('login.error.invalid_input');
      return;
    }
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      if (!(await app.login(email.value.trim(), password.value))) {
        // The person chose to keep the last person's unsent changes: stay on this form.
        submit.disabled = false;
        submit.textContent = t('login.submit');
      }
    } catch (err) {
      const key = `login.error.${err.code}`;
      const text = t(key);
      error.textContent = text === key ? t('login.error.generic') : text;
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  });
  return {
    title: t('login.title'),
    node: h(
      'div',
      {},
      h('h1', { tabindex: '-1' }, t('login.title')),
      h('p', {}, expired ? t('login.again') : t('login.intro')),
      !app.online() ? h('p', { class: 'notice' }, t('login.offline')) : null,
      form,
    ),
  };
}
