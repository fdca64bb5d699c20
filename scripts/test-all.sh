#!/usr/bin/env bash
# The whole suite: typecheck, unit and integration tests on PGlite, the integration tests
# again on a PostgreSQL server, then the browser flows in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh

echo "== typecheck"
npx tsc -p .

echo "== unit + integration (PGlite)"
npx vitest run

echo "== integration (PostgreSQL server)"
bash scripts/with-postgres.sh npx vitest run .db.test.ts

echo "== browser flows (Chromium)"
npx vitest run --config vitest.e2e.config.ts
