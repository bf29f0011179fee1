/*
 * The board's filters on a phone: the MoJ filter layout's "Show filter" button.
 *
 * Below the layout's breakpoint the filters (a long form: seven topics and five lists) would
 * push the results a screen and more down the page. MoJ frontend's FilterToggleButton hides
 * them behind a "Show filter" button and shows them as a panel over the page, with a "Close"
 * button; on a wide screen they stay beside the results. Without JavaScript none of this
 * happens: the filters come first, with a link past them (templates/browse/_filters.html).
 *
 * The filters are redrawn when a filter link (a selected filter, "Clear all filters") swaps the
 * whole board, so the button is set up again for the new ones on htmx:load.
 *
 * Not served by itself: `make assets` bundles it, with the board's components and
 * static/js/start-components.js, into static/vendor/design-system/board.min.js (assets/board.mjs),
 * which starts the components first (marking the page as supported by the Design System's
 * scripts) and then calls enhanceBoard. No inline script: the Content-Security-Policy forbids it.
 */

// The MoJ layout's own breakpoint (its stylesheet floats the filters beside the results from
// here up).
const WIDE = "(min-width: 48.0625em)";

// Each filter panel's button, to close the panel from here.
const toggles = new WeakMap();

export function enhanceBoard(FilterToggleButton) {
  function setUp(scope) {
    const filter = scope.querySelector(".app-board__filter:not([data-moj-filter-init])");
    const board = filter && filter.closest("#board");
    const buttonSlot = board && board.querySelector(".moj-action-bar__filter");
    if (!filter || !buttonSlot || buttonSlot.querySelector("button")) {
      return;
    }
    const toggle = new FilterToggleButton(filter, {
      bigModeMediaQuery: WIDE,
      startHidden: !window.matchMedia(WIDE).matches,
      toggleButtonContainer: { element: buttonSlot },
      toggleButton: {
        showText: "Show filter",
        hideText: "Hide filter",
        classes: "govuk-button--secondary",
      },
    });
    toggles.set(filter, toggle);
  }

  setUp(document);

  document.addEventListener("htmx:load", function (event) {
    const element = event.target;
    if (element instanceof Element && element.closest("#board")) {
      setUp(element.closest("#board"));
    }
  });

  // On a phone the open panel covers the results. A change of filter updates them behind it
  // (and the count is announced); "Apply filters" says the person is done: close the panel and
  // take them to the results, whose heading says how many there are.
  document.addEventListener("htmx:afterSettle", function (event) {
    const config = event.detail && event.detail.requestConfig;
    if (!config || !config.triggeringEvent || config.triggeringEvent.type !== "submit") {
      return;
    }
    const filter = document.querySelector("#board .app-board__filter");
    const toggle = filter && toggles.get(filter);
    const heading = document.getElementById("results-heading");
    if (!toggle || !heading || window.matchMedia(WIDE).matches) {
      return;
    }
    const button = document.querySelector("#board .moj-action-bar__filter button");
    if (button && button.getAttribute("aria-expanded") === "true") {
      toggle.hideMenu();
      heading.focus();
    }
  });

  // Enter in the council field: the browser sends "change" (the field's own request) and then
  // submits the form, in the same moment; the form's request would cancel the field's (they
  // replace each other on #board), and the field's already asks for everything the form holds.
  // So that submission is not sent. (Enter with an unchanged council sends no "change", and the
  // form is submitted as usual.) Cancelled on htmx:confirm, before htmx cancels the other.
  let councilJustAsked = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    const element = event.detail && event.detail.elt;
    if (element instanceof Element && element.id === "council") {
      councilJustAsked = true;
      setTimeout(function () {
        councilJustAsked = false;
      }, 0);
    }
  });
  document.addEventListener("htmx:confirm", function (event) {
    const detail = event.detail || {};
    const element = detail.elt;
    const triggering = detail.triggeringEvent;
    if (
      councilJustAsked &&
      element instanceof Element &&
      element.id === "filters" &&
      triggering &&
      triggering.type === "submit"
    ) {
      event.preventDefault();
    }
  });

  // A form change redraws the council field with what it found. Someone may have gone on typing
  // in it while that answer was on its way: then their newer text is kept (its own request,
  // when they leave the field, redraws it). Requests replace each other, so the answer is to
  // the last one sent.
  let councilSent = null;
  document.addEventListener("htmx:beforeRequest", function () {
    const field = document.getElementById("council");
    councilSent = field ? field.value : null;
  });
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const detail = event.detail || {};
    const target = detail.target;
    const field = document.getElementById("council");
    if (!(target instanceof Element) || target.id !== "council-field" || !field) {
      return;
    }
    if (document.activeElement === field && field.value !== councilSent) {
      event.preventDefault();
    }
  });
}
