#!/usr/bin/env bash
# Our own user-space CPU per delivery at a low rate (200 users, 50 msg/s by
# default), the kernel's loopback sends left out.
#
# /proc's utime cannot tell it: on this machine the user/system split is
# sampled by the timer tick, and a tick that falls during a send() is
# delivered, and counted as user time, on the return from the system call.
# So this samples the server with `perf record -e cpu-clock` at 1 kHz (low
# enough not to disturb it) over the middle of a `loadgen fanout` run and
# counts the samples by where they land: the kernel, the system-call wrappers
# (the instructions around `syscall`, where the skid of the kernel's time
# lands, as `perf annotate` shows), and the rest, our own user-space work.
#
# usage: bench/delivery_cpu.sh [BINARY]       (about 60 s a run)
# Environment: USERS [200] RATE [50] SENDERS [4] WINDOW [25] seconds sampled,
#   RUNS [3], PORT [19260], PERIOD_NS [1000000] between two samples,
#   OUT [a new /tmp/barertc-cpu.XXXXXX]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${1:-$ROOT/build/barertc}"
LOADGEN="${LOADGEN:-$ROOT/build/bench/loadgen}"
USERS="${USERS:-200}"
RATE="${RATE:-50}"
SENDERS="${SENDERS:-4}"
WINDOW="${WINDOW:-25}"
RUNS="${RUNS:-3}"
PORT="${PORT:-19260}"
PERIOD_NS="${PERIOD_NS:-1000000}"
OUT="${OUT:-$(mktemp -d /tmp/barertc-cpu.XXXXXX)}"
command -v perf >/dev/null || { echo "needs perf (apt-get install linux-perf)" >&2; exit 1; }

# glibc's system-call wrappers and the cancellation hooks around them.
SYSCALL_WRAPPERS='^(__libc_)?(sendmsg|recvmsg|send|recv|read|write|writev|readv|epoll_wait|epoll_ctl|accept4?|close|nanosleep|clock_nanosleep)$|^__GI___pthread_(en|dis)able_asynccancel$|lll_lock_w(ake|ait)|futex'

one_run() {
  local dir="$1"
  mkdir -p "$dir"
  (cd "$dir" && exec "$BIN" -address "127.0.0.1:$PORT" >server.log 2>&1) &
  local server=$!
  sleep 1
  # The window starts 2 s into the traffic and ends 3 s before it does.
  "$LOADGEN" fanout --port "$PORT" --pid "$server" --users "$USERS" --rate "$RATE" \
    --senders "$SENDERS" --duration $((WINDOW + 5)) --idle-wait 20 \
    >"$dir/loadgen.txt" 2>"$dir/loadgen.log" &
  local gen=$!
  until grep -q " s: sent" "$dir/loadgen.log" 2>/dev/null; do
    kill -0 "$gen" 2>/dev/null || { cat "$dir/loadgen.log" >&2; exit 1; }
    sleep 0.2
  done
  sleep 2
  perf record -q -e cpu-clock -c "$PERIOD_NS" -p "$server" -o "$dir/perf.data" -- sleep "$WINDOW" \
    2>/dev/null
  wait "$gen"
  kill "$server"
  wait "$server" 2>/dev/null || true
  perf report -i "$dir/perf.data" --stdio -n --sort dso,sym 2>/dev/null |
    awk '/^ +[0-9.]+%/ { print $2 "\t" $3 "\t" $5 }' >"$dir/samples.tsv"
  local deliveries
  deliveries=$(awk -v r="$RATE" -v u="$USERS" -v w="$WINDOW" 'BEGIN { print r * u * w }')
  awk -F'\t' -v wrappers="$SYSCALL_WRAPPERS" -v ns="$PERIOD_NS" -v n="$deliveries" '
    { total += $1
      if ($2 ~ /kernel/) kernel += $1
      else if ($3 ~ wrappers) wrapper += $1
      else own += $1 }
    END {
      us = ns / 1000 / n
      printf "%.3f\t%.3f\t%.3f\t%.3f\n", total * us, kernel * us, wrapper * us, own * us
    }' "$dir/samples.tsv"
}

echo "server: $BIN; $USERS users, $RATE msg/s, $WINDOW s sampled per run; µs per delivery" >&2
printf "run\ttotal\tkernel\tsyscall wrappers\town user space\tlost %%\n"
for i in $(seq 1 "$RUNS"); do
  line=$(one_run "$OUT/run$i")
  lost=$(tr ' ' '\n' <"$OUT/run$i/loadgen.txt" | sed -n 's/^lost_pct=//p')
  printf "%s\t%s\t%s\n" "$i" "$line" "$lost"
done
echo "samples by symbol: $OUT/run*/samples.tsv" >&2
