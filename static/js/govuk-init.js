/*
 * Starts the Design System's JavaScript: the GOV.UK Frontend components Case Board's pages use
 * (skip link, Service navigation's menu button, error summary, character count, file upload,
 * notification banner, password show/hide, conditional reveal in radios and checkboxes,
 * buttons), on page load and again inside every part of a page that htmx swaps in. They come from
 * static/vendor/design-system/design-system.min.js, which holds only these (`make assets`,
 * assets/design-system.mjs); a component added there is started by adding it here.
 *
 * Loaded as <script type="module"> from base.html, on every page but the board's, which loads
 * its own smaller bundle (assets/board.mjs). static/js/start-components.js does the starting.
 */
import {
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  FileUpload,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
  createAll,
} from "../vendor/design-system/design-system.min.js";
import { startComponents } from "./start-components.js";

const COMPONENTS = [
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  FileUpload,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
];

startComponents(COMPONENTS, createAll);
