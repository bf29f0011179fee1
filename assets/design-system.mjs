/*
 * The Design System's JavaScript that Case Board's pages use, bundled by `make assets` (esbuild)
 * into static/vendor/design-system/design-system.min.js: one ES module, with nothing else of
 * either package in it. static/js/govuk-init.js starts the components on every page but the
 * board's (which has its own bundle, assets/board.mjs).
 *
 * A component is here when a page or a macro it calls writes its data-module (GOV.UK Frontend
 * starts components by that attribute); tests/test_design_system.py fails when one is missing.
 */
export {
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
  version as govukFrontendVersion,
} from "govuk-frontend";
export { version as mojFrontendVersion } from "@ministryofjustice/frontend";
