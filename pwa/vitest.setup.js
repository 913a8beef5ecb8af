// A fresh in-memory IndexedDB for every test file.
import 'fake-indexeddb/auto';
// Every language's strings, as the app has them once a person chose it (i18n.js loadLanguage).
import { loadAllStrings, loadLanguage, setLanguage } from './src/js/i18n.js';
await loadAllStrings();
await loadLanguage('sv');
await loadLanguage('en');
setLanguage('da');
