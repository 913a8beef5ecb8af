/**
 * A plan item for someone who may read but not edit the unit's rows (an inspector, a reader):
 * the row's fields as text, the inspection part (finding, deadline, comments) and the row's
 * dialogue, which are theirs to write. No edit form is offered: the server would refuse what it saved.
 */
import { t, formatDate } from '../i18n.js';
import { h, lines } from './dom.js';
import { itemInspectionSection } from './visits.js';
import { draftList } from './drafts.js';
import { itemThreadSection } from './thread.js';

const TEXT_FIELDS = ['topic', 'goal', 'activities', 'resources', 'documentation', 'result'];

/** A HVEM? list as lines of names, or '' (no row) when it names no one. */
function who(app, list) {
  const text = Array.isArray(list) ? list.map((r) => r.name || app.userName(r.user_id)).join('\n') : '';
  return text ? lines(text) : '';
}

/**
 * A draft the person made while they could still edit (a role revoked since) is shown with its
 * values, to copy or discard.
 * @param {any} app @param {{item: any, plan: any, themes: any[], draft?: any}} row
 */
export async function itemReadOnly(app, { item, plan, themes, draft = null }) {
  const backHref = `#/plans/${plan ? plan.id : ''}`;
  const title = item ? item.topic || t('plan.untitled') : t('item.new');
  const theme = item && themes.find((th) => th.id === item.theme_id);
  const criterion = item && item.criterion_id ? await app.store.get('criteria', item.criterion_id) : null;
  const row = (label, value) => (value ? h('div', {}, h('dt', {}, label), h('dd', {}, value)) : null);
  return {
    title,
    node: h(
      'div',
      {},
      h('p', {}, h('a', { href: backHref }, `← ${plan ? plan.title : t('app.back')}`)),
      h('h1', { tabindex: '-1' }, title),
      h('p', { class: 'notice', 'data-testid': 'item-read-only' }, t('saving.read_only')),
      draft ? draftList(app, [draft], { headingId: 'item-draft-h', here: true }) : null,
      item
        ? h(
            'dl',
            { class: 'card plan-header', 'data-testid': 'item-fields' },
            row(t('item.theme'), theme ? theme.name : ''),
            row(t('item.criterion'), criterion ? criterion.text : ''),
            TEXT_FIELDS.map((f) => row(t(`item.${f}`), item[f] ? lines(item[f]) : '')),
            row(t('item.start_date'), formatDate(item.start_date)),
            row(t('item.end_date'), formatDate(item.end_date)),
            // HVEM?'s two jobs (a row pulled before they were apart: the same people for both).
            row(t('item.responsible_doing'), who(app, item.responsible)),
            row(t('item.responsible_following'), who(app, item.follow_up_responsible ?? item.responsible)),
            row(t('item.state'), t(`item_state.${item.state || 'not_started'}`)),
          )
        : null,
      item ? await itemInspectionSection(app, item) : null,
      // The inspector's part of the row: the dialogue with the provider (ui/thread.js).
      item && plan ? await itemThreadSection(app, plan, item) : null,
    ),
  };
}
