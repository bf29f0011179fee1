#!/usr/bin/env bash
# `make assets`: refresh static/vendor/govuk-frontend and static/vendor/moj-frontend from the
# versions pinned in package.json and package-lock.json. Only this step needs Node and npm; the
# app serves the copies committed to the repository, so `make run` and `make test` never do.
#
# What is copied, and what is changed on the way (the same changes every time):
# - the compiled, minified CSS and the ES module JS of each package, and their versions;
# - no GDS Transport font files, no crown or crest and no GOV.UK icons: this service is not on
#   GOV.UK, and the font and crown are licensed to GOV.UK services only. In the CSS the
#   @font-face rules are dropped and the "GDS Transport" family is taken out of every font stack,
#   which is what compiling with $govuk-font-family: arial, sans-serif and
#   $govuk-include-default-font-face: false does (the Design System's advice for services not on
#   GOV.UK): text is Arial, and no page asks for a font file that is not there;
# - url(/assets/...) becomes url(assets/...), relative to the CSS file, because our static files
#   are served under /static/, not at /assets/;
# - the MoJ frontend's icons (its CSS draws them), without the MoJ crest and icons.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

govuk="$work/node_modules/govuk-frontend"
moj="$work/node_modules/@ministryofjustice/frontend"
version_of() { node -p "require('$1/package.json').version"; }
govuk_version=$(version_of "$govuk")
moj_version=$(version_of "$moj")

# One substitution for both stylesheets (see above).
adapt_css() {
    sed -E \
        -e 's/@font-face\{[^}]*\}//g' \
        -e 's/font-family:GDS Transport,/font-family:/g' \
        -e 's/font-family:GDS Transport;/font-family:arial,sans-serif;/g' \
        -e 's#url\(/assets/#url(assets/#g' \
        -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
        "$1" > "$2"
    if grep -q "GDS Transport\|@font-face" "$2"; then
        echo "$2 still names GDS Transport: update scripts/vendor-assets.sh" >&2
        exit 1
    fi
}
write_readme() {
    cat > "$1/README.md" <<README
# $4, version $3

The npm package \`$2\` at version **$3**, as pinned in package.json and
package-lock.json, copied here by \`make assets\` (scripts/vendor-assets.sh). Do not edit these files: change the pin and run
\`make assets\`. MIT licence: see LICENSE.

Files: $5.

Changed on the way, because this service is not on GOV.UK: no GDS Transport font files, no crown
or crest; the @font-face rules are dropped and "GDS Transport" is taken out of every font stack
(as compiling with \`\$govuk-font-family: arial, sans-serif\` would), so text is Arial; and
\`url(/assets/...)\` is made relative to the stylesheet, since static files are served under
/static/. Source-map comments are removed (the maps are not copied).
README
}
strip_source_map() { sed -e 's#//\# sourceMappingURL=[^ ]*$##' "$1" > "$2"; }

# The LICENSE beside each copy is kept (the npm packages do not include theirs); everything else
# is written afresh.
fresh() { mkdir -p "$1" && find "$1" -mindepth 1 -maxdepth 1 ! -name LICENSE -exec rm -rf {} +; }

out=static/vendor/govuk-frontend
fresh "$out"
adapt_css "$govuk/dist/govuk/govuk-frontend.min.css" "$out/govuk-frontend.min.css"
strip_source_map "$govuk/dist/govuk/govuk-frontend.min.js" "$out/govuk-frontend.min.js"
write_readme "$out" "govuk-frontend" "$govuk_version" "GOV.UK Frontend" \
    "govuk-frontend.min.css, govuk-frontend.min.js (an ES module: import { initAll })"

out=static/vendor/moj-frontend
fresh "$out"
mkdir -p "$out/assets/images"
adapt_css "$moj/moj/moj-frontend.min.css" "$out/moj-frontend.min.css"
strip_source_map "$moj/moj/moj-frontend.min.js" "$out/moj-frontend.min.js"
cp "$moj"/moj/assets/images/icon-*.svg "$out/assets/images/"
write_readme "$out" "@ministryofjustice/frontend" "$moj_version" "MoJ Frontend (the Ministry of Justice Design System)" \
    "moj-frontend.min.css, moj-frontend.min.js (an ES module: import { initAll }), assets/images/icon-*.svg"

# Every url() the stylesheets use must now resolve to a file we ship, or be the GOV.UK crest
# (drawn only by the footer's Crown copyright logo, which this service does not show).
for css in static/vendor/*/*.min.css; do
    dir=$(dirname "$css")
    for path in $(grep -o 'url(assets/[^)]*)' "$css" | sed -e 's/^url(//' -e 's/)$//' | sort -u); do
        [ -f "$dir/$path" ] || [ "$path" = assets/images/govuk-crest.svg ] || {
            echo "$css uses $path, which is not copied" >&2
            exit 1
        }
    done
done
echo "govuk-frontend $govuk_version and @ministryofjustice/frontend $moj_version copied into static/vendor/"
