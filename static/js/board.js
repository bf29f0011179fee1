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
 * whole board, so the button is set up again for the new ones on htmx:load. Loaded as a module
 * after static/js/govuk-init.js, which marks the page as supported by the Design System's
 * scripts first. No inline script: the Content-Security-Policy forbids it.
 */
import { FilterToggleButton } from "../vendor/moj-frontend/moj-frontend.min.js";

// The MoJ layout's own breakpoint (its stylesheet floats the filters beside the results from
// here up).
const WIDE = "(min-width: 48.0625em)";

function setUp(scope) {
  const filter = scope.querySelector(".app-board__filter:not([data-moj-filter-init])");
  const board = filter && filter.closest("#board");
  const buttonSlot = board && board.querySelector(".moj-action-bar__filter");
  if (!filter || !buttonSlot || buttonSlot.querySelector("button")) {
    return;
  }
  new FilterToggleButton(filter, {
    bigModeMediaQuery: WIDE,
    startHidden: !window.matchMedia(WIDE).matches,
    toggleButtonContainer: { element: buttonSlot },
    toggleButton: {
      showText: "Show filter",
      hideText: "Hide filter",
      classes: "govuk-button--secondary",
    },
  });
}

setUp(document);

document.addEventListener("htmx:load", function (event) {
  const element = event.target;
  if (element instanceof Element && element.closest("#board")) {
    setUp(element.closest("#board"));
  }
});
