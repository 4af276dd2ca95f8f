#!/usr/bin/env bash
# Copy the pinned front-end packages from the npm registry into the project's static files.
# Run after changing package.json; commit the copied files. Nothing is downloaded at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
vendor=src/mineralstrategi/static/mineralstrategi/vendor
mkdir -p "$vendor" tests/e2e/vendor
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$vendor/htmx.LICENSE"
# axe-core runs only inside the browser tests; it is not served by the platform.
cp node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js
cp node_modules/axe-core/LICENSE tests/e2e/vendor/axe.LICENSE
{
  echo "Vendored from the npm registry by scripts/vendor-frontend.sh:"
  node -e 'const l=require("./package-lock.json").packages; for (const [k,v] of Object.entries(l)) if (k) console.log(`${k.replace("node_modules/","")} ${v.version} ${v.license||""}`)'
} > "$vendor/VERSIONS.txt"
cp "$vendor/VERSIONS.txt" tests/e2e/vendor/VERSIONS.txt
