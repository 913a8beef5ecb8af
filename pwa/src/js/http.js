/**
 * The one way the app talks HTTP to its server, and the one error it throws.
 *
 * Every failure is an `HttpError` carrying the server's envelope (sync/errors.py):
 *
 *   status   the HTTP status; 0 when the server could not be reached
 *   code     the envelope's stable `error` code (invalid_input, not_found, reset_required, ...);
 *            "network" when unreachable; "server_error" or "bad_request" when the answer had no
 *            envelope (a proxy's page, say)
 *   message  the envelope's message, for people
 *   fields   `{field: [reason, ...]}` for input errors, else null
 *   body     the whole envelope (extra keys such as `retry_after_seconds`), else null
 *
 * The transport is a seam (tests pass a fake server); it defaults to the browser's fetch.
 * Every call says the app's current language (Accept-Language), so the server's messages
 * (`message`, the reasons in `fields`) come in it; the codes never change.
 */
import { language } from './i18n.js';

export class HttpError extends Error {
  constructor(status, code, message, fields = null, body = null) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.fields = fields || null;
    this.body = body;
  }

  /** The server could not be reached (offline, DNS, a dropped connection). */
  get offline() {
    return this.status === 0;
  }
}

/** @type {(url: string, init?: RequestInit) => Promise<Response>} */
export const defaultTransport = (url, init) => globalThis.fetch(url, init);

/**
 * Send a request and answer its JSON (null for 204 or a body that is not JSON); throw an
 * `HttpError` unless the status is 2xx.
 *
 * `body` is sent as JSON unless it is FormData or bytes (then as it is, the caller naming the
 * type in `headers`). `raw: true` answers with the Response itself once it is a success.
 *
 * @param {string} url
 * @param {{ method?: string, body?: any, token?: string | null, headers?: Record<string, string>,
 *   raw?: boolean, transport?: (url: string, init?: RequestInit) => Promise<Response> }} [options]
 */
export async function fetchJson(
  url,
  { method = 'GET', body, token, headers = {}, raw = false, transport = defaultTransport } = {},
) {
  const asIs = body === undefined || isBinary(body);
  let res;
  try {
    res = await transport(url, {
      method,
      headers: {
        Accept: raw ? '*/*' : 'application/json',
        // The server says its messages (a refused field's reason) in the language the person
        // chose here, which need not be the browser's.
        'Accept-Language': language(),
        // ... and the server takes it over the account's saved language (server/i18n.py).
        'X-Folg-Language': language(),
        ...(asIs ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: asIs ? body : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (err) {
    throw new HttpError(0, 'network', err && err.message);
  }
  if (raw && res.ok) return res;
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) throw errorOf(res.status, data);
  return data;
}

/** The `HttpError` of a failed answer and its (possibly missing) envelope. */
export function errorOf(status, data) {
  const envelope = data && typeof data === 'object' && typeof data.error === 'string' ? data : null;
  const code = envelope ? envelope.error : status >= 500 ? 'server_error' : 'bad_request';
  return new HttpError(status, code, envelope && envelope.message, envelope && envelope.fields, envelope);
}

function isBinary(body) {
  return (
    (typeof FormData !== 'undefined' && body instanceof FormData) ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body)
  );
}
