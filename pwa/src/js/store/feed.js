/**
 * What the sync module feeds into the store and takes out of it: applying a pulled page,
 * taking a push batch from the outbox and acknowledging the server's answers, and the two
 * ways to start over (a new client identity, a reset for a full pull).
 *
 * Pulled pages go through the "relaxed" connection (`store.feedDb`): a page and its cursor
 * commit together or not at all, and anything lost in a crash is simply pulled again. Push
 * batches and their answers change the outbox, so they use the strict one (`store.db`).
 *
 * Each function takes the `Store` (store.js) as its first argument.
 */
import { ROW_WRITTEN_TABLES, SYNCED_TABLES, serverCopy, withDerived } from './schema.js';
import { pendingFields } from './writes.js';
import { keepRefused } from './drafts.js';
import { SUMMARIZED_TABLE, SUMMARY_TABLE, SummaryChanges, rebuildSummaries } from './summaries.js';

/** @typedef {import('./store.js').Store} Store */

const KNOWN_TABLES = new Set(SYNCED_TABLES);

/**
 * Apply one page of pulled changes and (when given) save the cursor, in one transaction: the
 * cursor never runs ahead of the data. A row with pending edits keeps them on top of the
 * server's new values; the server settles any clash when the edits are pushed.
 * @param {Store} store
 * @param {Array<{table: string, id: string, version: number, deleted: boolean, fields: object}>} changes
 * @param {string | undefined} cursor
 */
export async function applyPage(store, changes, cursor, { fresh = false } = {}) {
  const db = store.feedDb;
  const tables = SYNCED_TABLES.map((t) => db.table(t));
  await db.transaction('rw', [...tables, db.outbox, db.meta, db.table(SUMMARY_TABLE)], async () => {
    const summaries = new SummaryChanges();
    // A pull that started from no cursor can only meet rows this device made itself (they
    // are in the outbox) or rows from earlier pages of the same pull (older or equal): it
    // skips reading every row first, which halves the cost of a first sync. Plan items are
    // read all the same: their plans' summaries need what each row was before.
    const waiting = fresh ? new Set((await db.outbox.toArray()).map((e) => `${e.table}/${e.id}`)) : null;
    const byTable = new Map();
    for (const c of changes) {
      if (!KNOWN_TABLES.has(c.table)) continue; // a table from a newer schema
      if (!byTable.has(c.table)) byTable.set(c.table, []);
      byTable.get(c.table).push(c);
    }
    for (const [table, list] of byTable) {
      const t = db.table(table);
      const ids = list.map((c) => c.id);
      const current =
        fresh && table !== SUMMARIZED_TABLE
          ? await Promise.all(ids.map((id) => (waiting.has(`${table}/${id}`) ? t.get(id) : undefined)))
          : await t.bulkGet(ids);
      const puts = [];
      const deletes = [];
      for (let i = 0; i < list.length; i += 1) {
        const c = list[i];
        const local = current[i];
        const pending = local && local._status !== 'synced';
        if (c.deleted) {
          // The delete wins; pending edits stay in the outbox and become a conflict record
          // on the server when pushed, so nothing is lost.
          deletes.push(c.id);
          continue;
        }
        // An older version than the one held (e.g. a pull racing a push answer) is ignored,
        // except by a row kept through a reset: the server may have gone back (a restore).
        if (local && local._version != null && !local._reset && c.version < local._version) {
          continue;
        }
        const server = { ...c.fields, id: c.id };
        if (pending) {
          const mine = await pendingFields(db, table, c.id);
          puts.push(
            withDerived(table, {
              ...server,
              ...mine,
              // A row deleted here stays deleted until the server has the delete.
              ...(local._status === 'deleted' ? { deleted: true } : {}),
              _status: local._status,
              _version: c.version,
              _server: server,
            }),
          );
        } else {
          puts.push(withDerived(table, { ...server, _status: 'synced', _version: c.version }));
        }
      }
      if (puts.length) await t.bulkPut(puts);
      if (deletes.length) await t.bulkDelete(deletes);
      if (table === SUMMARIZED_TABLE) noteFinalRows(summaries, table, ids, current, puts, deletes);
    }
    await summaries.save(db.table(SUMMARY_TABLE));
    if (cursor !== undefined) await db.meta.put({ key: 'cursor', value: cursor });
  });
  if (changes.length) store._emit({ pulled: changes.length });
}

/**
 * Note each row of a page once, from what it was before the page (`current`, read before any
 * of it was written) to what the page left: its puts in order, then its deletes, as written.
 */
