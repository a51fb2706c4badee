#!/usr/bin/env bash
# `npm test`: type check and lint, unit tests, then the e2e suite against the real stack
# (Postgres, Redis, Kafka and the SMTP catcher from scripts/infra.sh; apps as processes).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_deps
ensure_built
bash scripts/infra.sh up
echo "== typecheck" && npx tsc -p tsconfig.json --noEmit
echo "== lint" && npx eslint --quiet "{apps,libs,test}/**/*.ts"
echo "== unit tests" && npx jest --selectProjects unit "$@"
# The security sweep runs 1,000 generated requests per route group here; `npm run test:security`
# runs the full 10,000.
echo "== e2e tests" && SWEEP_RUNS=${SWEEP_RUNS:-1000} npx jest --selectProjects e2e --runInBand "$@"
