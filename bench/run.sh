#!/usr/bin/env bash
# End-to-end benchmark: builds the server and the load generator, then runs
# every scenario against our server and against the original Go server (when
# present), each on a freshly started server in its own temp dir, and prints
# a Markdown table with the ours/reference ratios.
#
# usage: bench/run.sh            (about 12 minutes with the defaults)
#        USERS=200 DURATION=5 IDLE_USERS=1000 IDLE_LOGIN_USERS=200 bench/run.sh   (quick check)
#
# Environment (defaults in brackets):
#   USERS [2000]            users in the fan-out and join-storm rooms
#   RATE [100]              fanout: messages per second, all senders together
#   LIGHT_RATE [10]         fanout-light: the same at a rate the original keeps up with
#   DURATION [30]           fanout and fanout-max: seconds of traffic
#   SENDERS [4]             senders in both fan-out scenarios
#   INFLIGHT [4]            fanout-max: messages in flight per sender
#   IDLE_USERS [10000]      idle: bare connections
#   IDLE_LOGIN_USERS [2000] idle: how many of them then log in
#   JOIN_TIMEOUT [60]       join: give up after this many seconds
#   WHO_USERS [$USERS]      who-toggle: users in the room
#   WHO_DURATION [$DURATION] who-toggle: seconds of toggling
#   WHO_INTERVAL_MS [100]   who-toggle: one camera toggle every this many ms
#   WHO_CAMS_PCT [10]       who-toggle: users with the camera on
#   WHO_RELATIONS_PCT [5]   who-toggle: users with a block or boot relation in the
#                           first run (the second run has none)
#   WHO_REF_USERS [0]       who-toggle against the original too, with this many
#                           users (it cannot hold 2000); 0: ours only
#   STORM_USERS [10000]     storm: users in the big room (two runs of ours: clients
#                           of the original protocol, then clients asking for
#                           who-list deltas)
#   STORM_INFLIGHT [200]    storm: logins awaiting their `me` at any time
#   STORM_HOLD [30]         storm: seconds of idle hold after the logins
#   STORM_TIMEOUT [60]      storm: give up the logins (and, later, the toggles)
#                           after this many seconds
#   STORM_TOGGLES [10]      storm with deltas: camera toggles after the hold
#   STORM_TOGGLE_INTERVAL_MS [1000]  storm: between two toggles
#   STORM_PRESENCE_QUIET [0]  storm: our server's -presence-quiet (e.g. 300: no
#                           "has joined" notice to everyone on each login, as in
#                           a storm right after a restart)
#   STORM_REF_USERS [0]     storm of original-protocol clients against the original
#                           too, with this many users (it cannot hold 10000: it
#                           sends every user a full list on every join); 0: ours only
#   WHO_BUDGET []            our server's WhoListBytesPerSecond (empty: its default,
#                           100000000; 0: no budget)
#   FILTERS [0]             our server with this many [[MessageFilters]] (3 patterns
#                           each, matching nothing the generator sends)
#   PICTURE_LOAD []         a picture file: during the fan-out scenarios our server
#                           also processes a stream of it (bench/picture_load.mjs)
#   PICTURE_INTERVAL_MS [0] one picture every this many ms; 0: back to back (two
#                           in processing at all times)
#   SCENARIOS ["fanout-light fanout fanout-max join idle who-toggle storm"]
#   REF_DIR [../shared/reference, from the repository]  the original server (run.sh
#                           inside); NO_REF=1 skips it
#   WARMUP [31]             seconds the original needs before it sends who lists and presence
#   OURS_PORT [19200] REF_PORT [19100]
#   BUILD_DIR [<repo>/build]  SKIP_BUILD=1 uses the binaries as they are
#   OUT [a new /tmp/barertc-bench.XXXXXX]  logs, results and table.md
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
USERS="${USERS:-2000}"
RATE="${RATE:-100}"
LIGHT_RATE="${LIGHT_RATE:-10}"
DURATION="${DURATION:-30}"
SENDERS="${SENDERS:-4}"
INFLIGHT="${INFLIGHT:-4}"
IDLE_USERS="${IDLE_USERS:-10000}"
IDLE_LOGIN_USERS="${IDLE_LOGIN_USERS:-2000}"
JOIN_TIMEOUT="${JOIN_TIMEOUT:-60}"
WHO_USERS="${WHO_USERS:-$USERS}"
WHO_DURATION="${WHO_DURATION:-$DURATION}"
WHO_INTERVAL_MS="${WHO_INTERVAL_MS:-100}"
WHO_CAMS_PCT="${WHO_CAMS_PCT:-10}"
WHO_RELATIONS_PCT="${WHO_RELATIONS_PCT:-5}"
WHO_REF_USERS="${WHO_REF_USERS:-0}"
STORM_USERS="${STORM_USERS:-10000}"
STORM_INFLIGHT="${STORM_INFLIGHT:-200}"
STORM_HOLD="${STORM_HOLD:-30}"
STORM_TIMEOUT="${STORM_TIMEOUT:-60}"
STORM_TOGGLES="${STORM_TOGGLES:-10}"
STORM_TOGGLE_INTERVAL_MS="${STORM_TOGGLE_INTERVAL_MS:-1000}"
STORM_REF_USERS="${STORM_REF_USERS:-0}"
STORM_PRESENCE_QUIET="${STORM_PRESENCE_QUIET:-0}"
WHO_BUDGET="${WHO_BUDGET:-}"
FILTERS="${FILTERS:-0}"
PICTURE_LOAD="${PICTURE_LOAD:-}"
PICTURE_INTERVAL_MS="${PICTURE_INTERVAL_MS:-0}"
SCENARIOS="${SCENARIOS:-fanout-light fanout fanout-max join idle who-toggle storm}"
REF_DIR="${REF_DIR:-$ROOT/../shared/reference}"
WARMUP="${WARMUP:-31}"
OURS_PORT="${OURS_PORT:-19200}"
REF_PORT="${REF_PORT:-19100}"
OUT="${OUT:-$(mktemp -d /tmp/barertc-bench.XXXXXX)}"
mkdir -p "$OUT"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# --- build -------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DBARERTC_BENCH=ON >"$OUT/build.log" 2>&1
  ninja -C "$BUILD_DIR" barertc loadgen >>"$OUT/build.log" 2>&1 || {
    tail -30 "$OUT/build.log" >&2
    exit 1
  }
