// Starts Swagger UI on /api/docs. A file, not an inline script, so the page keeps the app's
// Content-Security-Policy (script-src 'self'). The spec URL comes from the page's markup.
(function () {
  const root = document.getElementById('swagger-ui');
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    // Never load a spec named in the address bar (?url=...): only the app's own.
    queryConfigEnabled: false,
    validatorUrl: null,
  });
}());
