/** My units; a unit's plans with their state and overdue counts (the first screen). Creating a
 * plan is a screen of its own (new_plan.js), loaded when it is opened. */
import { t, formatDate } from '../i18n.js';
import { h } from './dom.js';
import { planStateKey } from './plan_state.js';

export function isOverdue(item, today) {
  return (
    Boolean(item.end_date) &&
    !item.ongoing &&
    item.end_date < today &&
    item.state !== 'done' &&
    item.state !== 'cancelled' &&
    !item.deleted
  );
}

export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export async function unitsView(app) {
  const units = await app.store.listUnits();
  const counts = await app.store.planCounts(units.map((u) => u.id));
  return {
    title: t('units.title'),
    live: true,
    node: h(
      'div',
      {},
      h('h1', { tabindex: '-1' }, t('units.title')),
      units.length === 0
        ? h('p', {}, t('units.none'))
        : h(
            'ul',
            { class: 'list', 'data-testid': 'unit-list' },
            units.map((u) =>
              h(
                'li',
                { class: 'row' },
                h('a', { href: `#/units/${u.id}`, class: 'row-main' }, u.name),
                h('span', { class: 'muted' }, t('units.plans', { n: counts.get(u.id) })),
              ),
            ),
          ),
      units.some((u) => app.isManager(u.id))
        ? h(
            'p',
            {},
            h('a', { class: 'btn', href: '#/export', 'data-testid': 'export-link' }, t('documents.export_link')),
          )
        : null,
    ),
  };
}

export async function unitPlansView(app, unitId) {
  const unit = await app.store.get('units', unitId);
  const plans = (await app.store.listPlans(unitId))
    .filter((p) => !p.deleted)
    .sort((a, b) => String(b.plan_date || '').localeCompare(String(a.plan_date || '')));
  // One small summary per plan (store/summaries.js) instead of counting its items; the overdue
  // count is worked out from it for the day the list is drawn.
  const stats = await app.store.planStats(
    plans.map((p) => p.id),
    today(),
  );
  const rows = plans.map((p) => ({ plan: p, ...stats.get(p.id) }));
  const manager = app.isManager(unitId);
  return {
    title: unit ? unit.name : t('plans.title'),
    live: true,
    node: h(
      'div',
      {},
      h('p', {}, h('a', { href: '#/units' }, `← ${t('nav.units')}`)),
      h('h1', { tabindex: '-1' }, unit ? unit.name : t('plans.title')),
      manager
        ? h(
            'p',
            { class: 'actions' },
            h('a', { class: 'btn primary', href: `#/units/${unitId}/new-plan` }, t('plans.new')),
            h(
              'a',
              { class: 'btn', href: `#/units/${unitId}/import`, 'data-testid': 'import-link' },
              t('documents.import_link'),
            ),
            h(
              'a',
              { class: 'btn', href: `#/export/${unitId}`, 'data-testid': 'export-link' },
              t('documents.export_link'),
            ),
          )
        : null,
      h(
        'p',
        {},
        h('a', { class: 'btn', href: `#/units/${unitId}/visits`, 'data-testid': 'unit-visits' }, t('visits.title')),
      ),
      unit && unit.kind.startsWith('se_')
        ? h('p', {}, h('a', { class: 'btn', href: `#/quality/${unitId}` }, t('quality.title')))
        : null,
      rows.length === 0
        ? h('p', {}, t('plans.none'))
        : h(
            'ul',
            { class: 'list', 'data-testid': 'plan-list' },
            rows.map(({ plan, items, overdue }) =>
              h(
                'li',
                { class: 'row plan-row' },
                h('a', { href: `#/plans/${plan.id}`, class: 'row-main' }, plan.title || t('plan.untitled')),
                h('span', { class: `state state-${plan.state || 'draft'}` }, t(planStateKey(plan))),
                h('span', { class: 'muted' }, t('plans.items', { n: items })),
                h(
                  'span',
                  { class: overdue ? 'overdue' : 'muted', 'data-testid': 'overdue' },
                  t('plans.overdue', { n: overdue }),
                ),
                plan.plan_date ? h('span', { class: 'muted' }, formatDate(plan.plan_date)) : null,
              ),
            ),
          ),
    ),
  };
}
