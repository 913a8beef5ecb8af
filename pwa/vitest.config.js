// The unit tests live in tests/pwa (the repository mirrors sources under tests/); they run
// here so that dexie and fake-indexeddb resolve from pwa/node_modules.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Test files outside pwa/ resolve bare imports from here too.
const fromHere = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  test: {
    root: '..',
    include: ['tests/pwa/**/*.test.js'],
    globals: true,
    environment: 'node',
    setupFiles: ['pwa/vitest.setup.js'],
  },
  resolve: { alias: [{ find: /^dexie$/, replacement: fromHere('./node_modules/dexie/import-wrapper.mjs') }] },
  server: { fs: { allow: ['..'] } },
});
