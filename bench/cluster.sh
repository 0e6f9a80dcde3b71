#!/usr/bin/env bash
# Cluster benchmark: one room on 1, 2 or 3 barertc nodes sharing a Redis
# Stream, against the single-node default (no [Cluster]). For every
# configuration and scenario it starts a fresh redis-server (temp dir, free
# port, append-only file synced on every write, as the README recommends) and
# fresh nodes (each in its own temp dir), runs the load generator with the
# users spread round-robin over the nodes' ports, reads Redis's memory and
# each node's /metrics, checks the logs, and stops everything.
#
# usage: bench/cluster.sh                 (about 6 minutes with the defaults)
#        CONFIGS="single c1" SCENARIOS=echo bench/cluster.sh
#        BASELINE_BIN=/tmp/baseline/build/barertc CONFIGS="base single base single base single" \
#          SCENARIOS=fanout bench/cluster.sh      (with and without the cluster code compiled in)
#
# Environment (defaults in brackets):
#   CONFIGS ["single c1 c2 c3"]  one run of every scenario per word, in order:
#                           single  one node, no [Cluster] (the default)
#                           cN      N nodes with [Cluster] Enabled, one Redis
#                           base    one node, no [Cluster], binary $BASELINE_BIN
#   SCENARIOS ["echo fanout fanout-max"]
#                           echo        ECHO_USERS users, ECHO_RATE msg/s: the
#                                       sender's own copy's round trip, per-event cost
#                           fanout      USERS users, RATE msg/s for DURATION s
#                           fanout-max  USERS users, SENDERS x INFLIGHT in flight
#                                       for MAX_DURATION s
#   USERS [2000] RATE [100] DURATION [20] SENDERS [4] INFLIGHT [4] MAX_DURATION [10]
#   ECHO_USERS [50] ECHO_RATE [20] ECHO_DURATION [15]
#   QUIET_WAIT [120]        before each run, wait up to this many seconds for the
#                           machine to be under 20 % busy for 3 s (other jobs)
#   REDIS_FSYNC [always]    redis-server --appendfsync (always | everysec | no)
#   BUILD_DIR [<repo>/build-bench]  SKIP_BUILD=1 uses the binaries as they are
#   OUT [a new /tmp/barertc-cluster.XXXXXX]  logs, RESULT lines, table.md
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
CONFIGS="${CONFIGS:-single c1 c2 c3}"
SCENARIOS="${SCENARIOS:-echo fanout fanout-max}"
USERS="${USERS:-2000}"
RATE="${RATE:-100}"
DURATION="${DURATION:-20}"
SENDERS="${SENDERS:-4}"
INFLIGHT="${INFLIGHT:-4}"
MAX_DURATION="${MAX_DURATION:-10}"
ECHO_USERS="${ECHO_USERS:-50}"
ECHO_RATE="${ECHO_RATE:-20}"
ECHO_DURATION="${ECHO_DURATION:-15}"
REDIS_FSYNC="${REDIS_FSYNC:-always}"
QUIET_WAIT="${QUIET_WAIT:-120}"
BASELINE_BIN="${BASELINE_BIN:-}"
OUT="${OUT:-$(mktemp -d /tmp/barertc-cluster.XXXXXX)}"
ROOM=bench
mkdir -p "$OUT"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBARERTC_BENCH=ON \
    >"$OUT/build.log" 2>&1
  ninja -C "$BUILD_DIR" barertc loadgen >>"$OUT/build.log" 2>&1 || {
    tail -30 "$OUT/build.log" >&2
    exit 1
  }
fi
SERVER_BIN="$BUILD_DIR/barertc"
LOADGEN="$BUILD_DIR/bench/loadgen"
[[ -x "$SERVER_BIN" && -x "$LOADGEN" ]] || { log "missing $SERVER_BIN or $LOADGEN"; exit 1; }
command -v redis-server >/dev/null && command -v redis-cli >/dev/null ||
  { log "redis-server and redis-cli are needed (apt-get install redis-server)"; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- processes -----------------------------------------------------------------
PIDS=()       # everything this script started and has not stopped yet
NODE_PIDS=()  # this run's nodes
NODE_PORTS=()
REDIS_PID=""
REDIS_PORT=""

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port in 20000-32767, below the kernel's ephemeral range (a port the
# generator's connections were using a moment ago may still be taken), never
# 6379 or 9000, not handed out before.
USED_PORTS=" "
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12768))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if port_free "$p"; then
      USED_PORTS+="$p "
      echo "$p"
      return 0
    fi
  done
  return 1
}