fi
SERVER_BIN="$BUILD_DIR/barertc"
LOADGEN="$BUILD_DIR/bench/loadgen"
[[ -x "$SERVER_BIN" && -x "$LOADGEN" ]] || { log "missing $SERVER_BIN or $LOADGEN"; exit 1; }

# --- limits --------------------------------------------------------------------
# Both the server and the generator hold one descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT="$(ulimit -n)"
if [[ "$FD_LIMIT" != unlimited && "$IDLE_USERS" -gt $((FD_LIMIT - 200)) ]]; then
  IDLE_USERS=$((FD_LIMIT - 200))
  log "open-file limit $FD_LIMIT: IDLE_USERS lowered to $IDLE_USERS"
fi
if [[ "$FD_LIMIT" != unlimited && "$STORM_USERS" -gt $((FD_LIMIT - 200)) ]]; then
  STORM_USERS=$((FD_LIMIT - 200))
  log "open-file limit $FD_LIMIT: STORM_USERS lowered to $STORM_USERS"
fi

WITH_REF=0
if [[ "${NO_REF:-0}" != 1 && -x "$REF_DIR/run.sh" ]]; then
  WITH_REF=1
else
  log "reference server not used (absent or NO_REF=1): ours only"
fi

# --- servers -------------------------------------------------------------------
SERVER_PID=""

