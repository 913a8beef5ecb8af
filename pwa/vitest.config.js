// The unit tests live in tests/pwa (the repository mirrors sources under tests/); they run
// here so that dexie and fake-indexeddb resolve from pwa/node_modules.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: '..',
    include: ['tests/pwa/**/*.test.js'],
    globals: true,
    environment: 'node',
    setupFiles: ['pwa/vitest.setup.js'],
  },
  server: { fs: { allow: ['..'] } },
});
