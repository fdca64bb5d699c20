#!/usr/bin/env bash
# The whole suite: typecheck, unit and integration tests on PGlite, the integration tests
# again on a PostgreSQL server, then the browser flows in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh
results=.tmp/test-results
rm -rf "$results" && mkdir -p "$results"
report() { echo "--reporter=default --reporter=json --outputFile.json=$results/$1.json"; }

echo "== typecheck"
npx tsc -p .

echo "== lint"
npx eslint .

echo "== unit + integration (PGlite)"
npx vitest run $(report pglite)

echo "== integration (PostgreSQL server)"
bash scripts/with-postgres.sh npx vitest run .db.test.ts $(report postgres)

echo "== browser flows (Chromium)"
npx vitest run --config vitest.e2e.config.ts $(report chromium)

# One closing line over all three runs.
node -e '
  const fs = require("fs"), dir = process.argv[1];
  let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.readdirSync(dir)) {
    const r = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results"