wait_port() {
  local port=$1 pid=$2
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# write_filters N: N enabled [[MessageFilters]] of three patterns each (the
# original's template), none of which the load generator's messages match.
write_filters() {
  for i in $(seq 1 "$1"); do
    printf "[[MessageFilters]]\nEnabled = true\nKeywordPhrases = ['\\\\bswear%s words\\\\b', '\\\\b(swearing|cursing)%s\\\\b', 'suck my%s ([^\\\\s]+)']\nForwardMessage = true\n" "$i" "$i" "$i"
  done
}

# start_server ours|ref NAME [PRESENCE_QUIET]: a fresh server in $OUT/NAME,
# PID in SERVER_PID; ours with -presence-quiet PRESENCE_QUIET (default 0).
start_server() {
  local kind=$1 name=$2 dir="$OUT/$2" quiet=${3:-0} port
  mkdir -p "$dir"
  if [[ $kind == ours ]]; then port=$OURS_PORT; else port=$REF_PORT; fi
  port_free "$port" || { log "port $port is already in use"; return 1; }
  if [[ $kind == ours && -n $WHO_BUDGET ]]; then
    echo "WhoListBytesPerSecond = $WHO_BUDGET" >>"$dir/settings.toml"
  fi
  if [[ $kind == ours && $FILTERS -gt 0 ]]; then write_filters "$FILTERS" >>"$dir/settings.toml"; fi
  if [[ $kind == ours ]]; then
    (cd "$dir" && exec "$SERVER_BIN" -address "127.0.0.1:$port" -presence-quiet "$quiet") \
      >"$dir/server.log" 2>&1 &
  else
    (cd "$dir" && exec "$REF_DIR/run.sh" "127.0.0.1:$port") >"$dir/server.log" 2>&1 &
  fi
  SERVER_PID=$!
  wait_port "$port" "$SERVER_PID" || { log "$kind server did not start (see $dir/server.log)"; return 1; }
}

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT

# run_one ours|ref SCENARIO: fresh server, one loadgen run, RESULT saved.
run_one() {
  local kind=$1 scenario=$2 name="$1-$2" port args=() mode=$2 quiet=0
  if [[ $kind == ours ]]; then port=$OURS_PORT; else port=$REF_PORT; fi
  case $scenario in
    fanout-light)
      mode=fanout
      args=(--users "$USERS" --rate "$LIGHT_RATE" --duration "$DURATION" --senders "$SENDERS")
      ;;
    fanout) args=(--users "$USERS" --rate "$RATE" --duration "$DURATION" --senders "$SENDERS") ;;
    fanout-max) args=(--users "$USERS" --duration "$DURATION" --senders "$SENDERS" --inflight "$INFLIGHT") ;;
    join) args=(--users "$USERS" --timeout "$JOIN_TIMEOUT") ;;
    idle) args=(--users "$IDLE_USERS" --login-users "$IDLE_LOGIN_USERS" --timeout 120) ;;
    who-toggle | who-toggle-norel)
      # Two runs of one scenario: with WHO_RELATIONS_PCT % of the users in a
      # relation, and with none. The original gets fewer users (it sends no
      # who list for its first 15 s: the set-up settles at 16 s).
      mode=who-toggle
      local users=$WHO_USERS rel=$WHO_RELATIONS_PCT
      [[ $kind == ref ]] && users=$WHO_REF_USERS
      [[ $scenario == who-toggle-norel ]] && rel=0
      args=(--users "$users" --duration "$WHO_DURATION" --interval-ms "$WHO_INTERVAL_MS"
        --cams-pct "$WHO_CAMS_PCT" --relations-pct "$rel")
      ;;
    storm-legacy | storm-delta)
      # Two runs: clients of the original protocol, then clients asking for
      # who-list deltas (ours only: the original has no deltas).
      mode=storm
      local users=$STORM_USERS deltas=0
      [[ $kind == ref ]] && users=$STORM_REF_USERS
      [[ $scenario == storm-delta ]] && deltas=1
      quiet=$STORM_PRESENCE_QUIET
      args=(--users "$users" --inflight "$STORM_INFLIGHT" --hold "$STORM_HOLD"
        --timeout "$STORM_TIMEOUT" --deltas "$deltas" --toggles "$((deltas ? STORM_TOGGLES : 0))"
        --toggle-interval-ms "$STORM_TOGGLE_INTERVAL_MS")
      ;;
  esac
  # The original sends no who list for its first 15 s and no presence for
  # 30 s. Rooms are filled in that window (one who list at 16 s instead of
  # one per join, which at 2000 users would take it tens of minutes), and
  # measuring starts once it is $WARMUP s old. Ours gets the same sequence
  # without the wait.
  if [[ $kind == ref ]]; then
    case $scenario in
      fanout-light | fanout | fanout-max | join | storm-legacy) args+=(--min-uptime "$WARMUP") ;;
    esac
  fi
  start_server "$kind" "$name" "$quiet" || { echo "RESULT scenario=$scenario label=$kind failed=1" >"$OUT/$name.result"; return 0; }
  log "$scenario against $kind (pid $SERVER_PID)"
  local pictures_pid=""
  if [[ -n $PICTURE_LOAD && $kind == ours && $scenario == fanout* ]]; then
    node "$ROOT/bench/picture_load.mjs" "$port" "$PICTURE_LOAD" "$PICTURE_INTERVAL_MS" >"$OUT/$name.pictures.log" 2>&1 &
    pictures_pid=$!
  fi
  "$LOADGEN" "$mode" --port "$port" --pid "$SERVER_PID" --label "$kind" --idle-wait 0 \
    --setup-timeout 120 "${args[@]}" >"$OUT/$name.log" 2>&1 || true
  if [[ -n $pictures_pid ]]; then
    kill -TERM "$pictures_pid" 2>/dev/null || true
    wait "$pictures_pid" 2>/dev/null || true
    sed 's/^/    /' "$OUT/$name.pictures.log" >&2
  fi
  local result
  result="$(grep '^RESULT ' "$OUT/$name.log" | tail -1 || true)"
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "  the $kind server died during $scenario (see $OUT/$name/server.log)"
    result="${result:-RESULT scenario=$scenario label=$kind} crashed=1"
  fi
  echo "${result:-RESULT scenario=$scenario label=$kind failed=1}" >"$OUT/$name.result"
  grep -E '^\[|^loadgen:' "$OUT/$name.log" | sed 's/^/    /' >&2 || true
  stop_server
}

