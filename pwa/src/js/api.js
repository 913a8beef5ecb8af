/**
 * The REST calls the app makes besides sync: log in and out, create a plan while online, the
 * plan lifecycle (submit, approve, ...), web push (docs/push.md), documents (Word export and
 * import, item spreadsheets) and administration (users and their roles; never stored on the
 * device). Failures are `HttpError`s (http.js), carrying the server's envelope.
 */
import { defaultTransport, fetchJson } from './http.js';

export function createApi({ getToken, baseUrl = '', transport = defaultTransport }) {
  /** `body` is JSON unless it is FormData (multipart, the browser sets the boundary);
   * `raw` answers with the Response itself (downloads) once it is known to be a success. */
  async function request(method, path, body, { raw = false } = {}) {
    return fetchJson(baseUrl + path, { method, body, raw, token: await getToken(), transport });
  }

  /** A file the server makes (e.g. the kvalitetsberättelse), as a Blob. */
  async function download(path) {
    return (await request('GET', path, undefined, { raw: true })).blob();
  }

  return {
    login: (email, password) => request('POST', '/api/auth/login', { email, password }),
    logout: () => request('POST', '/api/auth/logout'),
    me: () => request('GET', '/api/auth/me'),
    people: () => request('GET', '/api/people'),
    createPlan: (fields) => request('POST', '/api/plans', fields),
    // Online only for the catalogue version: the server moves the rows' themes along.
    updatePlan: (planId, fields) => request('PATCH', `/api/plans/${planId}`, fields),
    planAction: (planId, action, body = {}) => request('POST', `/api/plans/${planId}/${action}`, body),
    // Every recorded change of a plan and its rows, `after_approval` marked (kept on the device).
    planHistory: (planId) => request('GET', `/api/plans/${planId}/history`),
    // Web push (docs/push.md).
    vapidPublicKey: () => request('GET', '/api/push/vapid-public-key'),
    subscribePush: (subscription, deviceLabel) =>
      request('POST', '/api/push/subscriptions', { ...subscription, device_label: deviceLabel || null }),
    // The endpoint goes in the body: a query string would put it in access logs.
    unsubscribePush: (endpoint) => request('DELETE', '/api/push/subscriptions', { endpoint }),
    pushPreferences: () => request('GET', '/api/push/preferences'),
    savePushPreferences: (prefs) => request('PUT', '/api/push/preferences', prefs),
    // Documents: a download is the Response, read as a Blob by the caller.
    download: (path) => request('GET', path, undefined, { raw: true }),
    importPreview: (formData) => request('POST', '/api/plans/import', formData),
    importConfirm: (body) => request('POST', '/api/plans/import/confirm', body),
    // The Swedish quality follow-up's online actions (its rows themselves go through sync).
    qualityDefaults: (unitId) => request('POST', '/api/quality/defaults', { unit_id: unitId }),
    qualityChecklistDefaults: (unitId) => request('POST', '/api/quality/checklists/defaults', { unit_id: unitId }),
    qualityCycle: (unitId, year) =>
      request('POST', '/api/quality/annual-cycle', { unit_id: unitId, year: Number(year) }),
    qualityImport: (unitId, csv) => request('POST', '/api/quality/measure-values/import', { unit_id: unitId, csv }),
    qualityReport: (unitId, year, format) =>
      download(`/api/quality/report?unit_id=${unitId}&year=${Number(year)}&format=${format}`),
    // Adopting the kvalitetsberättelse (fastställa) and the versions kept as they were adopted.
    qualityAdopt: (unitId, year, fields) =>
      request('POST', '/api/quality/reports', { unit_id: unitId, year: Number(year), ...fields }),
    qualityAdopted: (unitId) => request('GET', `/api/quality/reports?unit_id=${unitId}`),
    qualityAdoptedDocument: (reportId, format) => download(`/api/quality/reports/${reportId}?format=${format}`),
    // Survey links (managers, online only): an address is in the answer that makes it, and nowhere else.
    surveyLinks: (unitId) => request('GET', `/api/quality/survey-links?unit_id=${unitId}`),
    surveyLinkSummary: (unitId) => request('GET', `/api/quality/survey-links/summary?unit_id=${unitId}`),
    createSurveyLinks: (body) => request('POST', '/api/quality/survey-links', body),
    reissueSurveyLink: (linkId) => request('POST', `/api/quality/survey-links/${linkId}/reissue`, {}),
    withdrawSurveyLink: (linkId) => request('POST', `/api/quality/survey-links/${linkId}/withdraw`),
    // Administration (admins, online only): the answers are personal data, kept by no one.
    units: () => request('GET', '/api/units'),
    users: () => request('GET', '/api/users'),
    createUser: (fields) => request('POST', '/api/users', fields),
    updateUser: (userId, fields) => request('PATCH', `/api/users/${userId}`, fields),
    grantRole: (userId, unitId, role) =>
      request('POST', '/api/memberships', { user_id: userId, unit_id: unitId, role }),
    revokeRole: (membershipId) => request('DELETE', `/api/memberships/${membershipId}`),
  };
}
