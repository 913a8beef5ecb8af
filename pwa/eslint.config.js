// ESLint for the PWA (tests/pwa lies outside its base path and is not linted yet): the recommended rules, with each realm's globals (the page,
// the service worker, Node for the build and the tests).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  {
    files: ['src/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/sw-extra.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    files: ['*.js', '*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.vitest } },
  },
  {
    rules: {
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
    },
  },
];
