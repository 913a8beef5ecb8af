/**
 * Evidence (DOKUMENTATION) on a plan row or one of its progress notes: a photo or a PDF kept on
 * the device first, its bytes uploaded by the sync module before the record (like a visit
 * photo, sync.js uploadPhotos), so it works offline. A photo is re-encoded through a canvas,
 * which drops its EXIF (location); a PDF's metadata is blanked by the server on upload.
 */
import { t, formatDate } from '../i18n.js';
import { h, field, announce } from './dom.js';
import { confirmDialog } from './shell.js';
import { reencodeJpeg, sha256Hex } from './visits.js';
import { checkAttachment, cleanFilename, isImage, jpegName, sizeText } from './evidence_model.js';

/**
 * Keep `file` as evidence on `item` (and on the note `noteId`, if given).
 * @returns {Promise<object>} the new plan_attachments row
 */
export async function attachFile(app, item, file, { noteId = null } = {}) {
  const problem = checkAttachment(file);
  if (problem) throw new Error(t(`evidence.errors.${problem}`));
  let blob = file;
  let contentType = file.type;
  let filename = cleanFilename(file.name, 'bilag');
  if (isImage(file)) {
    blob = await reencodeJpeg(file);
    contentType = 'image/jpeg';
    filename = jpegName(file.name);
  }
  const sha256 = await sha256Hex(blob);
  await app.store.putPhotoBlob(sha256, blob, contentType);
  return app.store.create('plan_attachments', {
    item_id: item.id,
    plan_id: item.plan_id,
    unit_id: item.unit_id,
    note_id: noteId,
    sha256,
    content_type: contentType,
    size_bytes: blob.size,
    filename,
    caption: null,
    created_by: app.user.id,
    created_at: new Date().toISOString(),
  });
}

/**
 * A file input for evidence; `onFile(file)` is called with the chosen file.
 * @param {{ testid?: string, onFile?: (file: File) => void }} [options]
 */
export function attachmentInput({ testid = 'attachment-input', onFile = undefined } = {}) {
  const input = h('input', {
    type: 'file',
    accept: 'image/jpeg,image/png,image/*,application/pdf',
    'data-testid': testid,
  });
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (file && onFile) onFile(file);
  });
  return input;
}

/** Where the bytes are: waiting on this device, uploaded, or only on the server. */
async function uploadState(app, attachment) {
  const local = await app.store.getPhotoBlob(attachment.sha256);
  if (!local) return { text: t('evidence.on_server'), uploaded: true, local: null };
  if (local.error) return { text: `${t('evidence.failed')}: ${local.error}`, uploaded: false, local };
  return local.uploaded
    ? { text: t('evidence.uploaded'), uploaded: true, local }
    : { text: t('evidence.waiting'), uploaded: false, local };
}

/** Open the file: from the device if it is here, else fetched with the bearer token. */
async function openAttachment(app, attachment, local) {
  try {
    const blob = local ? local.blob : await (await app.api.download(`/api/photos/${attachment.sha256}`)).blob();
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: attachment.filename || 'bilag', hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    announce(`${t('evidence.open_failed')}: ${err.message || err}`);
  }
}

async function removeAttachment(app, attachment) {
  const ok = await confirmDialog({
    title: t('evidence.delete'),
    text: attachment.filename || '',
    ok: t('evidence.delete'),
    cancel: t('item.cancel'),
    danger: true,
  });
  if (!ok) return;
  await app.store.removeAttachment(attachment.id);
  announce(t('evidence.deleted'));
  app.sync.requestSoon();
}

/**
 * The list of a row's (or a note's) evidence, each with its upload state and actions.
 * @param {any} app
 * @param {any[]} attachments
 * @param {{ canDelete?: (attachment: any) => boolean }} [options]
 */
export async function attachmentList(app, attachments, { canDelete = () => false } = {}) {
  if (!attachments.length) return null;
  const entries = await Promise.all(
    attachments.map(async (a) => {
      const state = await uploadState(app, a);
      const kind = a.content_type === 'application/pdf' ? 'PDF' : t('evidence.photo');
      return h(
        'li',
        { class: 'attachment', 'data-testid': 'attachment', 'data-uploaded': String(state.uploaded) },
        h(
          'button',
          { type: 'button', class: 'link', onclick: () => openAttachment(app, a, state.local) },
          a.filename || t('evidence.file'),
        ),
        h(
          'span',
          { class: 'muted' },
          ` (${kind}, ${sizeText(a.size_bytes || 0)}) · ${app.userName(a.created_by)} · ${formatDate(
            (a.created_at || '').slice(0, 10),
          )} · ${state.text}`,
        ),
        canDelete(a)
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn small danger',
                'data-testid': 'delete-attachment',
                onclick: () => removeAttachment(app, a),
              },
              t('evidence.delete'),
              h('span', { class: 'sr-only' }, `: ${a.filename || ''}`),
            )
          : null,
      );
    }),
  );
  return h('ul', { class: 'list attachments', 'data-testid': 'attachment-list' }, entries);
}

/**
 * The row's evidence on its edit page: the list, and a file input to add to it. The edit page
 * is no live view (it holds a form being typed), so the list redraws itself when the store's
 * attachments or their bytes change (a new file, an upload finished, a pull).
 */
export async function evidenceSection(app, item, { canAttach }) {
  const mine = (a) => a.created_by === app.user.id || app.isManager(item.unit_id);
  const draw = async () =>
    (await attachmentList(app, await app.store.listAttachments(item.id), {
      canDelete: (a) => canAttach && mine(a),
    })) || h('p', { class: 'muted' }, t('evidence.none'));
  let list = await draw();
  let drawing = false;
  const refresh = async () => {
    if (drawing) return;
    drawing = true;
    try {
      const next = await draw();
      list.replaceWith(next);
      list = next;
    } finally {
      drawing = false;
    }
  };
  const input = canAttach
    ? attachmentInput({
        onFile: async (file) => {
          try {
            await attachFile(app, item, file);
            announce(t('evidence.saved'));
            app.sync.requestSoon();
          } catch (err) {
            announce(`${t('evidence.failed')}: ${err.message || err}`);
          }
          await refresh();
        },
      })
    : null;
  const section = h(
    'section',
    { class: 'card evidence', 'aria-labelledby': `evidence-h-${item.id}`, 'data-testid': 'evidence' },
    h('h2', { id: `evidence-h-${item.id}` }, t('evidence.title')),
    list,
    input ? field(t('evidence.add'), input, t('evidence.hint')) : null,
  );
  let shown = false;
  const stop = app.store.onChange((what) => {
    if (section.isConnected) shown = true;
    else if (shown) return stop(); // the page moved on
    if (!what || !what.table || what.table === 'plan_attachments' || what.table === 'photo_blobs') refresh();
    return undefined;
  });
  return section;
}