wait_port() {
  local port=$1 pid=$2
  for _ in $(seq 150); do
    kill -0 "$pid" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local keep=()
  for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

stop_all() {
  # Newest first: the nodes, then their Redis.
  local k
  for ((k = ${#PIDS[@]} - 1; k >= 0; --k)); do stop_pid "${PIDS[k]}"; done
  NODE_PIDS=()
  NODE_PORTS=()
  REDIS_PID=""
}
trap stop_all EXIT

start_redis() {
  local dir=$1
  mkdir -p "$dir"
  REDIS_PORT="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" --save '' \
    --appendonly yes --appendfsync "$REDIS_FSYNC" --daemonize no --protected-mode yes \
    >"$dir/redis.log" 2>&1 &
  REDIS_PID=$!
  PIDS+=("$REDIS_PID")
  wait_port "$REDIS_PORT" "$REDIS_PID" || { log "redis did not start (see $dir/redis.log)"; return 1; }
}

# start_node DIR BIN NAME CLUSTER(0|1)
start_node() {
  local dir=$1 bin=$2 name=$3 cluster=$4 port pid
  mkdir -p "$dir"
  if [[ $cluster == 1 ]]; then
    cat >"$dir/settings.toml" <<EOF
[Cluster]
Enabled = true
RedisURL = "redis://127.0.0.1:$REDIS_PORT/0"
NodeName = "$name"
Room = "$ROOM"
EOF
  fi
  port="$(free_port)"
  (cd "$dir" && exec "$bin" -address "127.0.0.1:$port" -presence-quiet 0) >"$dir/server.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  wait_port "$port" "$pid" || { log "node $name did not start (see $dir/server.log)"; return 1; }
  NODE_PIDS+=("$pid")
  NODE_PORTS+=("$port")
}

# A metric of one node's /metrics (the first sample of that name), or empty.
metric() {
  curl -s --max-time 5 "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1 == m { print $2; exit }'
}

join() { local IFS=,; echo "$*"; }

# val LINE KEY: a value of a RESULT line.
val() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2; exit }'; }

# Share of both cores busy over the next N seconds.
busy_pct() {
  local -a a b
  read -ra a </proc/stat
  sleep "$1"
  read -ra b </proc/stat
  local busy=$(((b[1] + b[2] + b[3] + b[6] + b[7] + b[8]) - (a[1] + a[2] + a[3] + a[6] + a[7] + a[8])))
  local idle=$(((b[4] + b[5]) - (a[4] + a[5])))
  echo $((100 * busy / (busy + idle + 1)))
}

# Waits (up to QUIET_WAIT s) until the machine is quiet; prints the last reading.
wait_quiet() {
  local start=$SECONDS b
  while :; do
    b="$(busy_pct 3)"
    if [[ $b -lt 20 || $((SECONDS - start)) -ge $QUIET_WAIT ]]; then break; fi
  done
  echo "$b"
}

# --- one run -------------------------------------------------------------------
# run_one NAME CONFIG SCENARIO
run_one() {
  local name=$1 config=$2 scenario=$3 dir="$OUT/$1" bin=$SERVER_BIN nodes=1 cluster=0
  mkdir -p "$dir"
  case $config in
    single) ;;
    base)
      [[ -x $BASELINE_BIN ]] || { log "BASELINE_BIN is not set or not executable"; return 1; }
      bin=$BASELINE_BIN
      ;;
    c[0-9]*) nodes=${config#c}; cluster=1 ;;
    *) log "unknown configuration $config"; return 1 ;;
  esac
  local mode=fanout args=()
  case $scenario in
    echo) args=(--users "$ECHO_USERS" --rate "$ECHO_RATE" --duration "$ECHO_DURATION" --senders "$SENDERS") ;;
    fanout) args=(--users "$USERS" --rate "$RATE" --duration "$DURATION" --senders "$SENDERS") ;;
    fanout-max)
      mode=fanout-max
      args=(--users "$USERS" --duration "$MAX_DURATION" --senders "$SENDERS" --inflight "$INFLIGHT")
      ;;
    *) log "unknown scenario $scenario"; return 1 ;;
  esac
  local busy
  busy="$(wait_quiet)"
  [[ $busy -lt 20 ]] || log "WARNING: the machine is ${busy}% busy before $name: noisy"
  if [[ $cluster == 1 ]]; then
    start_redis "$dir/redis" || return 1
    args+=(--aux-pid "$REDIS_PID" --redis-port "$REDIS_PORT" --redis-stream "$ROOM:log")
  fi
  local letters=(a b c d e f g h i j)
  for ((k = 0; k < nodes; ++k)); do
    start_node "$dir/node-${letters[k]}" "$bin" "bench-${letters[k]}" "$cluster" || { stop_all; return 1; }
  done
  log "$name: $scenario on $config (nodes $(join "${NODE_PIDS[@]}") at $(join "${NODE_PORTS[@]}")${REDIS_PID:+, redis $REDIS_PID at $REDIS_PORT})"
  # Every second while the generator runs: each node's room users and, in a
  # cluster, the event log's lag (append to Redis -> applied here) of the last
  # entry it applied.
  (
    while :; do
      for ((k = 0; k < nodes; ++k)); do
        curl -s --max-time 2 "http://127.0.0.1:${NODE_PORTS[k]}/metrics" |
          awk -v n="$k" -v t="$(date +%s)" '$1 == "barertc_room_users" || $1 == "barertc_event_log_lag_seconds" { print t, n, $1, $2 }'
      done
      sleep 1
    done
  ) >"$dir/samples.txt" 2>/dev/null &
  local sampler=$!
  "$LOADGEN" "$mode" --port "$(join "${NODE_PORTS[@]}")" --pid "$(join "${NODE_PIDS[@]}")" \
    --label "$config" --idle-wait 0 --setup-timeout 120 "${args[@]}" >"$dir/loadgen.log" 2>&1 || true
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  grep -E '^\[|^loadgen:' "$dir/loadgen.log" | sed 's/^/    /' >&2 || true
  local result extra=""
  result="$(grep '^RESULT ' "$dir/loadgen.log" | tail -1 || true)"
  [[ -n $result ]] || result="RESULT scenario=$mode label=$config failed=1"

  # Every node alive, and what each counted (they must agree on the room).
  local alive=1 users_seen=() applied=() appended=() deliveries=() lag=()
  for ((k = 0; k < nodes; ++k)); do
    kill -0 "${NODE_PIDS[k]}" 2>/dev/null || alive=0
    users_seen+=("$(metric "${NODE_PORTS[k]}" barertc_room_users)")
    deliveries+=("$(metric "${NODE_PORTS[k]}" barertc_deliveries_total)")
    if [[ $cluster == 1 ]]; then
      applied+=("$(metric "${NODE_PORTS[k]}" barertc_event_log_applied_total)")
      appended+=("$(metric "${NODE_PORTS[k]}" barertc_event_log_appended_total)")
      lag+=("$(metric "${NODE_PORTS[k]}" barertc_event_log_lag_seconds)")
    fi
  done
  # Most users each node's room held at once (every node should hold them all),
  # and the lag samples taken while users were in: median and max, ms.
  local most lags
  most="$(awk '$3 == "barertc_room_users" { if ($4 > m[$2]) m[$2] = $4 } END { s = ""; for (k = 0; k < '"$nodes"'; ++k) s = s (k ? "," : "") (m[k] + 0); print s }' "$dir/samples.txt")"
  lags="$(awk '$3 == "barertc_event_log_lag_seconds" { print $4 * 1000 }' "$dir/samples.txt" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) printf "%.0f/%.0f", v[int((NR + 1) / 2)], v[NR]; else print "-" }')"
  extra+=" node_room_users_max=$most lag_samples_ms=$lags"
  extra+=" busy_before_pct=$busy run=$scenario config=$config load_avg=$(cut -d' ' -f1 /proc/loadavg) nodes_alive=$alive node_room_users=$(join "${users_seen[@]}") node_deliveries=$(join "${deliveries[@]}")"
  if [[ $cluster == 1 ]]; then
    extra+=" node_applied=$(join "${applied[@]}") node_appended=$(join "${appended[@]}") node_lag_s=$(join "${lag[@]}")"
    # Redis after the run: memory, the stream's length and its own size, and
    # the entries' payload (field "e") summed by a script on the server.
    local used xlen usage payload
    used="$(redis-cli -p "$REDIS_PORT" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }')"
    xlen="$(redis-cli -p "$REDIS_PORT" xlen "$ROOM:log" | tr -d '\r')"
    usage="$(redis-cli -p "$REDIS_PORT" memory usage "$ROOM:log" samples 0 | tr -d '\r')"
    # The entries' payload (field "e") by event type (the variant tag after
    # three varints: format version, origin node, time): "tag:count:bytes:max"
    # per type, read by a script on the server.
    payload="$(redis-cli -p "$REDIS_PORT" --raw eval "
      local function varint(s, pos)
        local v, mul = 0, 1
        while true do
          local b = string.byte(s, pos)
          if not b then return nil, pos end
          pos = pos + 1
          v = v + (b % 128) * mul
          if b < 128 then return v, pos end
          mul = mul * 128
        end
      end
      local n, bytes, max = {}, {}, {}
      for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
        local v = e[2][2] or ''
        local pos, tag = 1, nil
        for _ = 1, 3 do _, pos = varint(v, pos) end
        tag = varint(v, pos) or -1
        n[tag] = (n[tag] or 0) + 1
        bytes[tag] = (bytes[tag] or 0) + #v
        if #v > (max[tag] or 0) then max[tag] = #v end
      end
      local out = {}
      for tag, c in pairs(n) do out[#out + 1] = tag .. ':' .. c .. ':' .. bytes[tag] .. ':' .. max[tag] end
      table.sort(out)
      return table.concat(out, ',')" 1 "$ROOM:log" | tr -d '\r\n')"
    redis-cli -p "$REDIS_PORT" info all >"$dir/redis/info.txt" 2>&1 || true
    extra+=" redis_used_memory_end=$used redis_xlen_end=$xlen redis_stream_bytes=$usage redis_payload=${payload%,}"
  fi
  # Errors and warnings in the nodes' logs (but the notice that a settings
  # file without every option is written again in full).
  local problems=0
  for f in "$dir"/node-*/server.log; do
    local c
    c="$(grep -iE 'error|warn|critical' "$f" | grep -vc 'New options are available' || true)"
    problems=$((problems + c))
    if [[ $c -gt 0 ]]; then
      log "  $c error/warning lines in $f:"
      grep -iE 'error|warn|critical' "$f" | grep -v 'New options are available' | head -5 |
        sed 's/^/      /' >&2
    fi
  done
  extra+=" log_problems=$problems"
  echo "$result$extra" >"$dir/result"
  echo "$name $result$extra" >>"$OUT/results.txt"
  stop_all
}

