/**
 * The Swedish quality follow-up's rules on the device, so they hold offline. Each mirrors the
 * server (which stays the judge when the rows are pushed):
 *
 *   measureValueId   server/services/quality.py measure_value_id (UUIDv5 of the cell)
 *   checklistAnswerId  server/services/quality.py checklist_answer_id (UUIDv5 of run and point)
 *   riskValue, riskLevel  a riskanalys: probability × consequence, and its band
 *   editedPoints     a checklist's points after an edit, keeping the ids of points kept or edited in place
 *   combine          server/services/quality_measures.py combine (sum, mean, rate)
 *   compile          server/services/quality_compilation.py count_cases (tertials)
 *   caseCodeProblem  server/services/quality_pseudonymity.py (no names, no personnummer)
 *   barChartSvg      the bar chart of the compilation, as standalone SVG (exportable)
 */

export const MEASURE_VALUE_NAMESPACE = '5b6f0c3e-8a52-4d2b-9a0e-6f1f8f0a4c17';

function uuidBytes(uuid) {
  const hex = uuid.replace(/-/g, '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/** RFC 4122 version 5 (SHA-1) UUID of `name` in `namespace`. */
export async function uuidv5(namespace, name) {
  const ns = uuidBytes(namespace);
  const text = new TextEncoder().encode(name);
  const data = new Uint8Array(ns.length + text.length);
  data.set(ns);
  data.set(text, ns.length);
  const hash = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', data)).slice(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function measureValueId(measureId, unitId, period) {
  return uuidv5(MEASURE_VALUE_NAMESPACE, `${measureId}/${unitId}/${period}`);
}

export const CHECKLIST_ANSWER_NAMESPACE = '0c9d4f7e-3b1a-4e55-8f2d-7a6b5c4d3e21';

/** The one id of the answer to a point in an egenkontroll, so two tablets answering it offline meet. */
export function checklistAnswerId(runId, pointId) {
  return uuidv5(CHECKLIST_ANSWER_NAMESPACE, `${runId}/${pointId}`);
}

/** A riskanalys's risk value: probability (1-4) × consequence (1-4), 1-16; null if either is missing. */
export function riskValue(probability, consequence) {
  const p = Number(probability);
  const c = Number(consequence);
  return p >= 1 && p <= 4 && c >= 1 && c <= 4 ? p * c : null;
}

/**
 * A checklist's points after its text (one point a line) was edited. A point keeps its id when
 * its text is kept (wherever it moved) or when it was edited in place (same line, old text gone),
 * so the answers given to it stay with it; any other line is a new point with `newId()`.
 */
export function editedPoints(oldPoints, lines, newId) {
  const used = new Set();
  const byText = new Map();
  for (const p of oldPoints) if (!byText.has(p.text)) byText.set(p.text, p);
  const kept = lines.map((text) => {
    const same = byText.get(text);
    if (!same || used.has(same.id)) return null;
    used.add(same.id);
    return same.id;
  });
  const texts = new Set(lines);
  return lines.map((text, i) => {
    if (kept[i]) return { id: kept[i], text };
    const inPlace = oldPoints[i];
    if (inPlace && !used.has(inPlace.id) && !texts.has(inPlace.text)) {
      used.add(inPlace.id);
      return { id: inPlace.id, text };
    }
    return { id: newId(), text };
  });
}

/**
 * The band of a risk value in the usual 4 × 4 matrix: low (1-3), medium (4-8), high (9-16). The
 * bands are a reading aid on the screen; the stored figures are the two scores.
 */
export function riskLevel(value) {
  if (value == null) return null;
  if (value >= 9) return 'high';
  return value >= 4 ? 'medium' : 'low';
}

/** [value, numerator, denominator] for the uppdrag from the enheter's values. */
export function combine(aggregation, figures) {
  if (aggregation === 'rate') {
    const pairs = figures.filter((f) => f.numerator != null && f.denominator != null);
    if (!pairs.length) return [null, null, null];
    const n = pairs.reduce((s, f) => s + f.numerator, 0);
    const d = pairs.reduce((s, f) => s + f.denominator, 0);
    return [d ? n / d : null, n, d];
  }
  const values = figures.map((f) => f.value).filter((v) => v != null);
  if (!values.length) return [null, null, null];
  const sum = values.reduce((s, v) => s + v, 0);
  return [aggregation === 'mean' ? sum / values.length : sum, null, null];
}

export const TERTIALS = { 1: [1, 4], 2: [5, 8], 3: [9, 12] };

export function periodBounds(year, tertial) {
  if (!tertial) return [`${year}-01-01`, `${year}-12-31`];
  const [first, last] = TERTIALS[tertial];
  const end = new Date(Date.UTC(year, last, 0)).toISOString().slice(0, 10);
  return [`${year}-${String(first).padStart(2, '0')}-01`, end];
}

function bump(counter, key) {
  counter[key] = (counter[key] || 0) + 1;
}

/** Counts of the cases that ran in [start, end]; outcomes of those that ended in it. */
export function compile(cases, start, end) {
  const c = {
    cases: 0,
    ended: 0,
    by_intervention: {},
    by_age_band: {},
    by_gender: {},
    by_need: {},
    by_end_reason: {},
    by_needs_met: {},
    by_situation_after: {},
    interrupted_by_intervention: {},
  };
  for (const k of cases) {
    if (k.deleted || k.started_on > end || (k.ended_on && k.ended_on < start)) continue;
    c.cases += 1;
    bump(c.by_intervention, k.intervention);
    bump(c.by_age_band, k.age_band || 'unknown');
    bump(c.by_gender, k.gender || 'unknown');
    for (const need of k.needs || []) bump(c.by_need, need);
    if (k.ended_on && k.ended_on >= start && k.ended_on <= end) {
      c.ended += 1;
      bump(c.by_end_reason, k.end_reason || 'unknown');
      bump(c.by_needs_met, k.needs_met || 'unknown');
      bump(c.by_situation_after, k.situation_after || 'unknown');
      if (k.end_reason === 'interrupted') bump(c.interrupted_by_intervention, k.intervention);
    }
  }
  return c;
}

const IDENTITY_NUMBER =
  /(?<!\d)(?:(?:18|19|20)?\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+ ]?\d{4}(?!\d)/;
const CASE_CODE = /^(?:[A-Za-zÅÄÖåäö]{1,3}-?)?\d{1,5}(?:-\d{1,5}){0,2}$/;

export function containsIdentityNumber(text) {
  return IDENTITY_NUMBER.test(String(text || ''));
}

/** 'personnummer' | 'format' | null */
export function caseCodeProblem(code) {
  if (containsIdentityNumber(code)) return 'personnummer';
  if (!CASE_CODE.test(code)) return 'format';
  return null;
}

function esc(text) {
  return String(text).replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[ch],
  );
}

/**
 * A bar's label as the SVG holds it: its first 40 characters (code points, not UTF-16 units),
 * then escaped, as the server's report draws it (tests/fixtures/chart_labels.json holds both).
 */
export function chartLabel(label) {
  return esc(Array.from(String(label)).slice(0, 40).join(''));
}

/** A horizontal bar chart as a standalone SVG document (the server's report draws the same). */
export function barChartSvg(title, counts, width = 560) {
  const entries = Object.entries(counts);
  const bar = 22;
  const gap = 8;
  const labelWidth = 200;
  const height = 30 + entries.length * (bar + gap);
  const top = Math.max(1, ...entries.map(([, n]) => n));
  const rows = entries.map(([label, n], i) => {
    const y = 28 + i * (bar + gap);
    const len = ((width - labelWidth - 50) * n) / top;
    return (
      `<text x="0" y="${y + 16}" font-size="12">${chartLabel(label)}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${len.toFixed(1)}" height="${bar}" fill="#2f6f8f"/>` +
      `<text x="${(labelWidth + len + 6).toFixed(1)}" y="${y + 16}" font-size="12">${n}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="0" y="16" font-size="14" font-weight="bold">${esc(title)}</text>${rows.join('')}</svg>`
  );
}

// ---- the year from its tertials (server/services/quality_measures.py build_year) ----------

/** How a measure's year is built from its tertials: its own rule, else mean for a structure measure. */
export function yearRule(measure) {
  return measure.year_rule || (measure.kind === 'structure' ? 'mean' : 'sum');
}

function reportedFigure(aggregation, f) {
  if (!f) return false;
  return aggregation === 'rate' ? f.numerator != null && f.denominator != null : f.value != null;
}

/** [[value, numerator, denominator], tertials used] of a year from its tertials' figures. */
export function buildYear(rule, aggregation, tertials) {
  const given = tertials.filter((f) => reportedFigure(aggregation, f));
  if (!given.length) return [[null, null, null], 0];
  if (rule === 'last') {
    const last = given[given.length - 1];
    return [[last.value ?? null, last.numerator ?? null, last.denominator ?? null], 1];
  }
  if (aggregation === 'rate') return [combine('rate', given), given.length];
  const sum = given.reduce((s, f) => s + f.value, 0);
  return [[rule === 'mean' ? sum / given.length : sum, null, null], given.length];
}

/**
 * A measure's year over `unitIds` from the values on the device: each unit's year as entered,
 * else built from its tertials, then combined by the measure's rule. {value, built} where
 * built is the fewest tertials a built year rests on (null: all entered as years).
 */
export function yearFigure(measure, values, unitIds, year) {
  const cell = (unitId, period) => values.find((v) => !v.deleted && v.unit_id === unitId && v.period === period);
  const figures = [];
  const built = [];
  for (const unitId of unitIds) {
    const entered = cell(unitId, String(year));
    if (reportedFigure(measure.aggregation, entered)) {
      figures.push(entered);
      continue;
    }
    const [[value, numerator, denominator], used] = buildYear(
      yearRule(measure),
      measure.aggregation,
      [1, 2, 3].map((n) => cell(unitId, `${year}-T${n}`)),
    );
    if (used) {
      figures.push({ value, numerator, denominator });
      built.push(used);
    }
  }
  const [value] = combine(measure.aggregation, figures);
  return { value, built: built.length ? Math.min(...built) : null };
}

// ---- the yearly analysis (server/services/quality_analysis.py analyse_cases) ---------------

/** Groups smaller than this are withheld (server/services/quality_pseudonymity.py MIN_GROUP). */
export const MIN_GROUP = 5;
export const DIMENSIONS = ['intervention', 'age_band', 'gender'];

/** The groups not shown: fewer than MIN_GROUP, and if that is one group, the smallest shown one too. */
export function suppressedGroups(counts) {
  const present = Object.entries(counts).filter(([, n]) => n > 0);
  const hidden = new Set(present.filter(([, n]) => n < MIN_GROUP).map(([k]) => k));
  const shown = present
    .filter(([k]) => !hidden.has(k))
    .sort(([ka, a], [kb, b]) => a - b || (ka < kb ? -1 : ka > kb ? 1 : 0));
  if (hidden.size === 1 && shown.length) hidden.add(shown[0][0]);
  return hidden;
}

function outcomes(cases, start, end, into) {
  for (const k of cases) {
    if (k.deleted || k.started_on > end || (k.ended_on && k.ended_on < start)) continue;
    into.cases += 1;
    if (k.ended_on && k.ended_on >= start && k.ended_on <= end) {
      into.ended += 1;
      into.planned += k.end_reason === 'planned' ? 1 : 0;
      into.interrupted += k.end_reason === 'interrupted' ? 1 : 0;
      into.needs_met += k.needs_met === 'yes' ? 1 : 0;
      into.improved += k.situation_after === 'improved' ? 1 : 0;
    }
  }
  return into;
}

const emptyOutcomes = () => ({ cases: 0, ended: 0, planned: 0, interrupted: 0, needs_met: 0, improved: 0 });
const groupOf = (k, dimension) => k[dimension] || 'unknown';
// Python's sort of (group == "unknown", group): code point order, the unknown last.
const groupOrder = (a, b) => Number(a === 'unknown') - Number(b === 'unknown') || (a < b ? -1 : a > b ? 1 : 0);

/** The analysis of `cases` for `year` and the `years - 1` before it: periods, groups, years. */
export function analyseCases(cases, year, years = 3) {
  const live = cases.filter((k) => !k.deleted);
  const periods = [1, 2, 3, null].map((tertial) => {
    const [start, end] = periodBounds(year, tertial);
    return { ...outcomes(live, start, end, emptyOutcomes()), period: tertial ? `T${tertial}` : 'year' };
  });
  const [start, end] = periodBounds(year, null);
  const ended = live.filter((k) => k.ended_on && k.ended_on >= start && k.ended_on <= end);
  const groups = [];
  for (const dimension of DIMENSIONS) {
    const sizes = {};
    for (const k of ended) sizes[groupOf(k, dimension)] = (sizes[groupOf(k, dimension)] || 0) + 1;
    const hidden = suppressedGroups(sizes);
    for (const group of Object.keys(sizes).sort(groupOrder)) {
      if (hidden.has(group)) {
        groups.push({
          dimension,
          group,
          ended: null,
          planned: null,
          interrupted: null,
          needs_met: null,
          improved: null,
          withheld: true,
        });
        continue;
      }
      const o = outcomes(
        ended.filter((k) => groupOf(k, dimension) === group),
        start,
        end,
        emptyOutcomes(),
      );
      groups.push({
        dimension,
        group,
        ended: o.ended,
        planned: o.planned,
        interrupted: o.interrupted,
        needs_met: o.needs_met,
        improved: o.improved,
        withheld: false,
      });
    }
  }
  const byYear = [];
  for (let y = year - years + 1; y <= year; y += 1) {
    const [first, last] = periodBounds(y, null);
    byYear.push({ ...outcomes(live, first, last, emptyOutcomes()), year: y });
  }
  return { periods, groups, years: byYear };
}
