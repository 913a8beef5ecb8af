/**
 * Honest words about saving. A form's save writes the row and its outbox entry on the device;
 * the server has it only after a sync. So a save says "saved on this device – sent at the next
 * sync" (offline: "… when there is a network"), and once the sync that carried it has finished
 * that message is replaced: "Gemt." when the server took everything, or "the server did not
 * take it, it waits for you" when the sync left a new refused draft.
 */
import { t } from '../i18n.js';
import { announce } from './dom.js';

/** @type {{drafts: number} | null} what the sync state was when the last save was announced */
let waiting = null;

/** A form saved on the device. @param {any} app */
export function announceSaved(app) {
  announce(app.online() ? t('saving.local') : t('saving.local_offline'));
  waiting = { drafts: (app.sync && app.sync.state.drafts) || 0 };
}

/**
 * Called with every sync state: the first clean finish after a save replaces its message (not
 * while a save is still on its way to the outbox: `writing`, see sync.js).
 * @param {{phase: string, pending: number, writing?: number, drafts?: number}} state
 */
export function noteSyncState(state) {
  if (!waiting || state.phase !== 'idle' || state.pending > 0 || state.writing > 0) return;
  const refused = (state.drafts || 0) > waiting.drafts;
  waiting = null;
  announce(refused ? t('saving.refused') : t('saving.server'));
}

/** "Synkronisér nu": offline, say so instead of nothing. @param {any} app */
export function syncNow(app) {
  if (!app.online()) announce(t('saving.offline_now'));
  return app.sync.resume();
}
