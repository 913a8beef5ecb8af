/**
 * Runs the vitest files of the store and sync modules (tests/pwa/*.test.js) in a real browser,
 * on Chromium's own IndexedDB instead of fake-indexeddb (STYLE.md guideline 8). Bundled by
 * tests/e2e/test_store_in_chromium.py with esbuild; a small stand-in for vitest's globals
 * (describe/test/expect with the matchers those files use) keeps it free of a browser runner.
 */
const registered = [];
let prefix = [];

globalThis.describe = (name, body) => {
  prefix.push(name);
  body();
  prefix.pop();
};
globalThis.test = (name, body) => registered.push({ name: [...prefix, name].join(' > '), body });

function equal(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => equal(a[k], b[k]));
}

function matches(actual, expected) {
  if (typeof expected !== 'object' || expected === null) return equal(actual, expected);
  if (typeof actual !== 'object' || actual === null) return false;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e));
  }
  return Object.keys(expected).every((k) => matches(actual[k], expected[k]));
}

const show = (v) => {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
};

function matchers(actual, negate) {
  const check = (ok, message) => {
    if (negate ? ok : !ok) throw new Error(`${negate ? 'not ' : ''}${message}`);
  };
  return {
    toBe: (e) => check(Object.is(actual, e), `expected ${show(actual)} to be ${show(e)}`),
    toEqual: (e) => check(equal(actual, e), `expected ${show(actual)} to equal ${show(e)}`),
    toMatchObject: (e) => check(matches(actual, e), `expected ${show(actual)} to match ${show(e)}`),
    toHaveLength: (n) => check(actual != null && actual.length === n, `expected length ${n}, got ${actual && actual.length}`),
    toBeUndefined: () => check(actual === undefined, `expected ${show(actual)} to be undefined`),
    toBeDefined: () => check(actual !== undefined, 'expected a value'),
    toBeNull: () => check(actual === null, `expected ${show(actual)} to be null`),
    toContain: (e) => check(actual != null && actual.includes(e), `expected ${show(actual)} to contain ${show(e)}`),
    toHaveProperty: (k) => check(actual != null && k in actual, `expected property ${k} on ${show(actual)}`),
  };
}

globalThis.expect = (actual) => ({
  ...matchers(actual, false),
  not: matchers(actual, true),
  rejects: {
    async toThrow(pattern) {
      try {
        await actual;
      } catch (err) {
        if (pattern && !pattern.test(String(err && err.message))) throw new Error(`threw ${err}, expected ${pattern}`);
        return;
      }
      throw new Error('expected a rejection');
    },
  },
});

globalThis.runRegisteredTests = async () => {
  const results = [];
  for (const t of registered) {
    try {
      await t.body();
      results.push({ name: t.name, ok: true });
    } catch (err) {
      results.push({ name: t.name, ok: false, error: String(err && (err.stack || err)) });
    }
  }
  return results;
};
