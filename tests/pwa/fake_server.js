/**
 * A small in-memory server speaking the sync protocol, enough to drive the PWA's store and sync
 * modules in unit tests: per-row versions, per-field versions, a change feed ordered by a global
 * sequence, idempotent mutation ids, same-field conflicts recorded as `conflicts` rows.
 * The real rules live in sync/ and docs/sync-protocol.md; the e2e tests run against those.
 */
export function createFakeServer({ token = 'tok' } = {}) {
  const rows = new Map(); // `${table}/${id}` -> {table, id, version, deleted, fields, fieldVersions, seq}
  const clients = new Map(); // client_id -> {last, results: Map}
  let seq = 0;
  let conflictCounter = 0;
  const calls = [];
  let failNext = null;

  function put(table, id, fields, { deleted = false } = {}) {
    const key = `${table}/${id}`;
    const row = rows.get(key) || { table, id, version: 0, deleted: false, fields: {}, fieldVersions: {} };
    row.version += 1;
    for (const [f, v] of Object.entries(fields)) {
      row.fields[f] = v;
      row.fieldVersions[f] = row.version;
    }
    row.deleted = deleted;
    seq += 1;
    row.seq = seq;
    rows.set(key, row);
    return row;
  }

  function pull({ cursor, limit }) {
    const after = cursor ? Number(cursor) : 0;
    const all = [...rows.values()].filter((r) => r.seq > after).sort((a, b) => a.seq - b.seq);
    const page = all.slice(0, limit);
    const last = page.length ? page[page.length - 1].seq : after;
    return {
      changes: page.map((r) => ({ table: r.table, id: r.id, version: r.version, deleted: r.deleted, fields: { ...r.fields } })),
      cursor: String(last),
      has_more: all.length > page.length,
      last_mutation_id: 0,
    };
  }

  function apply(clientId, m) {
    const key = `${m.table}/${m.id}`;
    const row = rows.get(key);
    if (m.table === 'plan_items' && m.fields && m.fields.topic === 'REJECT ME') {
      return { mutation_id: m.mutation_id, status: 'rejected', error: { error: 'invalid_input', message: 'topic refused' } };
    }
    // A half-bad edit: an end date before the start is refused by field, the rest applied.
    const start = (m.fields && m.fields.start_date) ?? (row && row.fields.start_date);
    if (m.table === 'plan_items' && row && m.fields && m.fields.end_date && start && m.fields.end_date < start) {
      const { end_date: _refused, ...rest } = m.fields;
      const r = Object.keys(rest).length ? put(m.table, m.id, rest) : row;
      return {
        mutation_id: m.mutation_id,
        status: 'partial',
        version: r.version,
        row: { version: r.version, deleted: false, fields: { ...r.fields } },
        error: { error: 'invalid_input', message: 'Some fields were refused.', fields: { end_date: ['The end date comes before the start date.'] } },
      };
    }
    if (m.op === 'delete') {
      if (!row) return { mutation_id: m.mutation_id, status: 'applied', version: null };
      const r = put(m.table, m.id, {}, { deleted: true });
      return { mutation_id: m.mutation_id, status: 'applied', version: r.version };
    }
    if (!row) {
      const r = put(m.table, m.id, m.fields);
      return { mutation_id: m.mutation_id, status: 'applied', version: r.version };
    }
    const apply = {};
    const conflicts = [];
    let merged = false;
    for (const [f, v] of Object.entries(m.fields)) {
      const fv = row.fieldVersions[f] || 0;
      if (m.base_version == null || fv <= m.base_version) apply[f] = v;
      else if (JSON.stringify(row.fields[f]) === JSON.stringify(v)) merged = true;
      else conflicts.push(f);
    }
    if (m.base_version != null && row.version > m.base_version) merged = true;
    let version = row.version;
    if (Object.keys(apply).length) version = put(m.table, m.id, apply).version;
    for (const f of conflicts) {
      conflictCounter += 1;
      put('conflicts', `c${conflictCounter}`, {
        table_name: m.table, row_id: m.id, field: f, kind: 'edit_edit', status: 'open',
        base_value: m.base[f] ?? null, server_value: row.fields[f], client_value: m.fields[f], client_id: clientId,
      });
    }
    const status = conflicts.length ? 'conflict' : merged ? 'merged' : 'applied';
    return { mutation_id: m.mutation_id, status, version, conflicts };
  }

  function push({ client_id, mutations }) {
    const c = clients.get(client_id) || { last: 0, results: new Map() };
    clients.set(client_id, c);
    const results = [];
    for (const m of mutations) {
      if (c.results.has(m.mutation_id)) {
        results.push({ ...c.results.get(m.mutation_id), status: 'duplicate' });
        continue;
      }
      if (m.mutation_id !== c.last + 1) {
        // The whole push is refused, changing nothing (docs/sync-protocol.md 5.1).
        return { gap: { error: 'mutation_gap', message: 'gap', expected_mutation_id: c.last + 1, last_mutation_id: c.last } };
      }
      const r = apply(client_id, m);
      c.last = m.mutation_id;
      c.results.set(m.mutation_id, r);
      results.push(r);
    }
    return { results };
  }

  async function transport(url, init) {
    const body = JSON.parse(init.body);
    calls.push({ url, body });
    if (failNext) {
      const f = failNext;
      failNext = null;
      if (f === 'network') throw new TypeError('Failed to fetch');
      if (f === 'lost-response') {
        // The server commits, then the answer is lost on the way back.
        if (url.endsWith('/push')) push(body);
        throw new TypeError('Failed to fetch');
      }
      return response(f.status, f.body);
    }
    if (init.headers.Authorization !== `Bearer ${token}`) {
      return response(401, { error: 'unauthenticated', message: 'Log in again' });
    }
    if (url.endsWith('/api/sync/pull')) return response(200, pull(body));
    if (url.endsWith('/api/sync/push')) {
      const answer = push(body);
      return answer.gap ? response(409, answer.gap) : response(200, answer);
    }
    return response(404, { error: 'not_found', message: 'no such route' });
  }

  function response(status, body) {
    return { ok: status >= 200 && status < 300, status, json: async () => body };
  }

  return {
    put,
    rows,
    calls,
    transport,
    row: (table, id) => rows.get(`${table}/${id}`),
    /** Forget a client's mutation log, as a server restored from an old backup would. */
    forgetClient(clientId, last = 0) {
      clients.set(clientId, { last, results: new Map() });
    },
    clients,
    failNextWith(f) {
      failNext = f;
    },
    set token(t) {
      token = t;
    },
  };
}
