/**
 * What a push message becomes on the screen, and where a click on it leads. Pure functions, used
 * by the service worker (sw-extra.js, bundled at build time) and tested in tests/pwa.
 *
 * The payload is the server's (docs/push.md): {title, body?, url, kind, lang, about?}. The title
 * is taken from the app's own locale strings for `kind` in `lang` (bundled into the worker, never
 * fetched, so it works with the worker alone); the server's title is the fallback for a kind,
 * or an `about`, this build does not know yet.
 */
export const LANGUAGES = ['da', 'sv', 'en'];
export const HOME_ROUTE = '/#/units';
const ICON = '/icons/icon-192.png';
// A reminder about a task of the Swedish årshjul opens that task in an årshjul (the server's
// link_for); its title is the `<kind>_task` string ("En uppgift i årshjulet ...").
const TASK_ROUTE = /^\/#\/quality\/[^/]+\/cycle\/[^/]+$/;
// `about` picks the words where a kind says two things: the `<kind>_<about>` string, as
// "due_soon_deadline" (the frist of a påbud) or "assigned_follow_up" (following the row up). A
// row's reminder is about its end date unless it says otherwise: the kind's own string.
const DEFAULT_ABOUT = 'end_date';

/** `strings` maps a language to its `notification` block ({kind: title}). */
export function notificationFor(payload, strings) {
  const data = payload && typeof payload === 'object' ? payload : {};
  const lang = LANGUAGES.includes(data.lang) ? data.lang : 'da';
  const titles = (strings && strings[lang]) || {};
  const url = appRoute(data.url);
  const sent = typeof data.title === 'string' ? data.title : undefined;
  const title = ownTitle(data, url, titles) || sent || own(titles, 'fallback') || 'Følg';
  return {
    title,
    options: {
      body: typeof data.body === 'string' ? data.body : undefined,
      lang,
      // One notification per target: a second reminder for the same item replaces the first.
      tag: url,
      icon: ICON,
      badge: ICON,
      data: { url, kind: data.kind || null },
    },
  };
}

/** The app's own title for the payload, if this build has one (else undefined). */
function ownTitle(data, url, titles) {
  if (typeof data.kind !== 'string') return undefined;
  const kind = TASK_ROUTE.test(url) ? `${data.kind}_task` : data.kind;
  const about = typeof data.about === 'string' && data.about !== DEFAULT_ABOUT ? data.about : null;
  return own(titles, about ? `${kind}_${about}` : kind);
}

/** A string of the block itself: never one inherited from Object ("constructor"). */
function own(titles, key) {
  const found = Object.prototype.hasOwnProperty.call(titles, key) ? titles[key] : undefined;
  return typeof found === 'string' ? found : undefined;
}

/**
 * Only a route of this app is ever opened: a path on the worker's own origin (normally the
 * hash route "/#/items/<id>"). Anything else (another origin, "javascript:", garbage) falls
 * back to the home route, so a payload cannot send the user elsewhere.
 */
export function appRoute(url) {
  if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//') || url.includes('\\')) return HOME_ROUTE;
  return url;
}

/** The absolute URL to open for a route, on the worker's origin. */
export function targetUrl(route, origin) {
  return new URL(appRoute(route), origin).href;
}

/** The hash part of a route ("#/items/1"), which an open page sets to navigate in place. */
export function routeHash(route) {
  const safe = appRoute(route);
  const at = safe.indexOf('#');
  return at >= 0 ? safe.slice(at) : '#/units';
}

/** VAPID keys are served base64url; PushManager.subscribe wants the bytes. */
export function base64UrlToBytes(text) {
  const base64 = String(text).replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** True when a subscription was made with this server key (a new key orphans the old one). */
export function sameKey(a, b) {
  if (!a || !b) return false;
  const bytes = (k) =>
    ArrayBuffer.isView(k) ? new Uint8Array(k.buffer, k.byteOffset, k.byteLength) : new Uint8Array(k);
  const x = bytes(a);
  const y = bytes(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
