/* js/push.js against stand-ins for the browser's push APIs (node has none): what reaches the
 * server and the browser, in which order, and that logout is never held up. */
import { releasePushOnLogout, reconcilePush, disablePush } from '../../pwa/src/js/push.js';

function browserWith(subscription, calls = []) {
  const pushManager = {
    current: subscription,
    async getSubscription() { return this.current; },
    async subscribe(options) {
      calls.push(['subscribe', options.applicationServerKey.length]);
      this.current = fakeSubscription('https://push.example/renewed', calls);
      return this.current;
    },
  };
  globalThis.PushManager = function PushManager() {};
  globalThis.Notification = { permission: 'granted' };
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: { serviceWorker: { getRegistration: async () => ({ pushManager }) } },
  });
  return pushManager;
}

function fakeSubscription(endpoint, calls) {
  return {
    endpoint,
    options: { applicationServerKey: null },
    toJSON: () => ({ endpoint, keys: { p256dh: 'p', auth: 'a' } }),
    unsubscribe: async () => { calls.push(['browser-unsubscribe', endpoint]); return true; },
  };
}

function appWith(calls, { online = true, unsubscribePush, saved = null } = {}) {
  const meta = new Map(saved ? [['push', saved]] : []);
  return {
    session: { token: 't' },
    online: () => online,
    store: {
      getMeta: async (key) => meta.get(key) ?? null,
      setMeta: async (key, value) => { meta.set(key, value); },
      deleteMeta: async (key) => { meta.delete(key); },
      meta,
    },
    api: {
      vapidPublicKey: async () => ({ public_key: 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U' }),
      subscribePush: async (json) => { calls.push(['server-subscribe', json.endpoint]); },
      unsubscribePush: unsubscribePush || (async (endpoint) => { calls.push(['server-unsubscribe', endpoint]); }),
    },
  };
}

afterEach(() => {
  delete globalThis.PushManager;
  delete globalThis.Notification;
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: undefined });
});

describe('logout', () => {
  test('the server forgets the device before the browser drops the subscription', async () => {
    const calls = [];
    browserWith(fakeSubscription('https://push.example/a', calls));
    await releasePushOnLogout(appWith(calls));
    expect(calls).toEqual([['server-unsubscribe', 'https://push.example/a'], ['browser-unsubscribe', 'https://push.example/a']]);
  });

  test('offline, only the browser side happens', async () => {
    const calls = [];
    browserWith(fakeSubscription('https://push.example/a', calls));
    await releasePushOnLogout(appWith(calls, { online: false }));
    expect(calls).toEqual([['browser-unsubscribe', 'https://push.example/a']]);
  });

  test('a server that never answers does not hold up the logout or the browser side', async () => {
    const calls = [];
    browserWith(fakeSubscription('https://push.example/a', calls));
    const started = Date.now();
    await releasePushOnLogout(appWith(calls, { unsubscribePush: () => new Promise(() => {}) }), { budgetMs: 50 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(calls).toEqual([['browser-unsubscribe', 'https://push.example/a']]);
  });

  test('a device without a subscription has nothing to do', async () => {
    const calls = [];
    browserWith(null);
    await releasePushOnLogout(appWith(calls));
    expect(calls).toEqual([]);
  });
});

describe('reconcile', () => {
  test('a subscription the browser replaced is reported and the old endpoint removed', async () => {
    const calls = [];
    browserWith(fakeSubscription('https://push.example/new', calls));
    const app = appWith(calls, { saved: { endpoint: 'https://push.example/old' } });
    await reconcilePush(app);
    expect(calls).toEqual([['server-subscribe', 'https://push.example/new'], ['server-unsubscribe', 'https://push.example/old']]);
    expect(app.store.meta.get('push')).toEqual({ endpoint: 'https://push.example/new' });
  });

  test('a dropped subscription is made again with the server key', async () => {
    const calls = [];
    browserWith(null, calls);
    const app = appWith(calls, { saved: { endpoint: 'https://push.example/old' } });
    await reconcilePush(app);
    expect(calls[0]).toEqual(['subscribe', 65]);
    expect(calls.slice(1)).toEqual([['server-subscribe', 'https://push.example/renewed'], ['server-unsubscribe', 'https://push.example/old']]);
  });

  test('nothing happens when notifications were never turned on here, or nothing changed', async () => {
    const calls = [];
    browserWith(fakeSubscription('https://push.example/a', calls));
    await reconcilePush(appWith(calls));
    await reconcilePush(appWith(calls, { saved: { endpoint: 'https://push.example/a' } }));
    expect(calls).toEqual([]);
  });
});

test('turning off removes the device on the server, then in the browser, then locally', async () => {
  const calls = [];
  browserWith(fakeSubscription('https://push.example/a', calls));
  const app = appWith(calls, { saved: { endpoint: 'https://push.example/a' } });
  await disablePush(app);
  expect(calls).toEqual([['server-unsubscribe', 'https://push.example/a'], ['browser-unsubscribe', 'https://push.example/a']]);
  expect(app.store.meta.has('push')).toBe(false);
});
