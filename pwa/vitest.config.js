// The unit tests live in tests/pwa (the repository mirrors sources under tests/); they run
// here so that dexie and fake-indexeddb resolve from pwa/node_modules.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { viteLocaleParts } from './locale_parts.mjs';

// Test files outside pwa/ resolve bare imports from here too.
const fromHere = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  // The locale parts the app imports (`da.json?first`), cut as build.mjs cuts them.
  plugins: [viteLocaleParts()],
  test: {
    root: '..',
    include: ['tests/pwa/**/*.test.js'],
    globals: true,
    environment: 'node',
    // The default 5 s is too tight on a loaded 2-core machine (the photo upload tests time out).
    testTimeout: 20000,
    setupFiles: ['pwa/vitest.setup.js'],
    // `npm test` measures coverage; the provider is loaded from here, since the root is the repository.
    coverage: {
      provider: 'custom',
      customProviderModule: fromHere('./node_modules/@vitest/coverage-v8/dist/index.js'),
      include: ['pwa/src/js/**/*.js'],
      reporter: ['text-summary'],
      // A floor a little under what the suite reaches (measured 2026-12-03, session 8: 26.5 %
      // of lines, 66.8 % of functions, 84.5 % of branches). The screens are covered by the
      // Chromium e2e tests (tests/e2e), not here: lines fell from 30 % as session 8 added whole
      // screens (follow-up levels, riskanalys, egenkontroll, analysis, evidence, history) whose
      // model code is unit-tested and whose drawing runs in the e2e tests.
      thresholds: { lines: 26, statements: 26, functions: 65, branches: 80 },
    },
  },
  resolve: { alias: [{ find: /^dexie$/, replacement: fromHere('./node_modules/dexie/import-wrapper.mjs') }] },
  server: { fs: { allow: ['..'] } },
});
