// The locale parts cut at import time (pwa/locale_parts.mjs): each a plain tree of strings.
declare module '*.json?first' {
  const strings: Record<string, any>;
  export default strings;
}
declare module '*.json?rest' {
  const strings: Record<string, any>;
  export default strings;
}
