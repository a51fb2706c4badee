#!/usr/bin/env bash
# Local infrastructure without Docker: PostgreSQL, Redis, Apache Kafka (KRaft, jars from
# Maven Central) and the SMTP mail catcher. Reuses whatever already runs; starts nothing
# twice. Usage: scripts/infra.sh [up|down|status]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${CAMPAIGN_CACHE_DIR:-$HOME/.cache/campaign-platform}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
DB_NAME=${DB_NAME:-campaign}
REDIS_PORT=${REDIS_PORT:-6379}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}
SMTP_PORT=${SMTP_PORT:-1025}
MAILCATCHER_HTTP_PORT=${MAILCATCHER_HTTP_PORT:-1080}

KAFKA_POM=$ROOT/infra/kafka/pom.xml
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM")
KAFKA_HOME=$CACHE_DIR/kafka/$KAFKA_VERSION
KAFKA_PID=$KAFKA_HOME/kafka.pid
KAFKA_LOG=$KAFKA_HOME/kafka.log
MAIL_PID=$CACHE_DIR/mail-catcher.pid
MAIL_LOG=$CACHE_DIR/mail-catcher.log
TOPIC_PARTITIONS=6
TOPICS=(campaign.events lead.events message.events engagement.events)
TOPICS+=("${TOPICS[@]/#/test.}") # the e2e tests use their own prefixed copies

# Fast JVM start for short-lived tool processes: they run for a second, so skip the JIT tiers.
TOOL_JVM_OPTS=(-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

SUMMARY=()
log() { echo "infra: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
note() { SUMMARY+=("$(printf '%-13s %-8s %s' "$1" "$2" "$3")"); }

# A TCP connect through bash itself, so no netcat is needed.
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    ((SECONDS < deadline)) || die "timed out waiting for $what"
    sleep 0.3
  done
}

APT_UPDATED=
apt_install() {
  [[ -n $APT_UPDATED ]] || { log "apt-get update"; apt-get update -qq; APT_UPDATED=1; }
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 9>&-
}

# Our own pid files only count while the process is still the one we started: a stale
# pid may have been reused by something unrelated, which must never be killed.
own_pid() { # own_pid PIDFILE CMDLINE-PATTERN
  local pid
  [[ -f $1 ]] && pid=$(<"$1") && [[ -r /proc/$pid/cmdline ]] &&
    [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == *"$2"* ]] && echo "$pid"
}

