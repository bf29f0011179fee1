#!/usr/bin/env bash
# `make assets`: build the Design System's CSS and JavaScript that Case Board serves, from the
# versions of GOV.UK Frontend and the MoJ frontend pinned in package.json and package-lock.json,
# with only the components the pages use. Only this step needs Node and npm; the app serves the
# files committed to the repository, so `make run` and `make test` never do.
#
# From the sources in assets/ (a temporary `npm ci` provides the packages, Sass and esbuild):
# - assets/govuk-frontend.scss -> static/vendor/govuk-frontend/govuk-frontend.min.css and
#   assets/moj-frontend.scss -> static/vendor/moj-frontend/moj-frontend.min.css, compiled with
#   Sass from the packages' Sass sources (compressed). Both load assets/_settings.scss: Arial, no
#   @font-face and no GDS Transport (this service is not on GOV.UK: the font and the crown are
#   licensed to GOV.UK services only), and images looked for beside each stylesheet
#   (url(assets/images/...)), since static files are served under /static/, not at /assets/;
# - assets/design-system.mjs -> static/vendor/design-system/design-system.min.js, one minified
#   ES module bundled with esbuild, holding only the components assets/design-system.mjs names;
# - the images the stylesheets draw (MoJ frontend's icons), no crown, crest or font file;
# - the packages' licences and a README naming versions, contents and sizes.
#
# Then it checks that every url() resolves to a shipped file, that no GDS Transport or
# @font-face is left, and that no class the templates or scripts use was trimmed away; and it
# writes assets/trimmed-classes.txt (every class the complete stylesheets style that the built
# ones do not), which tests/test_design_system.py reads to make the same check without Node.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
cp assets/*.scss assets/*.mjs "$work/"

govuk="$work/node_modules/govuk-frontend"
moj="$work/node_modules/@ministryofjustice/frontend"
version_of() { node -p "require('$1/package.json').version"; }
govuk_version=$(version_of "$govuk")
moj_version=$(version_of "$moj")
sass_version=$(version_of "$work/node_modules/sass")
esbuild_version=$(version_of "$work/node_modules/esbuild")

# Sources are looked up from the temporary folder, where node_modules/ is.
sass_compile() {
    (cd "$work" && node_modules/.bin/sass --no-source-map --style=compressed --load-path=. "$1" "$2")
}

# Everything in these folders is written afresh but the LICENSE files (the npm packages do not
# include theirs).
fresh() { mkdir -p "$1" && find "$1" -mindepth 1 -maxdepth 1 ! -name 'LICENSE*' -exec rm -rf {} +; }
fresh static/vendor/govuk-frontend
fresh static/vendor/moj-frontend
fresh static/vendor/design-system

sass_compile govuk-frontend.scss "$repo/static/vendor/govuk-frontend/govuk-frontend.min.css"
sass_compile moj-frontend.scss "$repo/static/vendor/moj-frontend/moj-frontend.min.css"
(cd "$work" && node_modules/.bin/esbuild design-system.mjs --bundle --format=esm --minify \
    --legal-comments=none --log-level=warning \
    --banner:js="/* GOV.UK Frontend $govuk_version and MoJ frontend $moj_version (MIT licence: see LICENSE-*), only what Case Board uses: see README.md */" \
    --outfile="$repo/static/vendor/design-system/design-system.min.js")
cp static/vendor/govuk-frontend/LICENSE static/vendor/design-system/LICENSE-govuk-frontend
cp static/vendor/moj-frontend/LICENSE static/vendor/design-system/LICENSE-moj-frontend

# The board's own stylesheet and script (assets/board.scss, assets/board.mjs): only what the
# board, topic and council pages use, each in one file. The script bundles two of our modules,
# static/js/start-components.js and static/js/board.js, so it is rebuilt when they change; its
# README records their hashes and tests/test_design_system.py fails when they no longer match.
mkdir -p "$work/static"
cp -r static/js "$work/static/js"
sass_compile board.scss "$repo/static/vendor/design-system/board.min.css"
(cd "$work" && node_modules/.bin/esbuild board.mjs --bundle --format=esm --minify \
    --legal-comments=none --log-level=warning \
    --banner:js="/* GOV.UK Frontend $govuk_version and MoJ frontend $moj_version (MIT licence: see LICENSE-*), only what the board uses, with static/js/start-components.js and static/js/board.js: see README.md */" \
    --outfile="$repo/static/vendor/design-system/board.min.js")

# The images the stylesheets draw, and nothing else; the crest is drawn only by the footer's
# Crown copyright logo, which this service never shows, so it is not copied.
for css in static/vendor/*/*.min.css; do
    dir=$(dirname "$css")
    for path in $(grep -oE 'url\("?assets/[^)"]*"?\)' "$css" | sed -E 's/^url\("?//; s/"?\)$//' | sort -u); do
        [ "$path" = assets/images/govuk-crest.svg ] && continue
        source="$moj/moj/$path"
        [ "$dir" = static/vendor/govuk-frontend ] && source="$govuk/dist/govuk/$path"
        [ -f "$source" ] || { echo "$css uses $path, which neither package has" >&2; exit 1; }
        mkdir -p "$dir/$(dirname "$path")"
        cp "$source" "$dir/$path"
    done
done

for css in static/vendor/*/*.min.css; do
    if grep -q "GDS Transport\|@font-face" "$css"; then
        echo "$css names GDS Transport or a font file: see assets/_settings.scss" >&2
        exit 1
    fi
