/**
 * Files from the server: the plan as Word here, items as CSV/XLSX in ui/export.js. Downloads need the bearer token,
 * so they are fetched (api.download), turned into a Blob and saved through an object URL; a
 * plain link would go without the token. Offline the buttons are switched off with a note:
 * these files are made on the server.
 */
import { t, language } from '../i18n.js';
import { h, announce } from './dom.js';
import { filenameFromDisposition, exportQuery } from '../files.js';

/** Fetch `path` and hand the file to the browser's download. */
export async function downloadFile(app, path, fallbackName) {
  const res = await app.api.download(path);
  const blob = await res.blob();
  const name = filenameFromDisposition(res.headers.get('Content-Disposition')) || fallbackName;
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start reading the blob before it goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

function downloadError(err) {
  if (err && err.code === 'network') return t('documents.offline');
  if (err && err.code === 'not_found') return t('documents.not_on_server');
  return t('documents.error');
}

/** A button that downloads while showing it is busy, and says what went wrong in `message`. */
export function downloadButton(app, { label, testid, path, fallbackName, message }) {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      disabled: !app.online(),
      'data-online-only': true,
      'data-testid': testid,
    },
    label,
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = t('documents.busy');
    message.textContent = '';
    try {
      await downloadFile(app, typeof path === 'function' ? path() : path, fallbackName);
      announce(t('documents.downloaded'));
    } catch (err) {
      message.textContent = downloadError(err);
    } finally {
      button.textContent = label;
      button.disabled = !app.online();
    }
  });
  return button;
}

/** "Hent som Word" for the plan view, with its offline note and error line. */
export function planDocumentActions(app, plan) {
  const message = h('span', { class: 'error', role: 'alert', 'data-testid': 'download-error' });
  // The dialogue with the inspectorate as an appendix (server: ?threads=1).
  const threads = h('input', { type: 'checkbox', 'data-testid': 'word-threads' });
  // Each row's progress notes, with author and date (server: ?notes=1).
  const notes = h('input', { type: 'checkbox', 'data-testid': 'word-notes' });
  return [
    downloadButton(app, {
      label: t('documents.word'),
      testid: 'download-word',
      path: () =>
        `/api/plans/${plan.id}/export.docx${exportQuery({ lang: language() })}${threads.checked ? '&threads=1' : ''}${
          notes.checked ? '&notes=1' : ''
        }`,
      fallbackName: 'plan.docx',
      message,
    }),
    // What else goes into the file, folded: the rows come first on a phone.
    h(
      'details',
      { class: 'word-options', 'data-testid': 'word-options' },
      h('summary', {}, t('documents.word_options')),
      h('label', { class: 'check' }, threads, t('documents.with_threads')),
      h('label', { class: 'check' }, notes, t('documents.with_notes')),
    ),
    h('span', { class: 'muted', 'data-online-note': true, hidden: app.online() }, t('documents.offline')),
    message,
  ];
}