# --- machine -------------------------------------------------------------------
busy_pct() {  # share of all cores busy over one second
  local -a a b
  read -ra a </proc/stat
  sleep 1
  read -ra b </proc/stat
  local busy=$(((b[1] + b[2] + b[3] + b[6] + b[7] + b[8]) - (a[1] + a[2] + a[3] + a[6] + a[7] + a[8])))
  local idle=$(((b[4] + b[5]) - (a[4] + a[5])))
  echo $((100 * busy / (busy + idle + 1)))
}

CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
MACHINE="$(nproc) cores ($CPU_MODEL), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, Debian $(cat /etc/debian_version 2>/dev/null || echo '?'), Linux $(uname -r)"
log "machine: $MACHINE"
BUSY="$(busy_pct)"
if [[ "$BUSY" -gt 15 ]]; then
  log "WARNING: the machine is already ${BUSY}% busy: results will be noisy"
fi
log "results in $OUT"

START=$(date +%s)
for scenario in $SCENARIOS; do
  if [[ $scenario == who-toggle ]]; then
    # Ours only unless WHO_REF_USERS is set: the original cannot hold 2000.
    for variant in who-toggle who-toggle-norel; do
      run_one ours "$variant"
      if [[ $WITH_REF == 1 && $WHO_REF_USERS -gt 0 ]]; then run_one ref "$variant"; fi
    done
    continue
  fi
  if [[ $scenario == storm ]]; then
    # The original only for original-protocol clients, and only if
    # STORM_REF_USERS is set: it cannot hold 10000.
    run_one ours storm-legacy
    if [[ $WITH_REF == 1 && $STORM_REF_USERS -gt 0 ]]; then run_one ref storm-legacy; fi
    run_one ours storm-delta
    continue
  fi
  run_one ours "$scenario"
  if [[ $WITH_REF == 1 ]]; then run_one ref "$scenario"; fi
done
ELAPSED=$(($(date +%s) - START))

# --- table ---------------------------------------------------------------------
# val KIND SCENARIO KEY: a value from a RESULT line, empty if absent.
val() {
  local f="$OUT/$1-$2.result"
  [[ -f $f ]] || return 0
  tr ' ' '\n' <"$f" | awk -F= -v k="$3" '$1 == k { print $2 }'
}

