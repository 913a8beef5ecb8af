/**
 * What a row of the Swedish follow-up led to in a handlingsplan, shared by every screen whose rows
 * can trigger an action (the register, riskanalyser, measures, surveys, the follow-up levels, an
 * egenkontroll's deviations): the handlingsplan items in reach, the items a row is linked to, and
 * the form that links one more (a `quality_links` row, written offline like any other).
 */
import { t } from '../../i18n.js';
import { h } from '../dom.js';
import { live, saved } from './common.js';

/** The handlingsplan items (of the units given) a row can be linked to, each with its plan's title. */
export async function swedishItems(app, unitIds) {
  const plans = live(await app.store.all('plans')).filter(
    (p) => p.kind === 'se_handlingsplan' && unitIds.has(p.unit_id),
  );
  const items = [];
  for (const plan of plans) {
    for (const item of live(await app.store.listItems(plan.id))) items.push({ ...item, planTitle: plan.title });
  }
  return items;
}

export function linkList(links, items) {
  if (!links.length) return null;
  return h(
    'span',
    { class: 'muted', 'data-testid': 'linked-items' },
    `${t('quality.register.led_to')}: `,
    links.map((l, i) => {
      const item = items.find((it) => it.id === l.plan_item_id);
      return [
        i ? ', ' : '',
        item ? h('a', { href: `#/items/${item.id}` }, item.topic || item.goal || t('plan.untitled')) : '…',
      ];
    }),
  );
}

/** Link a handlingsplan item to the row (avvikelse, measure, survey question) that led to it. */
export function linkForm(app, sourceTable, sourceId, label, items, links) {
  const taken = new Set(links.filter((l) => l.source_id === sourceId).map((l) => l.plan_item_id));
  const free = items.filter((i) => !taken.has(i.id));
  if (!free.length) return null;
  const select = h(
    'select',
    { 'aria-label': `${t('quality.register.link')}: ${label}` },
    free.map((i) => h('option', { value: i.id }, `${i.planTitle}: ${i.topic || i.goal || ''}`.slice(0, 90))),
  );
  return h(
    'span',
    { class: 'inline' },
    select,
    h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        onclick: async () => {
          const item = free.find((i) => i.id === select.value);
          await app.store.create('quality_links', {
            plan_item_id: item.id,
            plan_id: item.plan_id,
            unit_id: item.unit_id,
            source_table: sourceTable,
            source_id: sourceId,
          });
          saved(app);
          app.navigate(location.hash);
        },
      },
      t('quality.register.link'),
    ),
  );
}
