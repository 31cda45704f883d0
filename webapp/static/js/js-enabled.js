// Tell GOV.UK Frontend's CSS that JavaScript runs (and whether it supports
// ES modules) before the page paints. An external file, so the
// Content-Security-Policy can forbid inline scripts.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