# --- runs ------------------------------------------------------------------------
log "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT"
i=0
for config in $CONFIGS; do
  for scenario in $SCENARIOS; do
    i=$((i + 1))
    run_one "$(printf '%02d' "$i")-$config-$scenario" "$config" "$scenario" || true
  done
done

# --- table -----------------------------------------------------------------------
{
  echo "| run | configuration | users per node | deliveries/s | p50 (ms) | p99 (ms) | own echo p50 / p99 (ms) | other node p50 / p99 (ms) | lost % | barertc CPU (s) | redis CPU (s) | barertc / redis µs per entry | entries |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  while read -r name line; do
    servers="$(val "$line" servers)"
    users="$(val "$line" users)"
    echo "| $name | $(val "$line" config) $(val "$line" run) | $((users / ${servers:-1})) | $(val "$line" deliveries_per_s) | $(val "$line" lat_p50_ms) | $(val "$line" lat_p99_ms) | $(val "$line" lat_self_p50_ms) / $(val "$line" lat_self_p99_ms) | $(val "$line" lat_cross_p50_ms) / $(val "$line" lat_cross_p99_ms) | $(val "$line" lost_pct) | $(val "$line" server_cpu_s) ($(val "$line" server_cpu_by_pid_s)) | $(val "$line" aux_cpu_s) | $(val "$line" server_cpu_us_per_entry) / $(val "$line" redis_cpu_us_per_entry) | $(val "$line" redis_xadd) |"
  done <"$OUT/results.txt"
} >"$OUT/table.md"
cat "$OUT/table.md"
log "done: $OUT"
