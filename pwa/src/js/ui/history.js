/**
 * A plan's change history (`GET /api/plans/{id}/history`): every recorded change of the plan
 * and its rows, newest first, each change made after management approved the plan marked as
 * such. Online, it is fetched and kept on the device (store `plan_history`); offline, the copy
 * last fetched is shown, with when it was fetched.
 */
import { t, formatDate, formatDateTime } from '../i18n.js';
import { h } from './dom.js';
import { changesAfterApproval, historyEntries, valueText } from './history_model.js';

function fieldLabel(field) {
  const label = t(`field.${field}`);
  return label === `field.${field}` ? field : label;
}

/** Fetch the history when online (and keep it); else, or when that fails, the device's copy. */
async function loadHistory(app, planId) {
  let error = null;
  if (app.online()) {
    try {
      const events = await app.api.planHistory(planId);
      return { entry: await app.store.putPlanHistory(planId, events), fresh: true, error };
    } catch (err) {
      error = err;
    }
  }
  return { entry: await app.store.getPlanHistory(planId), fresh: false, error };
}

export async function historyView(app, planId) {
  const plan = await app.store.get('plans', planId);
  const back = h('p', {}, h('a', { href: `#/plans/${planId}` }, `← ${plan ? plan.title : t('history.back')}`));
  const heading = h('h1', { tabindex: '-1' }, t('history.title'));
  if (!plan || plan.deleted) {
    return { title: t('history.title'), node: h('div', {}, back, heading, h('p', {}, t('item.not_found'))) };
  }
  const { entry, fresh, error } = await loadHistory(app, planId);
  const status = [];
  if (error)
    status.push(h('p', { class: 'notice', role: 'status' }, t('history.load_error', { message: error.message || '' })));
  if (!entry) {
    status.push(h('p', { class: 'notice', 'data-testid': 'history-none' }, t('history.offline_none')));
    return { title: t('history.title'), node: h('div', { class: 'history' }, back, heading, status) };
  }
  const at = formatDateTime(entry.fetched_at);
  status.push(
    h(
      'p',
      { class: fresh ? 'muted' : 'notice', 'data-testid': 'history-source' },
      fresh ? t('history.fetched', { at }) : t('history.offline_cached', { at }),
    ),
  );
  const names = (id) => app.userName(id);
  const late = changesAfterApproval(entry.events);
  const entries = historyEntries(entry.events);
  const list = entries.length
    ? h(
        'ol',
        { class: 'history-list', 'data-testid': 'history-list', reversed: true },
        entries.map((e) =>
          h(
            'li',
            {
              class: e.afterApproval ? 'history-event after-approval' : 'history-event',
              'data-testid': 'history-event',
              'data-after-approval': String(e.afterApproval),
            },
            h(
              'p',
              { class: 'history-what' },
              h('time', { datetime: e.at }, formatDateTime(e.at)),
              ' · ',
              h('strong', {}, e.who || t('history.someone')),
              ' · ',
              `${t(`history.table.${e.table}`)}: ${t(`history.action.${e.action}`)}`,
              e.afterApproval
                ? h('span', { class: 'badge after-approval-mark' }, ` ${t('history.after_approval')}`)
                : null,
            ),
            e.changes.length
              ? h(
                  'dl',
                  { class: 'history-changes' },
                  e.changes.map((c) =>
                    h(
                      'div',
                      {},
                      h('dt', {}, fieldLabel(c.field)),
                      h(
                        'dd',
                        {},
                        t('history.from_to', {
                          from: valueText(c.before, names) || t('history.empty_value'),
                          to: valueText(c.after, names) || t('history.empty_value'),
                        }),
                      ),
                    ),
                  ),
                )
              : null,
          ),
        ),
      )
    : h('p', {}, t('history.empty'));
  return {
    title: t('history.title'),
    node: h(
      'div',
      { class: 'history', 'data-testid': 'history' },
      back,
      heading,
      h('p', {}, t('history.intro')),
      plan.approved_at
        ? h(
            'p',
            { 'data-testid': 'history-approval' },
            t('history.approved_line', { name: app.userName(plan.approved_by), date: formatDate(plan.approved_at) }),
            late ? ` · ${t('history.count_after', { n: late })}` : '',
          )
        : null,
      status,
      list,
    ),
  };
}
