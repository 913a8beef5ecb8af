/**
 * Web push on this device (docs/push.md), page side: ask permission, subscribe with the server's
 * VAPID key, tell the server; undo it; keep the server's copy true after the browser changed
 * the subscription; and let go of it on logout.
 *
 * `meta.push` in the store ({endpoint}) remembers that this user turned notifications on here
 * and which endpoint the server has. The service worker re-subscribes on
 * `pushsubscriptionchange` but cannot tell the server (it has no token), so `reconcilePush`
 * runs when the page starts, comes online, or hears from the worker.
 */
import { base64UrlToBytes, sameKey } from './notification.js';

export const NOTIFICATION_KINDS = [
  'assigned',
  'plan_submitted',
  'plan_approved',
  'plan_sent_back',
  'note_added',
  'conflict',
  'message_added',
  'finding_added',
  'paabud_added',
  'followed_submitted',
  'followed_approved',
  'followed_in_force',
  'followed_changed',
  'paabud_item_done',
  'due_soon',
  'overdue',
  'survey_unanswered',
];
const LOGOUT_BUDGET_MS = 3000;

export class PushError extends Error {
  constructor(code) {
    super(code);
    this.code = code; // unsupported | blocked | dismissed (the permission prompt was closed)
  }
}

/** 'unsupported' | 'default' | 'granted' | 'denied' */
export function pushPermission() {
  const nav = globalThis.navigator;
  if (!nav || !('serviceWorker' in nav) || !('PushManager' in globalThis) || !('Notification' in globalThis))
    return 'unsupported';
  return globalThis.Notification.permission;
}

async function registration() {
  // getRegistration (not .ready, which waits forever when no worker is being installed).
  return (await navigator.serviceWorker.getRegistration()) || null;
}

export async function currentSubscription() {
  if (pushPermission() === 'unsupported') return null;
  const reg = await registration();
  return reg ? reg.pushManager.getSubscription() : null;
}

/** A coarse label so a user can tell their devices apart; no identifier of the person. */
function deviceLabel() {
  const data = /** @type {any} */ (navigator).userAgentData; // Chromium only
  const platform = (data && data.platform) || '';
  const brand =
    data && data.brands
      ? (data.brands.find((b) => !/not.a.brand|chromium/i.test(b.brand)) || data.brands[0] || {}).brand
      : '';
  return [brand, platform].filter(Boolean).join(' · ').slice(0, 100) || null;
}

async function subscribeWithServerKey(api, reg) {
  const { public_key: publicKey } = await api.vapidPublicKey();
  const key = base64UrlToBytes(publicKey);
  let subscription = await reg.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options && subscription.options.applicationServerKey, key)) {
    // Made with another server key: push services would refuse our messages for it.
    await subscription.unsubscribe();
    subscription = null;
  }
  return subscription || reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

/** Turn notifications on for this device. Needs the network; may throw PushError or HttpError (http.js). */
export async function enablePush(app) {
  const permission = pushPermission();
  if (permission === 'unsupported') throw new PushError('unsupported');
  const answer = permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (answer === 'denied') throw new PushError('blocked');
  if (answer !== 'granted') throw new PushError('dismissed');
  const reg = await registration();
  if (!reg) throw new PushError('unsupported');
  const subscription = await subscribeWithServerKey(app.api, reg);
  await app.api.subscribePush(subscription.toJSON(), deviceLabel());
  await app.store.setMeta('push', { endpoint: subscription.endpoint });
  return subscription;
}

/** Turn them off: the server forgets the device, then the browser drops the subscription. */
export async function disablePush(app) {
  const subscription = await currentSubscription();
  const saved = await app.store.getMeta('push');
  const endpoint = (subscription && subscription.endpoint) || (saved && saved.endpoint);
  if (endpoint) await app.api.unsubscribePush(endpoint);
  if (subscription) await subscription.unsubscribe();
  await app.store.deleteMeta('push');
}

/**
 * After the browser or the worker changed the subscription (or dropped it), bring the server
 * up to date. Quiet: it runs in the background and tries again next time on failure.
 */
export async function reconcilePush(app) {
  if (!app.store || !app.session || !app.online() || pushPermission() !== 'granted') return;
  const saved = await app.store.getMeta('push');
  if (!saved || !saved.endpoint) return; // not turned on here
  const reg = await registration();
  if (!reg) return;
  let subscription = await reg.pushManager.getSubscription();
  if (subscription && subscription.endpoint === saved.endpoint) return;
  if (!subscription) subscription = await subscribeWithServerKey(app.api, reg);
  await app.api.subscribePush(subscription.toJSON(), deviceLabel());
  if (saved.endpoint !== subscription.endpoint) await app.api.unsubscribePush(saved.endpoint).catch(() => {});
  await app.store.setMeta('push', { endpoint: subscription.endpoint });
}

/**
 * On logout, before the local data goes: the server forgets this device (while the token still
 * works), and the browser drops the subscription, so the next person on the device gets
 * nothing of ours. Never blocks the logout: offline, or when the server is slower than
 * `budgetMs`, only the browser side happens, and the server copy goes when the push service
 * answers 404/410 for it and delivery prunes it.
 */
export async function releasePushOnLogout(app, { budgetMs = LOGOUT_BUDGET_MS } = {}) {
  const subscription = await currentSubscription().catch(() => null);
  if (!subscription) return;
  if (app.online()) {
    let timer;
    const budget = new Promise((resolve) => {
      timer = setTimeout(resolve, budgetMs);
    });
    await Promise.race([app.api.unsubscribePush(subscription.endpoint).catch(() => {}), budget]);
    clearTimeout(timer);
  }
  await subscription.unsubscribe().catch(() => {});
}