# ratio A B DIRECTION: A / B formatted, "—" when undefined.
ratio() {
  awk -v o="$1" -v r="$2" -v d="$3" 'BEGIN {
    if (o == "" || r == "" || o < 0 || r < 0 || d == "info") { print "—"; exit }
    if (r + 0 == 0) { print (o + 0 == 0 ? "=" : "—"); exit }
    q = o / r
    if (q == 0) print "0×"
    else if (q >= 100) printf "%.0f×", q
    else if (q >= 10) printf "%.1f×", q
    else if (q >= 0.1) printf "%.2f×", q
    else if (q >= 0.01) printf "%.3f×", q
    else printf "%.4f×", q
  }'
}

# row SCENARIO KEY LABEL DIRECTION: one table line. DIRECTION: up (higher is
# better), down (lower is better), info (no judgement).
row() {
  local s=$1 k=$2 label=$3 dir=$4 o r ratio
  o="$(val ours "$s" "$k")"
  r="$(val ref "$s" "$k")"
  ratio="$(ratio "$o" "$r" "$dir")"
  [[ -z $o ]] && o="—"
  [[ -z $r ]] && r="—"
  [[ $o == "-1"* ]] && o="never"
  [[ $r == "-1"* ]] && r="never"
  local arrow=""
  case $dir in up) arrow=" ↑" ;; down) arrow=" ↓" ;; esac
  printf '| %s%s | %s | %s | %s |\n' "$label" "$arrow" "$o" "$r" "$ratio"
}

status_row() {  # crashed / failed runs
  local s=$1 o r
  o="ok"; r="ok"
  [[ -n "$(val ours "$s" crashed)" ]] && o="**server crashed**"
  [[ -n "$(val ours "$s" failed)" ]] && o="**run failed**"
  [[ -n "$(val ref "$s" crashed)" ]] && r="**server crashed**"
  [[ -n "$(val ref "$s" failed)" ]] && r="**run failed**"
  [[ $WITH_REF == 1 ]] || r="not run"
  if [[ $o != ok || $r != ok ]]; then printf '| run status | %s | %s | |\n' "$o" "$r"; fi
}


# who_row KIND KEY LABEL DIRECTION: the two who-toggle runs of KIND side by
# side (with relations, without), ratio = with / without.
who_row() {
  local kind=$1 k=$2 label=$3 dir=$4 a b q arrow=""
  a="$(val "$kind" who-toggle "$k")"
  b="$(val "$kind" who-toggle-norel "$k")"
  q="$(ratio "$a" "$b" "$dir")"
  case $dir in up) arrow=" ↑" ;; down) arrow=" ↓" ;; esac
  printf '| %s%s | %s | %s | %s |\n' "$label" "$arrow" "${a:-—}" "${b:-—}" "$q"
}