done

# No class a template or a script uses (ours, or the Design System's own, which add classes) may
# be one the complete stylesheets style and the built ones lost: a page would render unstyled. Classes neither styles (JavaScript hooks such as
# govuk-frontend-supported, elements the Design System names but leaves alone) are fine.
cat > "$work/complete.scss" <<'SCSS'
@use "settings";
@use "node_modules/govuk-frontend/dist/govuk";
@use "node_modules/@ministryofjustice/frontend/moj/all";
SCSS
sass_compile complete.scss "$work/complete.css" 2>/dev/null
node - "$work/complete.css" > "$work/trimmed-classes.txt" <<'NODE'
const fs = require("fs");
const path = require("path");
const classesOf = (css) =>
  new Set([...css.matchAll(/\.((?:govuk|moj)-(?:\\.|[\w-])+)/g)].map((m) => m[1].replace(/\\/g, "")));
const built = classesOf(
  ["static/vendor/govuk-frontend/govuk-frontend.min.css", "static/vendor/moj-frontend/moj-frontend.min.css"]
    .map((file) => fs.readFileSync(file, "utf8")).join(""),
);
const trimmed = [...classesOf(fs.readFileSync(process.argv[2], "utf8"))].filter((c) => !built.has(c)).sort();
const files = [
  ...fs.readdirSync("templates", { recursive: true }).filter((f) => f.endsWith(".html")).map((f) => path.join("templates", f)),
  ...fs.readdirSync("static/js").filter((f) => f.endsWith(".js")).map((f) => path.join("static/js", f)),
  "static/vendor/design-system/design-system.min.js",
  "static/vendor/design-system/board.min.js",
];
const trimmedSet = new Set(trimmed);
const lost = [];
for (const file of files) {
  for (const [name] of fs.readFileSync(file, "utf8").matchAll(/(?<![\w/-])(?:govuk|moj)-[\w!-]*\w/g)) {
    if (trimmedSet.has(name)) lost.push(`${file}: ${name}`);
  }
}
if (lost.length) {
  console.error("Classes used but trimmed from the built stylesheets (add their component to assets/*.scss):");
  console.error([...new Set(lost)].join("\n"));
  process.exit(1);
}
console.log(trimmed.join("\n"));
NODE
mv "$work/trimmed-classes.txt" assets/trimmed-classes.txt