# ---------------------------------------------------------------- PostgreSQL
pg_ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }
# Debian keeps one config dir per installed major version: /etc/postgresql/<version>/main.
pg_version() {
  local dir
  for dir in /etc/postgresql/*/main; do
    [[ -d $dir ]] && basename "$(dirname "$dir")" && return
  done
  return 1
}
psql_pg() { psql -h "$PGHOST" -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

pg_install() {
  apt_install postgresql
  local version hba
  version=$(pg_version)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # A fresh Debian cluster uses peer/scram auth; dev tools and apps connect without a password.
  sed -i -E '/^\s*#/! s/(peer|scram-sha-256|md5)\s*$/trust/' "$hba"
  pg_conftool "$version" main set port "$PGPORT"
  # The package may have started the cluster with the old settings; ensure_postgres restarts it.
  pg_ctlcluster --skip-systemctl-redirect "$version" main stop 2>/dev/null || true
}

ensure_postgres() {
  local state=reused
  if ! pg_ready; then
    [[ $PGHOST == 127.0.0.1 || $PGHOST == localhost ]] ||
      die "PostgreSQL at $PGHOST:$PGPORT is not reachable and is not local"
    if ! command -v pg_ctlcluster >/dev/null || ! pg_version >/dev/null; then pg_install; fi
    local version
    version=$(pg_version)
    log "starting PostgreSQL $version/main"
    # Containers have no systemd; start the cluster directly (no-op if apt already did).
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null 9>&- || true
    wait_for 30 "PostgreSQL on $PGHOST:$PGPORT" pg_ready
    state=started
  fi
  local db
  for db in "$DB_NAME" campaign_test; do
    [[ $(psql_pg -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'") == 1 ]] ||
      psql_pg -d postgres -c "CREATE DATABASE \"$db\" OWNER postgres"
  done
  note postgres "$state" "$PGHOST:$PGPORT (databases $DB_NAME, campaign_test)"
}

# ---------------------------------------------------------------- Redis
redis_ready() { [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

ensure_redis() {
  local state=reused
  if ! redis_ready; then
    command -v redis-server >/dev/null || apt_install redis-server
    # The apt package may have started its own instance on the default port.
    if ! redis_ready; then
      log "starting redis-server on 127.0.0.1:$REDIS_PORT"
      mkdir -p "$CACHE_DIR"
      # Cache/queue data only: no persistence, so a restart starts clean and fast.
      redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
        --appendonly no --logfile "$CACHE_DIR/redis.log" --dir "$CACHE_DIR" 9>&-
      wait_for 10 "Redis on 127.0.0.1:$REDIS_PORT" redis_ready
    fi
    state=started
  fi
  note redis "$state" "127.0.0.1:$REDIS_PORT"
}

# ---------------------------------------------------------------- Kafka
kafka_java() { java -cp "$KAFKA_HOME/libs/*" "$@"; }

# The marker holds the pom's checksum, so editing the pom refreshes the jars.
ensure_kafka_jars() {
  local marker=$KAFKA_HOME/libs/.complete sum
  command -v java >/dev/null || apt_install openjdk-17-jdk-headless
  sum=$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)
  [[ -f $marker && $(<"$marker") == "$sum" ]] && return
  log "resolving Kafka $KAFKA_VERSION from Maven Central into $KAFKA_HOME/libs"
  command -v mvn >/dev/null || apt_install maven
  rm -rf "$KAFKA_HOME/libs.tmp"
  mvn -q -B -f "$KAFKA_POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/libs.tmp" >"$KAFKA_HOME/mvn.log" 2>&1 ||
    { cat "$KAFKA_HOME/mvn.log" >&2; die "mvn could not resolve Kafka (see above)"; }
  rm -rf "$KAFKA_HOME/libs"
  mv "$KAFKA_HOME/libs.tmp" "$KAFKA_HOME/libs"
  echo "$sum" >"$marker"
}

write_server_properties() {
  cat >"$KAFKA_HOME/server.properties" <<EOF
# Generated by scripts/infra.sh: single-node KRaft (broker + controller) for development.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_HOME/data
num.partitions=$TOPIC_PARTITIONS
auto.create.topics.enable=true
# One node: every internal topic must live with replication factor 1.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=$TOPIC_PARTITIONS
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests start consumers and expect them to join at once.
group.initial.rebalance.delay.ms=0
# After a hard kill the restarted broker waits for its old session to expire (9 s by default).
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000
log.retention.hours=24
log.retention.bytes=268435456
log.segment.bytes=67108864
EOF
}

# Format exactly once; the cluster id is kept so a re-format (after deleting data/) keeps it.
format_kafka_storage() {
  [[ -f $KAFKA_HOME/data/meta.properties ]] && return
  [[ -s $KAFKA_HOME/cluster.id ]] ||
    kafka_java "${TOOL_JVM_OPTS[@]}" kafka.tools.StorageTool random-uuid >"$KAFKA_HOME/cluster.id"
  log "formatting Kafka storage (cluster id $(<"$KAFKA_HOME/cluster.id"))"
  kafka_java "${TOOL_JVM_OPTS[@]}" kafka.tools.StorageTool format \
    -t "$(<"$KAFKA_HOME/cluster.id")" -c "$KAFKA_HOME/server.properties" >/dev/null
}

start_kafka() {
  write_server_properties
  format_kafka_storage
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (log: $KAFKA_LOG)"
  # setsid + nohup: the broker outlives this shell and a Ctrl-C in the caller's terminal.
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of JVM flags
  setsid nohup java $KAFKA_HEAP_OPTS -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/infra/kafka/log4j2.properties" \
    -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$KAFKA_HOME/server.properties" \
    >>"$KAFKA_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$KAFKA_PID"
}

# Readiness and topics in one JVM: EnsureTopics waits until the broker serves metadata.
ensure_topics() {
  local out
  if ! out=$(kafka_java "${TOOL_JVM_OPTS[@]}" "$ROOT/infra/kafka/EnsureTopics.java" \
    "127.0.0.1:$KAFKA_PORT" "$TOPIC_PARTITIONS" 90 "${TOPICS[@]}" 2>&1); then
    echo "$out" >&2
    [[ -f $KAFKA_LOG ]] && tail -n 30 "$KAFKA_LOG" >&2
    die "Kafka on 127.0.0.1:$KAFKA_PORT did not become ready"
  fi
  echo "$out"
}

ensure_kafka() {
  local state=reused
  mkdir -p "$KAFKA_HOME"
  # Needed even when the broker is not ours: EnsureTopics runs from these jars.
  ensure_kafka_jars
  # Our broker may still be starting (an earlier `up` gave up waiting): wait for it instead.
  if ! listening 127.0.0.1 "$KAFKA_PORT" && [[ -z $(own_pid "$KAFKA_PID" kafka.Kafka) ]]; then
    start_kafka
    state=started
  fi
  local topics pid
  topics=$(ensure_topics)
  pid=$(own_pid "$KAFKA_PID" kafka.Kafka || true)
  note kafka "$state" "127.0.0.1:$KAFKA_PORT (${pid:+KRaft $KAFKA_VERSION, pid $pid; }$topics)"
}

# ---------------------------------------------------------------- Mail catcher
mail_ready() { listening 127.0.0.1 "$SMTP_PORT" && listening 127.0.0.1 "$MAILCATCHER_HTTP_PORT"; }

ensure_mail_catcher() {
  if mail_ready; then
    note mail-catcher reused "smtp 127.0.0.1:$SMTP_PORT, http 127.0.0.1:$MAILCATCHER_HTTP_PORT"
    return
  fi
  # Resolved like the catcher will resolve them (node_modules of the repo, or NODE_PATH).
  if ! (cd "$ROOT" && node -e 'require.resolve("smtp-server"); require.resolve("mailparser")') 2>/dev/null; then
    log "mail catcher skipped: smtp-server/mailparser not installed; run 'npm install' first"
    note mail-catcher skipped "run 'npm install', then scripts/infra.sh up"
    return
  fi
  log "starting mail catcher (log: $MAIL_LOG)"
  mkdir -p "$CACHE_DIR"
  (
    cd "$ROOT"
    SMTP_PORT=$SMTP_PORT MAILCATCHER_HTTP_PORT=$MAILCATCHER_HTTP_PORT \
      setsid nohup node --max-old-space-size=4096 "$ROOT/scripts/mail-catcher.js" >>"$MAIL_LOG" 2>&1 </dev/null 9>&- &
    echo $! >"$MAIL_PID"
  )
  wait_for 15 "mail catcher on $SMTP_PORT/$MAILCATCHER_HTTP_PORT (see $MAIL_LOG)" mail_ready
  note mail-catcher started "smtp 127.0.0.1:$SMTP_PORT, http 127.0.0.1:$MAILCATCHER_HTTP_PORT"
}

# ---------------------------------------------------------------- Commands
print_summary() { printf '%s\n' "${SUMMARY[@]}"; }

up() {
  ensure_postgres
  ensure_redis
  ensure_kafka
  ensure_mail_catcher
  print_summary
}

status() {
  local pid
  if pg_ready; then note postgres up "$PGHOST:$PGPORT"; else note postgres down "$PGHOST:$PGPORT"; fi
  if redis_ready; then note redis up "127.0.0.1:$REDIS_PORT"; else note redis down "127.0.0.1:$REDIS_PORT"; fi
  pid=$(own_pid "$KAFKA_PID" kafka.Kafka || true)
  if listening 127.0.0.1 "$KAFKA_PORT"; then
    if [[ -n $pid ]]; then
      note kafka up "127.0.0.1:$KAFKA_PORT (KRaft $KAFKA_VERSION, pid $pid, log $KAFKA_LOG)"
    else
      note kafka up "127.0.0.1:$KAFKA_PORT (not started by infra.sh)"
    fi
  else
    note kafka down "127.0.0.1:$KAFKA_PORT${pid:+ (pid $pid starting)}"
  fi
  pid=$(own_pid "$MAIL_PID" mail-catcher.js || true)
  if mail_ready; then
    note mail-catcher up "smtp 127.0.0.1:$SMTP_PORT, http 127.0.0.1:$MAILCATCHER_HTTP_PORT${pid:+ (pid $pid)}"
  else
    note mail-catcher down "smtp 127.0.0.1:$SMTP_PORT, http 127.0.0.1:$MAILCATCHER_HTTP_PORT"
  fi
  print_summary
}

stop_own() { # stop_own NAME PIDFILE CMDLINE-PATTERN GRACE-SECONDS
  local pid
  if ! pid=$(own_pid "$2" "$3"); then
    rm -f "$2"
    note "$1" "-" "nothing of infra.sh runs (anything else is left alone)"
    return
  fi
  kill "$pid"
  local deadline=$((SECONDS + $4))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.3; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$2"
  note "$1" stopped "pid $pid"
}

# Postgres and Redis are shared with other projects on the machine: never stopped here.
down() {
  stop_own mail-catcher "$MAIL_PID" mail-catcher.js 10
  stop_own kafka "$KAFKA_PID" kafka.Kafka 60
  print_summary
}

# Two callers at once (say `npm start` and `npm test`) must not both start a broker.
# Daemons are started with 9>&- so they don't inherit, and hold, this lock.
lock() {
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/infra.lock"
  flock -w 600 9 || die "another scripts/infra.sh holds $CACHE_DIR/infra.lock"
}

case ${1:-up} in
  up) lock && up ;;
  down) lock && down ;;
  status) status ;;
  *) die "usage: $0 [up|down|status]" ;;
esac
