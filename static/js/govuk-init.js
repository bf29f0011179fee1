/*
 * Starts the Design System's JavaScript: GOV.UK Frontend's components (skip link, Service
 * navigation's menu button, error summary, character count, notification banner...) and the
 * Ministry of Justice frontend's, on page load and again inside every part of a page that htmx
 * swaps in.
 *
 * Loaded as <script type="module"> from base.html. Only browsers that run ES modules run it, and
 * those are the browsers GOV.UK Frontend supports, so this is also where the
 * govuk-frontend-supported class goes on <body> (the Design System's template does that with an
 * inline script, which our Content-Security-Policy forbids). Module scripts run after the page is
 * parsed and before DOMContentLoaded, so <body> exists here.
 */
import { initAll as initGovukFrontend } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../vendor/moj-frontend/moj-frontend.min.js";

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
  initGovukFrontend({ scope: scope, onError: onError });
  initMojFrontend({ scope: scope, onError: onError });
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