# Sizes, as served compressed (gzip -9 and brotli at its highest quality).
size_row() {
    node -e '
      const fs = require("fs"), zlib = require("zlib");
      const data = fs.readFileSync(process.argv[1]);
      const brotli = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
      const kb = (n) => (n / 1000).toFixed(1);
      console.log(`| ${process.argv[2]} | ${kb(data.length)} | ${kb(process.argv[3])} | ${kb(brotli.length)} |`);
    ' "$1" "$2" "$(gzip -9c "$1" | wc -c)"
}
sizes=$(
    size_row static/vendor/govuk-frontend/govuk-frontend.min.css govuk-frontend/govuk-frontend.min.css
    size_row static/vendor/moj-frontend/moj-frontend.min.css moj-frontend/moj-frontend.min.css
    size_row static/vendor/design-system/design-system.min.js design-system/design-system.min.js
    size_row static/vendor/design-system/board.min.css design-system/board.min.css
    size_row static/vendor/design-system/board.min.js design-system/board.min.js
)
# The board's first load, the page itself aside: the stylesheets and scripts the board's template
# links (its blocks replace base.html's Design System files; app.css, htmx and app.js are every
# page's).
board_files="static/vendor/design-system/board.min.css static/css/app.css
static/vendor/htmx/htmx-2.0.11.min.js static/js/app.js static/vendor/design-system/board.min.js"
board_total=$(node -e '
  const fs = require("fs"), zlib = require("zlib");
  const files = process.argv.slice(1);
  const sum = (f) => files.reduce((total, file) => total + f(fs.readFileSync(file)), 0);
  const kb = (n) => (n / 1000).toFixed(1);
  const brotli = (d) => zlib.brotliCompressSync(d, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${files.length} files, ${kb(sum((d) => d.length))} kB raw, ` +
    `${kb(sum((d) => zlib.gzipSync(d, { level: 9 }).length))} kB gzip -9, ${kb(sum(brotli))} kB brotli 11`);
' $board_files)
# Lists for the README, wrapped to its width.
listed() { paste -sd, - | sed 's/,/, /g' | fold -s -w 96 | sed 's/ *$//'; }
components=$(sed -n 's/^  \([A-Z][A-Za-z]*\),$/\1/p' assets/design-system.mjs | listed)
board_components=$(sed -n '/^const COMPONENTS/,/^];/s/^  \([A-Z][A-Za-z]*\),$/\1/p' assets/board.mjs | listed)
board_styles=$(sed -n 's#^@use "node_modules/\(govuk-frontend/dist/govuk\|@ministryofjustice/frontend/moj\)/\(.*\)";#\2#p' assets/board.scss | listed)
source_hash() { sha256sum "$1" | cut -c1-16; }
govuk_styles=$(sed -n 's#^@use "node_modules/govuk-frontend/dist/govuk/\(.*\)";#\1#p' assets/govuk-frontend.scss | listed)
moj_styles=$(sed -n 's#^@use "node_modules/@ministryofjustice/frontend/moj/\(.*\)";#\1#p' assets/moj-frontend.scss | listed)
icons=$(cd static/vendor/moj-frontend && ls assets/images | listed)

cat > static/vendor/design-system/README.md <<README
# The Design System, as Case Board uses it

Built by \`make assets\` (scripts/vendor-assets.sh) from **GOV.UK Frontend $govuk_version** and the
**MoJ frontend $moj_version** (\`govuk-frontend\` and \`@ministryofjustice/frontend\` on npm, pinned
in package.json and package-lock.json), with Sass $sass_version and esbuild $esbuild_version. Do not
edit the built files: change assets/ or the pins and run \`make assets\`. Both packages are under
the MIT licence: see LICENSE-govuk-frontend and LICENSE-moj-frontend.

Only the components Case Board's pages use are built in; tests/test_design_system.py fails when
a template, a macro it calls or a script uses a class or a data-module that was left out.

## What is in it

\`design-system.min.js\`, from assets/design-system.mjs: one minified ES module exporting these
components, \`createAll\`, \`govukFrontendVersion\` and \`mojFrontendVersion\`. static/js/govuk-init.js
starts the components (with static/js/start-components.js) on each page but the board's, and in
each part htmx swaps in.

$components

\`../govuk-frontend/govuk-frontend.min.css\`, from assets/govuk-frontend.scss: these parts of GOV.UK
Frontend, and of its spacing overrides only those the pages use.

$govuk_styles

\`../moj-frontend/moj-frontend.min.css\`, from assets/moj-frontend.scss: these parts of the MoJ
frontend (GOV.UK Frontend's styles are in the other stylesheet), and the icons they draw, in
\`../moj-frontend/assets/images/\`:

$moj_styles

$icons

The board, topic and council pages load neither of these nor design-system.min.js, but their
own two files:

- \`board.min.css\`, from assets/board.scss: these parts of both, in one stylesheet, and the icons
  they draw, in \`assets/images/\`:

$board_styles

- \`board.min.js\`, from assets/board.mjs: one minified ES module that starts these components
  and sets up the filter panel on phones, with two of Case Board's own modules bundled in:
  static/js/start-components.js (sha256 $(source_hash static/js/start-components.js)...) and
  static/js/board.js (sha256 $(source_hash static/js/board.js)...). Change either and run
  \`make assets\`: tests/test_design_system.py compares these hashes with the files.

$board_components

Not shipped, because this service is not on GOV.UK: the GDS Transport font (text is Arial; the
stylesheets have no @font-face), the crown and the crest. assets/trimmed-classes.txt lists the
classes the complete stylesheets have and these do not.

## Sizes (kB, 1,000 bytes)

| File | Raw | gzip -9 | brotli 11 |
| --- | ---: | ---: | ---: |
$sizes

The complete bundles these replace (GOV.UK Frontend 6.6.0 and MoJ frontend 11.1.0 as published,
without GDS Transport), for comparison:

| File | Raw | gzip -9 | brotli 11 |
| --- | ---: | ---: | ---: |
| govuk-frontend/govuk-frontend.min.css | 135.1 | 15.9 | 13.0 |
| moj-frontend/moj-frontend.min.css | 92.7 | 10.8 | 9.5 |
| govuk-frontend/govuk-frontend.min.js | 46.7 | 11.4 | 10.1 |
| moj-frontend/moj-frontend.min.js | 71.1 | 17.3 | 15.2 |

The board's first load when these were built, the page itself aside (every stylesheet and script
it links, and the modules they import):

- now: $board_total;
- with the complete bundles: 10 files, 423.1 kB raw, 81.5 kB gzip -9, 70.6 kB brotli 11.
README

for folder in govuk-frontend moj-frontend; do
    name=$([ $folder = govuk-frontend ] && echo "GOV.UK Frontend, version $govuk_version" \
        || echo "MoJ frontend (the Ministry of Justice Design System), version $moj_version")
    cat > "static/vendor/$folder/README.md" <<README
# $name

The part of it Case Board uses, built by \`make assets\` from the npm package pinned in
package.json: see ../design-system/README.md for what is in it and how it is built. Do not edit
these files. MIT licence: see LICENSE.
README
done

echo "govuk-frontend $govuk_version and @ministryofjustice/frontend $moj_version built into static/vendor/"