function noteFinalRows(summaries, table, ids, current, puts, deletes) {
  const before = new Map(ids.map((id, i) => [id, current[i]]));
  const after = new Map();
  for (const row of puts) after.set(row.id, row);
  for (const id of deletes) after.set(id, null);
  for (const [id, row] of after) summaries.note(table, before.get(id), row);
}

/**
 * Store a row the server just returned through REST (e.g. a plan created online).
 * @param {Store} store
 */
export async function putServerRow(store, table, id, version, fields) {
  await applyPage(store, [{ table, id, version, deleted: false, fields }], undefined);
}

/**
 * Take up to `limit` outbox entries, oldest first, into a push batch, giving each a mutation id
 * (kept if it already has one, so retries repeat the same ids). A batch holds at most one entry
 * per row: the next one waits for the first one's answer, which gives it its base version.
 * @param {Store} store
 * @param {number} limit
 */
export async function takeBatch(store, limit) {
  const { db } = store;
  let batch = [];
  await db.transaction('rw', db.outbox, db.meta, async () => {
    const entries = await db.outbox.orderBy('seq').limit(limit).toArray();
    const seen = new Set();
    let next = ((await db.meta.get('last_mutation_id'))?.value ?? 0) + 1;
    for (const e of entries) {
      const key = `${e.table}/${e.id}`;
      if (seen.has(key)) break;
      seen.add(key);
      if (e.mutation_id == null) {
        e.mutation_id = next;
        next += 1;
        await db.outbox.update(e.seq, { mutation_id: e.mutation_id });
      }
      batch.push(e);
    }
    const top = batch.reduce((m, e) => Math.max(m, e.mutation_id), 0);
    const saved = (await db.meta.get('last_mutation_id'))?.value ?? 0;
    if (top > saved) await db.meta.put({ key: 'last_mutation_id', value: top });
  });
  return batch;
}

/**
 * Record the server's answers to a pushed batch (docs/sync-protocol.md, section 5). Every
 * answered entry leaves the outbox; then the row's server copy is updated and what the user
 * sees is rebuilt as server copy + the row's remaining outbox entries:
 *
 *   applied     server copy := server copy + the fields sent (or `row` when the server sent it)
 *   merged      server copy := `row` (others' changes to other fields included)
 *   partial     server copy := `row` (the valid fields applied); the refused fields are kept
 *               as the row's draft (drafts.js) with the server's reasons
 *   conflict    server copy := `row`; the server value stayed, the conflict row comes by pull
 *   rejected    server copy unchanged; all the mutation's fields are kept as the row's draft
 *   duplicate   treated as its `original_status`
 *
 * A row the server deleted, or never took (a refused create), is forgotten unless more local
 * changes of it wait in the outbox; a refused create's whole row lives on in its draft.
 * Resolves to the drafts kept by this answer.
 * @param {Store} store
 */
