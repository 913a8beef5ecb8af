// Honest words about saving (pwa/src/js/ui/save_status.js): "on this device" until the server
// has it, then "Gemt." or "the server did not take it".
import { announceSaved, noteSyncState, syncNow } from '../../pwa/src/js/ui/save_status.js';

let toast;

beforeEach(() => {
  // The status region and the frame callback announce() uses, without a DOM.
  toast = { textContent: '' };
  globalThis.document = /** @type {any} */ ({ getElementById: (id) => (id === 'toast' ? toast : null) });
  globalThis.requestAnimationFrame = /** @type {any} */ ((fn) => fn());
});

afterEach(() => {
  delete globalThis.document;
  delete globalThis.requestAnimationFrame;
});

const app = (online, drafts = 0) => ({ online: () => online, sync: { state: { drafts }, resume: () => 'ran' } });

test('a save says it is on the device, and gives way to "Gemt." once a sync ends clean', () => {
  announceSaved(app(true));
  expect(toast.textContent).toBe('Gemt i denne browser – sendes ved næste synkronisering.');
  noteSyncState({ phase: 'syncing', pending: 1, drafts: 0 });
  noteSyncState({ phase: 'idle', pending: 1, drafts: 0 });
  expect(toast.textContent).toMatch(/i denne browser/);
  noteSyncState({ phase: 'idle', pending: 0, drafts: 0 });
  expect(toast.textContent).toBe('Gemt.');
  // Said once: a later sync does not announce it again.
  toast.textContent = 'other';
  noteSyncState({ phase: 'idle', pending: 0, drafts: 0 });
  expect(toast.textContent).toBe('other');
});

test('offline, the save says it waits for a network; a refusal at the next sync is said', () => {
  announceSaved(app(false, 1));
  expect(toast.textContent).toBe('Gemt i denne browser. Du er offline: det sendes, når der er netværk.');
  noteSyncState({ phase: 'offline', pending: 1, drafts: 1 });
  noteSyncState({ phase: 'idle', pending: 0, drafts: 2 });
  expect(toast.textContent).toBe('Serveren tog ikke imod ændringen. Det, du skrev, venter på dig.');
});

test('"Synkronisér nu" offline says so, and still asks the sync to run', () => {
  expect(syncNow(app(false))).toBe('ran');
  expect(toast.textContent).toBe('Du er offline. Der synkroniseres, når der er netværk igen.');
  toast.textContent = '';
  syncNow(app(true));
  expect(toast.textContent).toBe('');
});

test('"Gemt." waits while a later save is still on its way to the outbox', () => {
  announceSaved(app(true));
  noteSyncState({ phase: 'idle', pending: 0, writing: 1, drafts: 0 });
  expect(toast.textContent).toMatch(/i denne browser/);
  noteSyncState({ phase: 'idle', pending: 0, writing: 0, drafts: 0 });
  expect(toast.textContent).toBe('Gemt.');
});
