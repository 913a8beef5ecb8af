/**
 * The words of a plan's template, from the one file the server's Word export and import read
 * too (server/catalogues/templates/plan_columns.json, see server/plan_templates.py):
 *
 *   kind --result_label--> layout --language--> nine {heading, question} + the kind's title
 *
 * They are merged into the locale catalogues (i18n.js) as `kind.<kind>` and
 * `template.<layout>.<column>.heading|question`, so the UI asks `t()` as for any other word.
 * A foster-family STATUS plan shows seed 001's wording, with no question under STATUS.
 */
import templates from '../../../server/catalogues/templates/plan_columns.json';

/** The model field behind each of the nine columns, in the template's order. */
export const COLUMNS = [
  'theme',
  'topic',
  'goal',
  'activities',
  'resources',
  'timeframe',
  'documentation',
  'responsible',
  'result',
];

/** The last-column variants (`result_label`) a plan of `kind` may take, default first. */
export function variantsFor(kind) {
  const spec = templates.kinds[kind];
  if (!spec) return [];
  return [spec.default, ...Object.keys(spec.variants).filter((v) => v !== spec.default)];
}

export function defaultVariant(kind) {
  return templates.kinds[kind] ? templates.kinds[kind].default : 'result';
}

/** The layout a plan is shown with; a variant its kind lacks shows as the default (as the server prints it). */
export function layoutFor(plan) {
  const spec = templates.kinds[plan && plan.kind] || templates.kinds.dk_tilbud;
  return spec.variants[plan && plan.result_label] || spec.variants[spec.default];
}

/** The locale catalogues with the template words merged in (a copy; the inputs stay as they are). */
export function withTemplateLabels(locales) {
  const merged = {};
  for (const [lang, dict] of Object.entries(locales)) {
    const template = {};
    for (const [layout, byLanguage] of Object.entries(templates.columns)) {
      const pairs = byLanguage[lang] || byLanguage.da;
      template[layout] = Object.fromEntries(
        COLUMNS.map((column, i) => [column, { heading: pairs[i][0], question: pairs[i][1] }]),
      );
    }
    merged[lang] = { ...dict, kind: { ...(templates.titles[lang] || templates.titles.da) }, template };
  }
  return merged;
}