export async function ackBatch(store, batch, results) {
  const { db } = store;
  const byId = new Map(batch.map((e) => [e.mutation_id, e]));
  const refused = [];
  const tables = SYNCED_TABLES.map((t) => db.table(t));
  const summaryTable = db.table(SUMMARY_TABLE);
  await db.transaction('rw', [...tables, db.outbox, db.meta, db.drafts, summaryTable], async () => {
    const summaries = new SummaryChanges();
    for (const answer of results) {
      const r = answer.status === 'duplicate' ? { ...answer, status: answer.original_status || 'applied' } : answer;
      const entry = byId.get(r.mutation_id);
      if (!entry) continue;
      await db.outbox.delete(entry.seq);
      const t = db.table(entry.table);
      const row = await t.get(entry.id);
      const refusedFields = r.status === 'partial' ? Object.keys((r.error && r.error.fields) || {}) : [];
      if (r.status === 'rejected' || r.status === 'partial') {
        const draft = await keepRefused(
          db,
          entry,
          row,
          {
            status: r.status,
            error: r.error,
            refused: refusedFields.length ? refusedFields : undefined,
          },
          store.now().toISOString(),
        );
        if (draft) refused.push(draft);
      }
      const rest = await db.outbox.where('[table+id]').equals([entry.table, entry.id]).toArray();
      const accepted = r.status === 'applied' || r.status === 'merged' || r.status === 'partial';

      let server = serverCopy(row);
      let version = row ? row._version : null;
      let gone = false;
      if (r.row) {
        gone = Boolean(r.row.deleted);
        // `row` is {version, deleted, fields} (section 5); a flat row is taken as its fields.
        server = gone ? null : { ...rowFields(r.row), id: entry.id };
        version = r.row.version ?? r.version ?? version;
      } else if (accepted) {
        if (entry.op === 'delete') gone = true;
        else {
          const taken = { ...entry.fields };
          for (const f of refusedFields) delete taken[f];
          server = { ...(server || { id: entry.id }), ...taken };
        }
        version = r.version ?? version;
      } else if (r.status === 'conflict' && r.version != null) {
        version = r.version;
      }
      if (accepted && entry.op === 'upsert') {
        // Later edits of this row were made on top of what this device showed, which the
        // server now holds at `version`.
        for (const e of rest) {
          if (e.mutation_id == null && (e.base_version ?? -1) < (version ?? 0)) {
            await db.outbox.update(e.seq, { base_version: version });
          }
        }
      }
      if (!row) continue;
      if ((gone || !server) && !rest.length) {
        await t.delete(entry.id);
        summaries.note(entry.table, row, null);
        continue;
      }
      if (gone) {
        // Deleted on the server: remaining edits will come back as delete_edit conflicts.
        await t.delete(entry.id);
        summaries.note(entry.table, row, null);
        continue;
      }
      const mine = {};
      for (const e of rest) if (e.op === 'upsert') Object.assign(mine, e.fields);
      const status = rest.length ? (server ? 'updated' : 'created') : 'synced';
      const rebuilt = { ...row, ...server, ...mine, _version: version, _status: status };
      // A value the server did not take and has no value of its own for (a refused end date
      // on a row without one) leaves what is shown; the draft holds it.
      if (server)
        for (const f of Object.keys(entry.fields || {})) if (!(f in server) && !(f in mine)) delete rebuilt[f];
      delete rebuilt._reset; // the server has just answered for this row: its version is current
      if (status === 'synced') delete rebuilt._server;
      else rebuilt._server = server;
      if (rest.some((e) => e.op === 'delete')) {
        rebuilt.deleted = true;
        rebuilt._status = 'deleted';
      } else if (entry.op === 'delete') {
        rebuilt.deleted = false;
      }
      await t.put(withDerived(entry.table, rebuilt));
      summaries.note(entry.table, row, rebuilt);
    }
    await summaries.save(summaryTable);
  });
  store._emit({ acked: results.length, ...(refused.length ? { drafts: true } : {}) });
  return refused;
}

/** The fields of a pushed answer's `row`: {version, deleted, fields} (section 5), or flat. */
function rowFields(row) {
  if (row.fields) return row.fields;
  const fields = { ...row };
  for (const k of ['version', 'deleted', 'id']) delete fields[k];
  return fields;
}

/**
 * The server refused a push with `mutation_gap` (it lost ids, e.g. restored from a backup):
 * number the sealed outbox entries again from `expected`, keeping their order.
 * @param {Store} store
 * @param {number} expected
 */
export async function renumberOutbox(store, expected) {
  const { db } = store;
  await db.transaction('rw', db.outbox, db.meta, async () => {
    const sealed = (await db.outbox.orderBy('seq').toArray()).filter((e) => e.mutation_id != null);
    let next = expected;
    for (const e of sealed) {
      await db.outbox.update(e.seq, { mutation_id: next });
      next += 1;
    }
    await db.meta.put({ key: 'last_mutation_id', value: next - 1 });
  });
}

/**
 * A new client id (the old one belongs to another user): mutation ids start again at 1.
 * @param {Store} store
 * @param {string} clientId
 */
export async function newClientIdentity(store, clientId) {
  const { db } = store;
  await db.transaction('rw', db.outbox, db.meta, async () => {
    await db.meta.put({ key: 'client_id', value: clientId });
    await db.meta.put({ key: 'last_mutation_id', value: 0 });
    await db.outbox.toCollection().modify({ mutation_id: null });
  });
}

/**
 * Start over after the server said `reset_required`: forget the cursor and every row that
 * owes the server nothing; rows with pending edits and the outbox stay.
 * @param {Store} store
 */
export async function resetForFullPull(store) {
  const { db } = store;
  const tables = SYNCED_TABLES.map((t) => db.table(t));
  const kept = new Set(ROW_WRITTEN_TABLES);
  await db.transaction('rw', [...tables, db.meta, db.table(SUMMARY_TABLE)], async () => {
    for (const name of SYNCED_TABLES) {
      if (kept.has(name)) {
        await db.table(name).where('_status').equals('synced').delete();
        // The rows kept for their edits take whatever version the full pull brings.
        await db.table(name).where('_status').notEqual('synced').modify({ _reset: true });
      } else {
        // Read-only tables (and conflicts, whose pending resolutions stay in the outbox) come
        // back whole with the full pull.
        await db.table(name).clear();
      }
    }
    // Only the rows with pending edits are left: their plans' summaries are built again.
    await rebuildSummaries(db.table(SUMMARIZED_TABLE), db.table(SUMMARY_TABLE));
    await db.meta.delete('cursor');
  });
  store._emit({ reset: true });
}
