// The one HTTP helper (pwa/src/js/http.js): what it sends and the one error it throws.
import { HttpError, fetchJson } from '../../pwa/src/js/http.js';

function answering(status, body, seen = []) {
  return async (url, init) => {
    seen.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
}

test('JSON goes out with its type and the token, and comes back parsed', async () => {
  const seen = [];
  const data = await fetchJson('/api/x', { method: 'POST', body: { a: 1 }, token: 't', transport: answering(200, { ok: true }, seen) });
  expect(data).toEqual({ ok: true });
  expect(seen[0].init.headers['Content-Type']).toBe('application/json');
  expect(seen[0].init.headers.Authorization).toBe('Bearer t');
  expect(seen[0].init.headers['Accept-Language']).toBe('da'); // the app's language, for the server's messages
  expect(seen[0].init.headers['X-Folg-Language']).toBe('da'); // ... which beats the account's saved one
  expect(seen[0].init.body).toBe('{"a":1}');
});

test("a refusal is an HttpError with the server's envelope", async () => {
  const envelope = { error: 'mutation_gap', message: 'Send 4 first.', expected_mutation_id: 4 };
  const err = await fetchJson('/api/sync/push', { transport: answering(409, envelope) }).catch((e) => e);
  expect(err).toBeInstanceOf(HttpError);
  expect([err.status, err.code, err.message, err.offline]).toEqual([409, 'mutation_gap', 'Send 4 first.', false]);
  expect(err.body.expected_mutation_id).toBe(4);
});

test('field reasons come with an input error', async () => {
  const envelope = { error: 'invalid_input', message: 'x', fields: { email: ['Not an email.'] } };
  const err = await fetchJson('/api/users', { transport: answering(422, envelope) }).catch((e) => e);
  expect(err.fields).toEqual({ email: ['Not an email.'] });
});

test('an answer without an envelope still has a code', async () => {
  const err = await fetchJson('/', { transport: async () => new Response('<html>', { status: 502 }) }).catch((e) => e);
  expect([err.status, err.code, err.body]).toEqual([502, 'server_error', null]);
});

test('an unreachable server is an offline HttpError', async () => {
  const err = await fetchJson('/', { transport: async () => { throw new TypeError('Failed to fetch'); } }).catch((e) => e);
  expect(err).toBeInstanceOf(HttpError);
  expect([err.status, err.code, err.offline]).toEqual([0, 'network', true]);
});
