/**
 * The REST calls the app makes besides sync: log in and out, create a plan while online, and the
 * plan lifecycle (submit, approve, ...). Errors carry the server's envelope code
 * (server/services/errors.py): invalid_input, unauthenticated, forbidden, not_found,
 * invalid_state, rate_limited, too_large, upgrade_required; plus "network" when unreachable.
 */
export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.fields = fields || null;
  }
}

export function createApi({ getToken, baseUrl = '', transport = (...a) => globalThis.fetch(...a) }) {
  async function request(method, path, body) {
    const token = await getToken();
    let res;
    try {
      res = await transport(baseUrl + path, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        cache: 'no-store',
      });
    } catch (err) {
      throw new ApiError(0, 'network', err && err.message);
    }
    if (res.status === 204) return null;
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (!res.ok) {
      throw new ApiError(res.status, (data && data.error) || 'error', data && data.message, data && data.fields);
    }
    return data;
  }

  return {
    login: (email, password) => request('POST', '/api/auth/login', { email, password }),
    logout: () => request('POST', '/api/auth/logout'),
    me: () => request('GET', '/api/auth/me'),
    createPlan: (fields) => request('POST', '/api/plans', fields),
    planAction: (planId, action) => request('POST', `/api/plans/${planId}/${action}`, {}),
  };
}