# who_table KIND USERS: the who-toggle table of one server.
who_table() {
  local kind=$1 users=$2 name="ours"
  [[ $kind == ref ]] && name="reference (original)"
  local sa="ok" sb="ok"
  for v in who-toggle who-toggle-norel; do
    local st="ok"
    [[ -n "$(val "$kind" "$v" crashed)" ]] && st="**server crashed**"
    [[ -n "$(val "$kind" "$v" failed)" ]] && st="**run failed**"
    [[ -n "$(val "$kind" "$v" settled)" && "$(val "$kind" "$v" settled)" != 1 ]] && st="**set-up did not settle**"
    if [[ $v == who-toggle ]]; then sa=$st; else sb=$st; fi
  done
  echo "**who-list updates, $name**: $users users, ${WHO_CAMS_PCT} % cameras on, one user toggles its camera every ${WHO_INTERVAL_MS} ms for ${WHO_DURATION} s; ratio = with / without relations."
  echo
  echo "| metric | ${WHO_RELATIONS_PCT} % with a relation | no relations | ratio |"
  echo "|---|---:|---:|---:|"
  if [[ $sa != ok || $sb != ok ]]; then printf '| run status | %s | %s | |\n' "$sa" "$sb"; fi
  who_row "$kind" clients_measured "clients measured (the toggler's camera not masked for them)" info
  who_row "$kind" masked_clients "clients excluded (masked by a relation)" info
  who_row "$kind" toggles "toggles sent" info
  who_row "$kind" lat_p50_ms "latency p50 (ms)" down
  who_row "$kind" lat_p99_ms "latency p99 (ms)" down
  who_row "$kind" lat_max_ms "latency max (ms)" down
  who_row "$kind" seen_pct "toggles seen by a client (%)" info
  who_row "$kind" merged_pct "toggles merged into a later list (%)" info
  who_row "$kind" unseen "(client, toggle) pairs never seen" down
  who_row "$kind" lists_per_client_s "who lists per client per second" info
  who_row "$kind" list_kbytes "who list size (KB)" info
  who_row "$kind" who_mbytes "who list bytes received (MB)" info
  who_row "$kind" who_mbytes_per_s "who list bytes received (MB/s)" info
  who_row "$kind" distinct_lists "distinct who lists in a round (after set-up)" info
  who_row "$kind" server_cpu_s "server CPU (s)" down
  who_row "$kind" server_cpu_pct "server CPU (% of one core)" down
  who_row "$kind" server_ms_per_toggle "server CPU per toggle (ms)" down
  [[ $kind == ours ]] && who_row "$kind" server_threads_cpu_s "server CPU per thread (s): main/bans/room/I-O" info
  who_row "$kind" gen_cpu_s "load generator CPU (s)" info
  who_row "$kind" gen_cpu_pct "load generator CPU (% of one core)" info
  who_row "$kind" other_cpu_s "other CPU on the machine (s)" info
  who_row "$kind" dropped "clients dropped" down
  who_row "$kind" missing_entry "lists without the toggler's entry (should be 0)" down
  who_row "$kind" mask_violations "masked clients shown the camera (should be 0)" down
  who_row "$kind" stale "lists older than one already seen (should be 0)" down
  echo
}

# storm_row KEY LABEL DIRECTION: the storm runs side by side (original
# protocol, who-delta, and the original server when it ran).
storm_row() {
  local k=$1 label=$2 dir=$3 a b r arrow=""
  a="$(val ours storm-legacy "$k")"
  b="$(val ours storm-delta "$k")"
  r="$(val ref storm-legacy "$k")"
  [[ $a == "-1"* ]] && a="never"
  [[ $b == "-1"* ]] && b="never"
  [[ $r == "-1"* ]] && r="never"
  case $dir in up) arrow=" ↑" ;; down) arrow=" ↓" ;; esac
  if [[ $STORM_REF_RAN == 1 ]]; then
    printf '| %s%s | %s | %s | %s |\n' "$label" "$arrow" "${a:-—}" "${b:-—}" "${r:-—}"
  else
    printf '| %s%s | %s | %s |\n' "$label" "$arrow" "${a:-—}" "${b:-—}"
  fi
}

storm_status() {  # KIND NAME: ok, or what went wrong
  local st="ok"
  # Full lists paced by the byte budget may complete during the hold, after
  # the storm's timeout: only lists still incomplete then are a failure.
  [[ "$(val "$1" "$2" all_complete_s)" == -* ]] && st="**who lists not complete by the end of the hold**"
  [[ "$(val "$1" "$2" all_logged_in_s)" == -* ]] && st="**logins not complete (timed out)**"
  [[ -n "$(val "$1" "$2" crashed)" ]] && st="**server crashed**"
  [[ -n "$(val "$1" "$2" failed)" ]] && st="**run failed**"
  echo "$st"
}

