#!/usr/bin/env bash
# `npm start`: infrastructure, then the five apps (compiled JavaScript) in the foreground.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_deps
ensure_built
bash scripts/infra.sh up
exec node scripts/run-apps.js
