/**
 * Which quality catalogue version a plan is written under, as the server decides it
 * (server/services/catalogues.py `plan_catalogue`): the version chosen, else the one in force
 * on the inspection date the plan follows up, else on the plan date. Pure functions over the
 * synced `catalogues` rows, so the new-plan form and the plan header say the same offline.
 */

// Which catalogue each plan kind is written under (server CATALOGUE_FOR_PLAN_KIND).
export const CATALOGUE_FOR_KIND = {
  dk_tilbud: 'dk_tilbud',
  dk_plejefamilie: 'dk_plejefamilie',
  se_handlingsplan: 'se_kvalitetsomraden',
};

/** The (not withdrawn) versions of the kind's catalogue, oldest first. */
export function versionsFor(catalogues, kind) {
  const code = CATALOGUE_FOR_KIND[kind];
  return (catalogues || [])
    .filter((c) => c.code === code && !c.deleted)
    .sort((a, b) => String(a.valid_from).localeCompare(String(b.valid_from)));
}

/** The version of the kind's catalogue in force on `date` (ISO), or null. */
export function versionInForce(catalogues, kind, date) {
  if (!date) return null;
  const found = versionsFor(catalogues, kind).filter(
    (c) => c.valid_from <= date && (!c.valid_to || date <= c.valid_to),
  );
  return found.length ? found[found.length - 1] : null;
}

/** The version a new plan gets: the chosen one (if it is a version of the kind's catalogue),
 * else the one in force on the inspection date, else on the plan date. */
export function planCatalogue(catalogues, kind, { catalogueId = null, inspectionDate = null, planDate = null } = {}) {
  if (catalogueId) return versionsFor(catalogues, kind).find((c) => c.id === catalogueId) || null;
  return versionInForce(catalogues, kind, inspectionDate || planDate);
}

/** "Kvalitetsmodellen for socialtilsyn – sociale tilbud (2014)" */
export function catalogueName(catalogue) {
  return catalogue ? `${catalogue.name} (${catalogue.version_label})` : '';
}
