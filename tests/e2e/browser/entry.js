import './run_store_tests.js';
import '../../pwa/store/schema.test.js';
import '../../pwa/store/store.test.js';
import '../../pwa/store/queries.test.js';
import '../../pwa/store/writes.test.js';
import '../../pwa/store/feed.test.js';
import '../../pwa/store/drafts.test.js';
import '../../pwa/sync.test.js';
