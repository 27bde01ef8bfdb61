#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) for development and tests.
#
#   scripts/kafka/kafka.sh fetch    resolve the broker jars from Maven Central into .kafka/libs (once)
#   scripts/kafka/kafka.sh start    fetch if needed, format storage if needed, start, wait until a client gets metadata
#   scripts/kafka/kafka.sh stop     stop the broker cleanly (SIGTERM, then SIGKILL after a grace period)
#   scripts/kafka/kafka.sh status   print whether it runs and where
#   scripts/kafka/kafka.sh reset    stop and wipe the data folder (keeps the jars)
#
# Every command is idempotent: starting a running broker or stopping a stopped one is harmless.
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), TROUPE_KAFKA_HOME (<repo>/.kafka),
# KAFKA_HEAP (512m), KAFKA_START_TIMEOUT seconds (90).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
home="${TROUPE_KAFKA_HOME:-$repo/.kafka}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
heap="${KAFKA_HEAP:-512m}"
start_timeout="${KAFKA_START_TIMEOUT:-90}"
libs="$home/libs"
data="$home/data-$port"
logs="$home/logs-$port"
conf="$home/server-$port.properties"
pidfile="$home/broker-$port.pid"

log() { printf '[kafka] %s\n' "$*" >&2; }

alive() {
  [[ -f "$pidfile" ]] || return 1
  local pid
  pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

fetch() {
  if compgen -G "$libs/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  command -v mvn >/dev/null || { log "mvn is required to fetch Kafka's jars (install Maven and Java 17)"; exit 1; }
  command -v java >/dev/null || { log "java is required to run the broker (Java 17)"; exit 1; }
  log "fetching Apache Kafka jars with Maven into $libs (first run only)"
  mkdir -p "$home"
  local tmp="$home/libs.partial"
  rm -rf "$tmp"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$home/mvn.log" 2>&1 || {
    log "maven failed; see $home/mvn.log"; tail -n 20 "$home/mvn.log" >&2; exit 1; }
  rm -rf "$libs"
  mv "$tmp" "$libs"
}

write_config() {
  mkdir -p "$logs"
  cat >"$conf" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
log.cleaner.backoff.ms=1000
PROPS
  cat >"$home/log4j-$port.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$logs/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
PROPS
}

java_run() {
  java -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$home/log4j-$port.properties" -Dkafka.logs.dir="$logs" \
    -cp "$libs/*" "$@"
}

format() {
  if [[ -f "$data/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  cluster_id="$(java_run kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  log "formatting KRaft storage in $data (cluster $cluster_id)"
  java_run kafka.tools.StorageTool format -t "$cluster_id" -c "$conf" --ignore-formatted >"$logs/format.log" 2>&1 || {
    log "formatting failed; see $logs/format.log"; cat "$logs/format.log" >&2; exit 1; }
}

wait_ready() {
  local deadline=$((SECONDS + start_timeout))
  while ((SECONDS < deadline)); do
    if ! alive; then
      log "broker exited during start; last lines of $logs:"
      tail -n 30 "$logs/stdout.log" "$logs/server.log" 2>/dev/null >&2 || true
      exit 1
    fi
    if port_open && node "$here/ready.mjs" "127.0.0.1:$port" >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  log "broker did not answer metadata requests within ${start_timeout}s; see $logs"
  exit 1
}

start() {
  if alive; then
    wait_ready
    log "already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"
    return 0
  fi
  if port_open; then
    log "port $port is taken by another process; set KAFKA_PORT or KAFKA_BROKERS"; exit 1
  fi
  fetch
  write_config
  format
  log "starting broker on 127.0.0.1:$port"
  # setsid + nohup: the broker outlives this script and the npm process that called it.
  setsid nohup bash -c "$(declare -f java_run); home='$home' port='$port' heap='$heap' logs='$logs' libs='$libs' \
    java_run kafka.Kafka '$conf'" >"$logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_ready
  log "ready on 127.0.0.1:$port (pid $(cat "$pidfile"), started in ${SECONDS}s)"
}

stop() {
  if ! alive; then
    rm -f "$pidfile"
    log "not running"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  log "stopping broker (pid $pid)"
  # The pid is a session leader (setsid): signal its whole group so the JVM gets it.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker ignored SIGTERM for 30s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "stopped"
}

status() {
  if alive; then
    echo "running on 127.0.0.1:$port (pid $(cat "$pidfile"))"
  else
    echo "stopped"
    return 3
  fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) stop; rm -rf "$data" "$logs" "$conf" ;;
  *) echo "usage: $0 fetch|start|stop|status|reset" >&2; exit 2 ;;
esac
