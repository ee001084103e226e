#!/usr/bin/env bash
# Stops the bank server whose process id is in PIDFILE (if any), empties DIR and starts a new one there on PORT with
# the banks of STATE, returning once it printed its ready line. bench/run.sh batch-remote runs it before every timed
# run, so that each batch meets the same opening balances; `fresh-bank-server.sh stop PIDFILE` only stops it.
set -euo pipefail

stop() {
  local pidfile="$1"
  [[ -f "$pidfile" ]] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -TERM "$pid" 2>/dev/null; then
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  rm -f "$pidfile"
}

if [[ "$1" == stop ]]; then
  stop "$2"
  exit 0
fi

root="$1" state="$2" dir="$3" port="$4" pidfile="$5"
stop "$pidfile"
rm -rf "$dir" && mkdir -p "$dir"
(cd "$root" && exec ./clearhouse bank-server --initial-state "$state" --data-dir "$dir/data" --port "$port") \
  > "$dir/out.log" 2> "$dir/err.log" &
echo $! > "$pidfile"
for ((waited = 0; waited < 600; waited++)); do
  grep -q "Bank server ready at" "$dir/out.log" && exit 0
  kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "$dir/err.log" >&2; exit 1; }
  sleep 0.1
done
echo "the bank server did not become ready" >&2
exit 1