storm_table() {
  STORM_REF_RAN=0
  [[ $WITH_REF == 1 && $STORM_REF_USERS -gt 0 ]] && STORM_REF_RAN=1
  echo "**big room (storm)**: $STORM_USERS users log in with $STORM_INFLIGHT logins in flight, then ${STORM_HOLD} s idle; with deltas, then $STORM_TOGGLES camera toggles ${STORM_TOGGLE_INTERVAL_MS} ms apart. Targets: original protocol, all logged in within 30 s, none dropped, ≤ 8 KiB per user; deltas, all logged in within 10 s, toggle p99 < 1 s."
  echo
  if [[ $STORM_REF_RAN == 1 ]]; then
    echo "| metric | ours, original protocol | ours, who-delta | reference, original protocol ($STORM_REF_USERS users) |"
    echo "|---|---:|---:|---:|"
  else
    echo "| metric | ours, original protocol | ours, who-delta |"
    echo "|---|---:|---:|"
  fi
  local sa sb sr
  sa="$(storm_status ours storm-legacy)"
  sb="$(storm_status ours storm-delta)"
  sr="$(storm_status ref storm-legacy)"
  if [[ $sa != ok || $sb != ok || ($STORM_REF_RAN == 1 && $sr != ok) ]]; then
    if [[ $STORM_REF_RAN == 1 ]]; then
      printf '| run status | %s | %s | %s |\n' "$sa" "$sb" "$sr"
    else
      printf '| run status | %s | %s |\n' "$sa" "$sb"
    fi
  fi
  storm_row logged_in "users logged in" up
  storm_row connect_s "time to open the bare connections (s)" info
  storm_row all_logged_in_s "time until all logged in (s)" down
  storm_row logins_per_s "logins/s" up
  storm_row ext_missing "\`me\` without the who-delta grant" down
  storm_row all_complete_s "time until every client holds the complete who list (s)" down
  storm_row storm_dropped "clients dropped during the storm" down
  storm_row hold_dropped "clients dropped during the hold" down
  storm_row who_frames_per_user "who frames per user during the storm" down
  storm_row storm_who_mbytes "full who lists received during the storm (MB)" down
  storm_row storm_delta_mbytes "who-delta frames received during the storm (MB)" info
  storm_row storm_presence_mbytes "join notices (presence) received during the storm (MB)" info
  storm_row hold_who_mbytes "full who lists received during the hold (MB)" down
  storm_row hold_delta_mbytes "who-delta frames received during the hold (MB)" down
  storm_row quiet_who_bytes "who-list bytes in the last 10 s of the hold" down
  storm_row last_who_s "last who frame (s after the first login)" down
  storm_row rss_bare_mib "server RSS with the bare connections (MiB)" info
  storm_row rss_after_hold_mib "server RSS after the hold (MiB)" down
  storm_row rss_per_user_bytes "RSS per logged-in user above the bare connections (bytes)" down
  storm_row rss_total_per_user_bytes "total RSS per logged-in user (bytes)" down
  storm_row rss_peak_mib "server peak RSS (MiB)" down
  storm_row storm_server_cpu_s "server CPU during the storm (s)" down
  storm_row storm_server_threads_cpu_s "server CPU per thread during the storm (s): main/bans/room/I-O" info
  storm_row storm_gen_cpu_s "load generator CPU during the storm (s)" info
  storm_row storm_other_cpu_s "other CPU on the machine during the storm (s)" info
  storm_row hold_server_cpu_s "server CPU during the hold (s)" down
  storm_row toggles "camera toggles" info
  storm_row toggle_expected "(client, toggle) pairs" info
  storm_row toggle_seen "pairs seen" up
  storm_row toggle_unseen "pairs never seen" down
  storm_row lat_p50_ms "toggle latency p50 (ms)" down
  storm_row lat_p99_ms "toggle latency p99 (ms)" down
  storm_row lat_max_ms "toggle latency max (ms)" down
  storm_row toggle_who_kbytes "who-list bytes received during the toggles (KB)" down
  storm_row toggle_server_cpu_s "server CPU during the toggles (s)" down
  storm_row toggle_other_cpu_s "other CPU on the machine during the toggles (s)" info
  echo
  if [[ $STORM_REF_RAN != 1 ]]; then
    echo "The original server was not run (STORM_REF_USERS=0): it sends every user a full list on every join, and cannot hold a room of this size; \`STORM_REF_USERS=500\` runs it with fewer users."
    echo
  fi
}

COMPARED=0
for scenario in $SCENARIOS; do [[ $scenario == who-toggle || $scenario == storm ]] || COMPARED=1; done

