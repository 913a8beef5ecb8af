// Builds the PWA into dist/: bundles JS and CSS with esbuild (content-hashed names), writes
// index.html, copies the manifest and icons, and generates the service worker with Workbox
// (precache of the app shell; nothing from /api is ever cached). Prints the gzipped sizes.
import { build } from 'esbuild';
import { generateSW } from 'workbox-build';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildLocaleParts, missingFirstScreenKeys } from './locale_parts.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(path.join(dist, 'assets'), { recursive: true });

// Code is split by screen (main.js imports each screen's module when it is first shown): the
// first screen loads the entry and the chunks it imports statically, and nothing of the
// screens a person does not open (the Swedish follow-up, administration, import), nor of the
// languages they do not use, nor the other screens' words (locale_parts.mjs). Every chunk is in
// the service worker's precache (assets/*), so each screen still opens offline.
const result = await build({
  entryPoints: { app: path.join(src, 'js/main.js'), style: path.join(src, 'css/app.css') },
  bundle: true,
  splitting: true,
  // FOLG_MINIFY=0 keeps names and lines, for reading a profile (bench/pwa_bench.py --profile).
  minify: process.env.FOLG_MINIFY !== '0',
  format: 'esm',
  target: ['es2020', 'chrome100', 'safari15', 'firefox100'],
  outdir: path.join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  // `../locales/da.json?first` and `?rest`: the first screen's words and the others'.
  plugins: [esbuildLocaleParts()],
});

const rel = (p) => path.relative(dist, path.resolve(p));
const outputs = result.metafile.outputs;
const entryOf = (name) =>
  Object.keys(outputs).find((p) => outputs[p].entryPoint && outputs[p].entryPoint.endsWith(name));
const js = rel(entryOf('js/main.js'));
const css = rel(entryOf('css/app.css'));
/** The chunks a module imports statically, and theirs: what the first screen needs. */
function staticImports(file, seen = new Set()) {
  for (const imp of outputs[file].imports) {
    if (imp.kind !== 'import-statement' || seen.has(imp.path)) continue;
    seen.add(imp.path);
    staticImports(imp.path, seen);
  }
  return seen;
}
const statics = [...staticImports(entryOf('js/main.js'))].map(rel);
const firstScreen = [js, ...statics, css];

// Every word the first screen's modules name must be in its part of the strings: the rest
// loads only after the first screen is drawn.
const danish = JSON.parse(await readFile(path.join(src, 'locales/da.json'), 'utf8'));
for (const out of [entryOf('js/main.js'), ...staticImports(entryOf('js/main.js'))]) {
  for (const input of Object.keys(outputs[out].inputs)) {
    if (!input.startsWith('src/js/')) continue;
    const missing = missingFirstScreenKeys(await readFile(path.join(root, input), 'utf8'), danish);
    if (missing.length)
      throw new Error(`${input} names ${missing.join(', ')}: not in FIRST_SCREEN_KEYS (locale_parts.mjs)`);
  }
}

const html = (await readFile(path.join(src, 'index.html'), 'utf8')).replace('%JS%', js).replace('%CSS%', css);
await writeFile(path.join(dist, 'index.html'), html);
await cp(path.join(src, 'manifest.webmanifest'), path.join(dist, 'manifest.webmanifest'));
await cp(path.join(src, 'icons'), path.join(dist, 'icons'), { recursive: true });
// The worker's own code is one classic script (importScripts), with only the locales'
// `notification` blocks bundled in (esbuild drops the other keys of the JSON files).
await build({
  entryPoints: [path.join(src, 'sw-extra.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'safari15', 'firefox100'],
  outfile: path.join(dist, 'sw-extra.js'),
  legalComments: 'none',
  logLevel: 'warning',
});

const sw = await generateSW({
  swDest: path.join(dist, 'sw.js'),
  globDirectory: dist,
  globPatterns: ['index.html', 'assets/*.{js,css}', 'manifest.webmanifest', 'icons/*', 'sw-extra.js'],
  // Hashed names need no revision; the rest get one from their content.
  dontCacheBustURLsMatching: /^assets\//,
  navigateFallback: '/index.html',
  navigateFallbackDenylist: [/^\/api\//, /^\/s\//],
  importScripts: ['sw-extra.js'],
  // A new version waits until the user accepts the "update ready" prompt.
  skipWaiting: false,
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  inlineWorkboxRuntime: true,
  sourcemap: false,
  mode: 'production',
});
for (const w of sw.warnings) console.warn(w);

let gz = 0;
const sizes = {};
for (const file of firstScreen) {
  const body = await readFile(path.join(dist, file));
  sizes[file] = { bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  gz += sizes[file].gzip;
}
let allGz = 0;
for (const file of Object.keys(outputs)) allGz += gzipSync(await readFile(path.resolve(file)), { level: 9 }).length;
const swBody = Buffer.concat([
  await readFile(path.join(dist, 'sw.js')),
  await readFile(path.join(dist, 'sw-extra.js')),
]);
console.log(
  JSON.stringify({
    built: path.relative(process.cwd(), dist) || 'dist',
    precached: sw.count,
    first_screen: sizes,
    first_screen_gzip_bytes: gz,
    chunks: Object.keys(outputs).length,
    all_js_css_gzip_bytes: allGz,
    sw_gzip_bytes: gzipSync(swBody, { level: 9 }).length,
  }),
);
