import './run_store_tests.js';
import '../../pwa/store.test.js';
import '../../pwa/sync.test.js';