{
  echo "Machine: $MACHINE. Server and load generator share these cores (loopback)."
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), ${ELAPSED} s; machine ${BUSY}% busy before the start."
  echo "Reference: $([[ $WITH_REF == 1 ]] && echo "original Go server ($REF_DIR)" || echo "not available")."
  echo
  if [[ $COMPARED == 1 ]]; then
  echo "↑ higher is better, ↓ lower is better; ratio = ours / reference."
  echo
  echo "| metric | ours | reference | ratio |"
  echo "|---|---:|---:|---:|"
  fi
  for scenario in $SCENARIOS; do
    case $scenario in
      fanout | fanout-light)
        if [[ $scenario == fanout ]]; then r=$RATE; else r=$LIGHT_RATE; fi
        echo "| **$scenario, fixed rate**: $USERS users, $r msg/s from $SENDERS senders, ${DURATION} s | | | |"
        status_row "$scenario"
        row "$scenario" deliveries_per_s "deliveries/s" up
        row "$scenario" lost_pct "deliveries lost (%)" down
        row "$scenario" dropped "clients dropped" down
        row "$scenario" lat_p50_ms "latency p50 (ms)" down
        row "$scenario" lat_p99_ms "latency p99 (ms)" down
        row "$scenario" lat_max_ms "latency max (ms)" down
        row "$scenario" server_us_per_delivery "server CPU per delivery (µs)" down
        row "$scenario" server_cpu_pct "server CPU (% of one core)" info
        row "$scenario" gen_cpu_s "load generator CPU (s)" info
        row "$scenario" other_cpu_s "other CPU on the machine (s)" info
        ;;
      fanout-max)
        echo "| **fan-out, maximum**: $USERS users, $SENDERS senders × $INFLIGHT in flight, ${DURATION} s | | | |"
        status_row fanout-max
        row fanout-max deliveries_per_s "deliveries/s" up
        row fanout-max msgs_per_s "messages/s" up
        row fanout-max lost_pct "deliveries lost (%)" down
        row fanout-max dropped "clients dropped" down
        row fanout-max lat_p50_ms "latency p50 (ms)" down
        row fanout-max lat_p99_ms "latency p99 (ms)" down
        row fanout-max server_us_per_delivery "server CPU per delivery (µs)" down
        row fanout-max server_cpu_pct "server CPU (% of one core)" info
        row fanout-max gen_cpu_s "load generator CPU (s)" info
        row fanout-max other_cpu_s "other CPU on the machine (s)" info
        ;;
      join)
        echo "| **join storm**: $USERS users log in at once (timeout ${JOIN_TIMEOUT} s) | | | |"
        status_row join
        row join all_full_who_s "time until all saw the full who list (s)" down
        row join all_logged_in_s "time until all logged in (s)" down
        row join saw_full_list "users that saw the full who list" up
        row join dropped "clients dropped" down
        row join who_frames_per_user "who lists received per user" down
        row join who_mbytes "who list bytes received (MB)" down
        row join server_cpu_s "server CPU (s)" down
        row join gen_cpu_s "load generator CPU (s)" info
        ;;
      idle)
        echo "| **idle memory**: $IDLE_USERS bare connections, then $IDLE_LOGIN_USERS of them log in | | | |"
        status_row idle
        row idle bare_open "bare connections open" up
        row idle rss_start_mib "server RSS at start (MiB)" info
        row idle rss_bare_mib "server RSS with the bare connections (MiB)" down
        row idle bare_bytes_per_conn "RSS per bare connection (bytes)" down
        row idle rss_logged_in_mib "server RSS after the logins settled (MiB)" down
        row idle login_extra_bytes_per_user "extra RSS per logged-in user (bytes)" down
        row idle rss_peak_mib "server peak RSS (MiB)" down
        row idle all_logged_in_s "time until all logged in (s)" down
        row idle login_dropped "clients dropped" down
        ;;
    esac
  done
  for scenario in $SCENARIOS; do
    [[ $scenario == who-toggle ]] || continue
    echo
    who_table ours "$WHO_USERS"
    if [[ $WITH_REF == 1 && $WHO_REF_USERS -gt 0 ]]; then who_table ref "$WHO_REF_USERS"; fi
  done
  for scenario in $SCENARIOS; do
    [[ $scenario == storm ]] || continue
    echo
    storm_table
  done
} >"$OUT/table.md"

echo
cat "$OUT/table.md"
echo
log "logs and results: $OUT"
