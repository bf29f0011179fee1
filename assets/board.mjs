/*
 * The board's one script (the board, topic and council pages), bundled by `make assets`
 * (esbuild) into static/vendor/design-system/board.min.js: only the Design System components
 * the board uses, static/js/start-components.js, which starts them, and static/js/board.js, the
 * filter panel on phones. The most visited pages load this instead of static/js/govuk-init.js,
 * the complete bundle and board.js apart: about 5 KB lighter on the wire and two requests
 * shorter. tests/test_design_system.py fails when a template the board renders writes a
 * data-module this bundle does not start, or when board.js or start-components.js changed
 * since the bundle was built.
 */
import {
  Button,
  Checkboxes,
  ErrorSummary,
  NotificationBanner,
  ServiceNavigation,
  SkipLink,
  createAll,
} from "govuk-frontend";
import { FilterToggleButton } from "@ministryofjustice/frontend";
import { startComponents } from "./static/js/start-components.js";
import { enhanceBoard } from "./static/js/board.js";

const COMPONENTS = [
  Button,
  Checkboxes,
  ErrorSummary,
  NotificationBanner,
  ServiceNavigation,
  SkipLink,
];

startComponents(COMPONENTS, createAll);
enhanceBoard(FilterToggleButton);
