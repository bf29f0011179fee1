/*
 * Starts the Design System's JavaScript: the GOV.UK Frontend components Case Board's pages use
 * (skip link, Service navigation's menu button, error summary, character count, notification
 * banner, password show/hide, conditional reveal in radios and checkboxes, buttons), on page
 * load and again inside every part of a page that htmx swaps in. They come from
 * static/vendor/design-system/design-system.min.js, which holds only these (`make assets`,
 * assets/design-system.mjs); a component added there is started by adding it here.
 *
 * Loaded as <script type="module"> from base.html. Only browsers that run ES modules run it, and
 * those are the browsers GOV.UK Frontend supports, so this is also where the
 * govuk-frontend-supported class goes on <body> (the Design System's template does that with an
 * inline script, which our Content-Security-Policy forbids). Module scripts run after the page is
 * parsed and before DOMContentLoaded, so <body> exists here.
 */
import {
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
  createAll,
} from "../vendor/design-system/design-system.min.js";

const COMPONENTS = [
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
];

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
  for (const Component of COMPONENTS) {
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
