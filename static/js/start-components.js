/*
 * Starts the Design System's JavaScript components on page load and again inside every part of
 * a page that htmx swaps in. Shared by the two ways pages load the Design System:
 * static/js/govuk-init.js (every page but the board's, with every component the pages use) and
 * the board's own bundle (static/vendor/design-system/board.min.js, built by `make assets` from
 * assets/board.mjs with only the board's components, this file and static/js/board.js).
 *
 * Only browsers that run ES modules run it, and those are the browsers GOV.UK Frontend supports,
 * so this is also where the govuk-frontend-supported class goes on <body> (the Design System's
 * template does that with an inline script, which our Content-Security-Policy forbids). Module
 * scripts run after the page is parsed and before DOMContentLoaded, so <body> exists here.
 */
export function startComponents(components, createAll) {
  document.body.classList.add("js-enabled");
  if ("noModule" in HTMLScriptElement.prototype) {
    document.body.classList.add("govuk-frontend-supported");
  }

  // A component that fails to start is a bug worth seeing (the browser tests fail on console
  // errors); one that has already started is not (htmx:load also fires for the whole page).
  function onError(error) {
    if (error && error.name === "InitError") {
      return;
    }
    console.error(error);
  }

  function start(scope) {
    for (const Component of components) {
      createAll(Component, undefined, { scope: scope, onError: onError });
    }
  }

  start(document);

  // htmx fires htmx:load on each element it adds (and once for <body> when it starts). The
  // Design System looks for components inside its scope, not at the scope itself, and the
  // element htmx added may be the component: so start from its parent (components there that
  // have already started are left as they are).
  document.addEventListener("htmx:load", function (event) {
    var element = event.target;
    if (element instanceof Element && element !== document.body) {
      start(element.parentElement || element);
    }
  });
}
