# Shared by scripts/start.sh and scripts/test.sh.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Installs dependencies when they are missing or older than package-lock.json.
ensure_deps() {
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [[ ! -f $stamp || $ROOT/package-lock.json -nt $stamp ]]; then
    echo "deps: npm ci" >&2
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_built() {
  (cd "$ROOT" && node scripts/build.js)
}
