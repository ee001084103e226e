#!/usr/bin/env bash
# Runs one Clearhouse benchmark and prints its figures. Every file it writes stays under bench/target/.
#
#   bench/run.sh generate      [--banks 1000 --transfers 10000 --seed 42 --out DIR ...]   batch input files
#                              [--hot-accounts 5 --hot-per-mille 500]                     (hot accounts: none by default)
#   bench/run.sh fsync         [--writes 2000 --record-bytes 64]                          cost of one forced write
#   bench/run.sh durable       [--banks 2,8,32 --threads 16,64,256 --client-mode threads,async
#                               --decision-log file,raft ...]
#   bench/run.sh narayana      [--threads 16,64 --rounds 2 --phase-two-durable true ...]  the engine beside Narayana,
#                                                                                         same banks, ratios
#   bench/run.sh postgres-banks [--modes escrow,xa --threads 64 --bank-messages-in-flight-max 1,4 ...]  2 jdbc banks
#   bench/run.sh log-retention [--days 10 --transactions-per-day 100000 --retention-days 2]  the PostgreSQL decision
#                                                                                         log's size and start-up
#                                                                                         with and without pruning
#   bench/run.sh recovery-time [--in-flight 10000 --history 200000 --banks 32 --runs 3 ...]
#                                                                                         SIGKILL a durable embedded
#                                                                                         coordinator under load, time
#                                                                                         its restart to ready, check
#                                                                                         the invariants
#   bench/run.sh batch-engine  [--banks 1000 --transfers 500000 --iterations 5 ...]       engine only, inside one JVM
#   bench/run.sh batch-command [TRANSFERS [BANKS [RUNS]]]                                ./clearhouse batch, hyperfine
#   bench/run.sh batch-durable [TRANSFERS [BANKS [HOT_ACCOUNTS [HOT_PER_MILLE [RUNS]]]]]     ./clearhouse batch
#                                                                                         --data-dir with hot accounts:
#                                                                                         on disk, on tmpfs, in memory
#   bench/run.sh batch-remote  [TRANSFERS [BANKS [RUNS]]]                                the same, banks on a bank server
#   bench/run.sh batch-floor   [TRANSFERS [BANKS [RUNS]]]                                ./clearhouse batch beside the
#                                                                                         plain Java floor, RUNS pairs
#   bench/run.sh batch-heap    [TRANSFERS [BANKS [STEP_MB]]]                         the smallest heap a batch runs in,
#                                                                                         and what it keeps per line
#   bench/run.sh profile       durable|batch-engine [its options]                         the same under JFR, hot spots
#   bench/run.sh jmh           [JMH options, e.g. JournalAppend -t 64]                    micro-benchmarks (JMH)
#   bench/run.sh rest          [CLIENTS [SECONDS [BANKS]]]                               ./clearhouse serve under wrk
#   bench/run.sh rest-read     [CLIENTS [SECONDS [BANKS]]]                               reads against transfers: CPU
#                                                                                         per request, issue 17 ratios
#   bench/run.sh rest-client   [--url http://localhost:8080 --clients 64 ...]            Java load on a running server
#                              (with CLEARHOUSE_TOKEN=$(./clearhouse token --roles transfer) in its environment)
#   bench/run.sh rest-cluster  [CLIENTS [SECONDS [BANKS]]]                               serve (PostgreSQL log) against
#                                                                                         cluster --nodes 3 (Raft log)
#   bench/run.sh failover      [TRIALS [--clients 4 ...]]                                 kill -9 a cluster's leader
#   bench/run.sh suite         [REPEATS]                                                  the figures, 3 times each
#
# The Java benchmarks run in bench/, so their relative paths (defaults: target/...) resolve under bench/.
# BENCH_LAUNCHER replaces ./clearhouse in batch-command (for example with a java -jar line while others build).
# BENCH_JAVA_OPTS overrides the JVM options of the Java benchmarks (default: a fixed 2 GB heap).
# BENCH_CLI_JAR replaces cli/target/clearhouse.jar in batch-heap (another build's jar, side by side).
# BENCH_FLOOR_JAVA_OPTS overrides those of the floor in batch-floor (default: the launcher's compiler and collector).
# BENCH_ROUNDS sets how many rounds of read then transfer rest-read measures (default 2); BENCH_WARMUP_SECONDS the
# warm-up by transfers of the rest commands (default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/clearhouse-bench.jar"
data="$here/target/bench-data"
results="$here/target/bench-results"
java_opts=(${BENCH_JAVA_OPTS:--Xms2g -Xmx2g})
rest_port="${BENCH_PORT:-18480}"
rest_url="http://localhost:$rest_port"
rest_accounts=100
cluster_port="${BENCH_CLUSTER_PORT:-18600}"
bank_port="${BENCH_BANK_PORT:-18490}"

build_if_stale() {
  if [[ ! -f "$jar" ]] || [[ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit)" ]]; then
    (cd "$root" && ./mvnw -q -B -f bench/pom.xml package -DskipTests) >&2
  fi
}

run_main() {
  run_main_class "io.clearhouse.bench.$1" "${@:2}"
}

run_main_class() {
  build_if_stale
  cd "$here"
  exec java "${java_opts[@]}" -cp "$jar" "$@"
}

batch_command() {
  local transfers="${1:-10000}" banks="${2:-1000}" runs="${3:-10}"
  local name="batch-${transfers}x${banks}"
  local launcher="${BENCH_LAUNCHER:-./clearhouse}"
  command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install -y hyperfine" >&2; exit 2; }
  build_if_stale
  java -cp "$jar" io.clearhouse.bench.BatchInputGenerator \
    --banks "$banks" --transfers "$transfers" --out "$data/$name" >&2
  local args="batch --initial-state $data/$name/state.json --transactions $data/$name/transactions.csv"
  mkdir -p "$results"
  # One untimed run first: the launcher builds whatever it finds stale, and the output shows the run is sane.
  (cd "$root" && $launcher $args --stats > "$results/$name.out.json")
  echo "output: $(wc -c < "$results/$name.out.json") bytes," \
    "$(grep -o '"status":"committed"' "$results/$name.out.json" | wc -l) committed" >&2
  # The launcher is the command users run; plain java -jar shows what its JVM flags and class-data archive save.
  (cd "$root" && hyperfine --warmup 2 --runs "$runs" --export-markdown "$results/$name.md" \
    --export-json "$results/$name.json" \
    -n "$launcher batch ($transfers transfers, $banks banks)" "$launcher $args" \
    -n "java -jar cli/target/clearhouse.jar batch (default JVM flags)" "java -jar cli/target/clearhouse.jar $args")
}

batch_heap() {
  # The heap a batch keeps alive per line (issue 17): the smallest -Xmx, in steps of STEP_MB, in which the command
  # still ends with exit 0 and the output of a roomy run, within 5 times that run's wall time (a heap just too small
  # does not fail, it collects for minutes). Also the heap left after the last full collection of that run, which is
  # what the lines keep, with nothing of the young generation's room. The launcher's compiler and collector flags,
  # without its young-generation size, which a small heap cannot hold.
  local transfers="${1:-500000}" banks="${2:-1000}" step="${3:-2}"
  local name="batch-heap-${transfers}x${banks}" cli="${BENCH_CLI_JAR:-$root/cli/target/clearhouse.jar}"
  local dir="$data/$name" out="$results/$name"
  local flags=(-XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError
    -XX:GCTimeLimit=80)
  build_if_stale
  # The launcher builds the command's jar when it is stale; another build's jar is taken as it is.
  [[ -n "${BENCH_CLI_JAR:-}" ]] || (cd "$root" && ./clearhouse --version) >/dev/null
  java -cp "$jar" io.clearhouse.bench.BatchInputGenerator --banks "$banks" --transfers "$transfers" --out "$dir" >&2
  rm -rf "$out" && mkdir -p "$out"
  local args=(batch --initial-state "$dir/state.json" --transactions "$dir/transactions.csv")
  local started=$SECONDS
  java "${flags[@]}" -Xmx1g -jar "$cli" "${args[@]}" > "$out/reference.json"
  local limit=$(( (SECONDS - started + 1) * 5 ))
  # runs_in MB: exit 0 and the reference output within the limit.
  runs_in() {
    timeout "$limit" java "${flags[@]}" -Xmx"$1"m -Xlog:gc:file="$out/gc-$1.log" -jar "$cli" "${args[@]}" \
      > "$out/out-$1.json" 2>/dev/null && cmp -s "$out/out-$1.json" "$out/reference.json"
  }
  local low=8 high=256
  runs_in "$high" || { echo "batch-heap: no run in ${high} MB" >&2; exit 1; }
  while (( high - low > step )); do
    local middle=$(( (low + high) / 2 ))
    if runs_in "$middle"; then high=$middle; else low=$middle; fi
    echo "batch-heap: ${middle} MB: $([[ $high == "$middle" ]] && echo runs || echo fails)" >&2
  done
  local live
  live=$(grep -o 'Pause Full.*M->[0-9]*M' "$out/gc-$high.log" | tail -1 | sed 's/.*->\([0-9]*\)M/\1/')
  echo "batch-heap: $transfers transfers over $banks banks, $cli"
  echo "smallest heap that runs: ${high} MB (${low} MB does not), $(( high * 1048576 / transfers )) bytes per line"
  echo "heap after the last full collection there: ${live:-none} MB, $(( ${live:-0} * 1048576 / transfers )) bytes per line"
}

batch_floor() {
  # ./clearhouse batch beside the floor (io.clearhouse.bench.floor.FloorBatch: the same contract, single-threaded, no
  # two-phase commit; issue 17) on the same files. The outputs must be equal byte for byte. Then RUNS pairs, one run of
  # each, the order swapped every other pair so that the machine's drift hits both sides; hyperfine times each run.
  local transfers="${1:-10000}" banks="${2:-1000}" runs="${3:-10}"
  local name="batch-floor-${transfers}x${banks}" launcher="${BENCH_LAUNCHER:-./clearhouse}"
  local dir="$data/$name" out="$results/$name"
  # The launcher's JIT and collector flags, so that the ratio compares code rather than JVM settings; the floor
  # allocates too little to need its young generation or huge pages.
  local floor_opts="${BENCH_FLOOR_JAVA_OPTS:--XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData}"
  command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install -y hyperfine" >&2; exit 2; }
  build_if_stale
  java -cp "$jar" io.clearhouse.bench.BatchInputGenerator --banks "$banks" --transfers "$transfers" --out "$dir" >&2
  local args="--initial-state $dir/state.json --transactions $dir/transactions.csv"
  local command="$launcher batch $args"
  local floor="java $floor_opts -cp $jar io.clearhouse.bench.floor.FloorBatch $args"
  rm -rf "$out" && mkdir -p "$out"
  # Untimed: the launcher builds whatever it finds stale, and both outputs are compared once.
  (cd "$root" && $command > "$out/command.json" && $floor > "$out/floor.json")
  cmp "$out/command.json" "$out/floor.json" >&2 || { echo "the floor's output differs from the command's" >&2; exit 1; }
  echo "outputs equal: $(wc -c < "$out/command.json") bytes; $runs pairs follow" >&2
  local pair
  for ((pair = 1; pair <= runs; pair++)); do
    local first=(-n command "$command") second=(-n floor "$floor")
    ((pair % 2 == 0)) && { first=(-n floor "$floor"); second=(-n command "$command"); }
    (cd "$root" && hyperfine --style none --runs 1 --export-json "$out/pair-$pair.json" "${first[@]}" "${second[@]}")
  done
  python3 - "$out" "$runs" "$transfers" "$banks" <<'PYTHON' | tee "$out/summary.md"
import json, statistics, sys
out, runs, transfers, banks = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
pairs = []
for pair in range(1, runs + 1):
    results = {r["command"]: r for r in json.load(open(f"{out}/pair-{pair}.json"))["results"]}
    pairs.append({side: (r["times"][0], r["user"] + r["system"]) for side, r in results.items()})
def median(side, index):
    return statistics.median(p[side][index] for p in pairs)
wall = [p["command"][0] / p["floor"][0] for p in pairs]
cpu = [p["command"][1] / p["floor"][1] for p in pairs]
print(f"batch-floor: {transfers} transfers over {banks} banks, {runs} pairs")
print()
print("| | command | floor | command/floor |")
print("|---|---:|---:|---:|")
print(f"| wall s, median | {median('command', 0):.3f} | {median('floor', 0):.3f} |"
      f" {median('command', 0) / median('floor', 0):.2f} |")
print(f"| wall, ratio of a pair: median (min) | | | {statistics.median(wall):.2f} ({min(wall):.2f}) |")
print(f"| user+sys CPU s, median | {median('command', 1):.3f} | {median('floor', 1):.3f} |"
      f" {median('command', 1) / median('floor', 1):.2f} |")
print(f"| CPU, ratio of a pair: median (min) | | | {statistics.median(cpu):.2f} ({min(cpu):.2f}) |")
PYTHON
}

batch_durable() {
  # The durable batch (--data-dir: all banks in one write-ahead log, the file decision log) on a workload with hot
  # accounts (issue 17), in rounds of three runs on the same files: data directory on disk, the same on tmpfs (where a
  # forced write costs next to nothing, so what remains is the engine's own time), and in memory. Every output must
  # be the in-memory one byte for byte. Then the disk's own rate of forced writes (the fsync probe) beside the rate
  # the durable runs reached: a durable run that forces at the disk's rate is bound by its chains of forced writes.
  local transfers="${1:-200000}" banks="${2:-300}" hot="${3:-5}" hot_per_mille="${4:-500}" runs="${5:-3}"
  local name="batch-durable-${transfers}x${banks}-hot${hot}x${hot_per_mille}" launcher="${BENCH_LAUNCHER:-./clearhouse}"
  local dir="$data/$name" out="$results/$name" shm="/dev/shm/clearhouse-bench-$$"
  build_if_stale
  java -cp "$jar" io.clearhouse.bench.BatchInputGenerator --banks "$banks" --transfers "$transfers" \
    --hot-accounts "$hot" --hot-per-mille "$hot_per_mille" --out "$dir" >&2
  rm -rf "$out" && mkdir -p "$out"
  trap "rm -rf '$shm'" EXIT
  local args="batch --initial-state $dir/state.json --transactions $dir/transactions.csv --stats"
  local round where data_dir
  for ((round = 1; round <= runs; round++)); do
    for where in disk tmpfs memory; do
      case "$where" in
        disk) data_dir=(--data-dir "$out/data") ;;
        tmpfs) data_dir=(--data-dir "$shm") ;;
        memory) data_dir=() ;;
      esac
      rm -rf "$out/data" "$shm"
      (cd "$root" && $launcher $args "${data_dir[@]}" > "$out/$where.out" 2> "$out/$where-$round.err")
    done
    for where in disk tmpfs; do
      cmp "$out/$where.out" "$out/memory.out" >&2 ||
        { echo "the $where run's output differs from the in-memory run's" >&2; exit 1; }
    done
  done
  (cd "$here" && java "${java_opts[@]}" -cp "$jar" io.clearhouse.bench.FsyncProbe --dir "$out/fsync") > "$out/fsync.txt"
  python3 - "$out" "$runs" "$transfers" "$banks" "$hot" "$hot_per_mille" <<'PYTHON' | tee "$out/summary.md"
import json, re, statistics, sys
out, runs, transfers, banks, hot, per_mille = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
def stats(where, run):
    return json.loads(open(f"{out}/{where}-{run}.err").read().strip().splitlines()[-1])
probe = open(f"{out}/fsync.txt").read()
disk_rate = float(re.search(r"([0-9.]+) forced writes/s", probe).group(1))
print(f"batch-durable: {transfers} transfers over {banks} banks, {hot} hot accounts in {per_mille} of 1000 transfers,"
      f" {runs} rounds")
print()
print("| round | disk lines/s | tmpfs lines/s | memory lines/s | disk forced writes/transfer |"
      " disk forced writes/s | disk/memory wall | disk/tmpfs wall |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for run in range(1, runs + 1):
    disk, tmpfs, memory = (stats(w, run) for w in ("disk", "tmpfs", "memory"))
    forces = disk["forced_writes_per_transfer"] * disk["transfers"] / disk["wall_seconds"]
    print(f"| {run} | {disk['lines'] / disk['wall_seconds']:,.0f} | {tmpfs['lines'] / tmpfs['wall_seconds']:,.0f} |"
          f" {memory['lines'] / memory['wall_seconds']:,.0f} | {disk['forced_writes_per_transfer']:.3f} |"
          f" {forces:,.0f} | {disk['wall_seconds'] / memory['wall_seconds']:.1f} |"
          f" {disk['wall_seconds'] / tmpfs['wall_seconds']:.2f} |")
print()
print(f"the disk alone: {disk_rate:,.0f} forced writes/s ({probe.strip()})")
PYTHON
}

batch_remote() {
  # The batch command against every bank of the state held by one bank-server process (fsync on), beside the same
  # batch on in-memory banks, timed in turn by hyperfine; each timed run of the remote batch meets a fresh server with
  # the opening balances (restarted by --prepare, not timed). Both outputs must be equal.
  local transfers="${1:-10000}" banks="${2:-1000}" runs="${3:-10}"
  local name="batch-remote-${transfers}x${banks}" port="${BENCH_BANK_PORT:-18490}"
  local dir="$data/$name" fresh="$here/src/main/sh/fresh-bank-server.sh"
  command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install -y hyperfine" >&2; exit 2; }
  build_if_stale
  java -cp "$jar" io.clearhouse.bench.BatchInputGenerator --banks "$banks" --transfers "$transfers" --out "$dir" >&2
  python3 -c 'import json, sys; state = json.load(open(sys.argv[1]))
json.dump({"banks": [{"id": b, "type": "remote", "settings": {"url": sys.argv[2]}} for b in state]}, sys.stdout)' \
    "$dir/state.json" "http://127.0.0.1:$port" > "$dir/banks.json"
  local prepare="$fresh $root $dir/state.json $dir/server $port $dir/server.pid"
  trap "$fresh stop $dir/server.pid" EXIT
  mkdir -p "$results"
  $prepare
  (cd "$root" && ./clearhouse batch --banks-file "$dir/banks.json" --transactions "$dir/transactions.csv" --stats \
    > "$results/$name.out.json" 2> "$results/$name.stats.txt")
  (cd "$root" && ./clearhouse batch --initial-state "$dir/state.json" --transactions "$dir/transactions.csv" \
    > "$results/$name.memory.json")
  cmp -s "$results/$name.out.json" "$results/$name.memory.json" || { echo "outputs differ" >&2; exit 1; }
  tail -n 1 "$results/$name.stats.txt" >&2
  (cd "$root" && hyperfine --warmup 1 --runs "$runs" --export-markdown "$results/$name.md" \
    --export-json "$results/$name.json" \
    -n "batch --banks-file ($transfers transfers, $banks remote banks on one bank server)" --prepare "$prepare" \
    "./clearhouse batch --banks-file $dir/banks.json --transactions $dir/transactions.csv" \
    -n "batch --initial-state (the same in memory)" \
    "./clearhouse batch --initial-state $dir/state.json --transactions $dir/transactions.csv")
}

write_rest_state() {
  # BANKS banks of rest_accounts accounts each, named as transfers.lua names them, as a STATE.json on stdout.
  local banks="$1"
  printf '{'
  for ((b = 1; b <= banks; b++)); do
    ((b > 1)) && printf ','
    printf '"%d":{' "$b"
    for ((i = 0; i < rest_accounts; i++)); do ((i > 0)) && printf ','; printf '"a%d-%d":1000000000000' "$b" "$i"; done
    printf '}'
  done
  printf '}\n'
}

start_rest_server() {
  # The server as users run it (./clearhouse serve: Payara Micro, PostgreSQL decision log, durable memory banks in one
  # shared log), on fresh data, with BANKS banks of rest_accounts accounts; stopped when the script exits. Sets
  # server_pids (Payara Micro's JVM, or the launcher's tree if it is not found) and postgres_pids (the postmaster the
  # server started, empty if not found), whose process trees the CPU figures count.
  local banks="$1"
  command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
  local dir="$data/rest" log="$results/rest-serve.log"
  rm -rf "$dir" && mkdir -p "$dir" "$results"
  write_rest_state "$banks" > "$dir/state.json"
  # Emptied here, not by the server's redirection, which may come after the first look for "ready at" below and so
  # let the previous run's line through.
  : > "$log"
  (cd "$root" && exec ./clearhouse serve --initial-state "$dir/state.json" --port "$rest_port" --data-dir "$dir/data") \
    >> "$log" 2>&1 &
  local server=$!
  trap 'kill -TERM '"$server"' 2>/dev/null; wait '"$server"' 2>/dev/null' EXIT
  for ((waited = 0; waited < 300; waited++)); do
    grep -q "ready at" "$log" && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 1
  done
  token=$(cd "$root" && ./clearhouse token --data-dir "$dir/data" --roles transfer,read)
  server_pids=$(pgrep -f -- "-jar [^ ]*payara-micro.jar .*--port $rest_port" | head -1 || true)
  server_pids="${server_pids:-$server}"
  local pg_root
  pg_root=$(cat "$dir/data/postgres.location" 2>/dev/null || echo "$dir/data/postgres")
  postgres_pids=$(head -n 1 "$pg_root/pgdata/postmaster.pid" 2>/dev/null || true)
  [[ -n "$postgres_pids" ]] || echo "PostgreSQL's postmaster.pid not found: its CPU time is not counted" >&2
  echo "machine: $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2 | xargs); $(uptime)" >&2
}

post_transfers() {
  # CLIENTS keep-alive connections posting cross-bank transfers among BANKS banks with unique ids for SECONDS to
  # WRK_URL (default: the rest server); the rest of the arguments go to wrk.
  local clients="$1" banks="$2" seconds="$3"
  TOKEN="${token:-}" BANKS="$banks" ACCOUNTS="$rest_accounts" wrk -t2 -c"$clients" -d"${seconds}s" "${@:4}" \
    -s "$here/src/main/wrk/transfers.lua" "${WRK_URL:-$rest_url}"
}

rest() {
  local clients="${1:-64}" seconds="${2:-30}" banks="${3:-8}"
  start_rest_server "$banks"
  # Payara's JIT compilation goes on for about a minute under load on 2 cores; measuring earlier measures the JIT.
  post_transfers "$clients" "$banks" "${BENCH_WARMUP_SECONDS:-60}" > /dev/null
  post_transfers "$clients" "$banks" "$seconds" --latency
  curl -s "$rest_url/metrics?scope=application" | grep -E '^clearhouse_engine_(messages|forced_writes)_per_transaction'
  # What the server's heap holds after the run, garbage collected first: it should not grow with the transfers made.
  local payara; payara=$(pgrep -f -- "-jar [^ ]*payara-micro.jar .*--port $rest_port" | head -1)
  if [[ -n "$payara" ]] && command -v jcmd >/dev/null; then
    jcmd "$payara" GC.class_histogram | awk '/^Total/ { printf "server heap after the run: %.1f MB live in %d objects\n", $3 / 1048576, $2 }'
  fi
}

rest_read() {
  # The cost of a transfer against the cost of a request that writes nothing, on the same server in the same minutes:
  # GET /api/accounts/{account} (the HTTP stack, Jersey and the EJB call, one balance read in memory) and POST
  # /api/transfers, after a warm-up by transfers, in BENCH_ROUNDS rounds (default 2) of read then transfer so that the
  # machine's drift hits both. Each phase's row: requests/s, p50, p99, non-2xx answers, and the CPU time per request
  # of Payara Micro's JVM and of the PostgreSQL processes the server started (their whole process trees, from /proc).
  # Then issue 17's three ratios over all rounds, each against its target.
  local clients="${1:-64}" seconds="${2:-30}" banks="${3:-8}" rounds="${BENCH_ROUNDS:-2}" round
  local summary="$results/rest-read.tsv"
  start_rest_server "$banks"
  post_transfers "$clients" "$banks" "${BENCH_WARMUP_SECONDS:-60}" > /dev/null
  : > "$summary"
  for ((round = 1; round <= rounds; round++)); do
    echo "round $round: GET /api/accounts/a1-1, $clients connections:"
    measure_phase "read $round" "$summary" wrk -t2 -c"$clients" -d"${seconds}s" --latency \
      -H "Authorization: Bearer $token" "$rest_url/api/accounts/a1-1"
    echo "round $round: POST /api/transfers, $clients connections:"
    measure_phase "transfer $round" "$summary" post_transfers "$clients" "$banks" "$seconds" --latency
  done
  echo
  echo "| phase | requests/s | p50 ms | p99 ms | non-2xx | Payara CPU µs/request | PostgreSQL CPU µs/request |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %.0f | %.2f | %.2f | %d | %.0f | %.0f |\n", $1, $2, $3, $4, $5, $7 / $6, $8 / $6 }' \
    "$summary"
  echo
  awk -F'\t' '
    function verdict(ok) { return ok ? "met" : "missed" }
    { kind = ($1 ~ /^read/) ? "read" : "transfer"
      rate[kind] += $2; p99[kind] += $4; phases[kind]++; requests[kind] += $6; payara[kind] += $7; pg[kind] += $8 }
    END {
      for (k in phases) { rate[k] /= phases[k]; p99[k] /= phases[k] }
      throughput = rate["transfer"] / rate["read"]; latency = p99["transfer"] / p99["read"]
      cpu_read = (payara["read"] + pg["read"]) / requests["read"]
      cpu_transfer = (payara["transfer"] + pg["transfer"]) / requests["transfer"]
      printf "server CPU per request over all rounds: read %.0f µs, transfer %.0f µs (Payara %.0f, PostgreSQL %.0f)\n",
        cpu_read, cpu_transfer, payara["transfer"] / requests["transfer"], pg["transfer"] / requests["transfer"]
      printf "transfers/s against reads/s: %.2f (target at least 0.50: %s)\n", throughput, verdict(throughput >= 0.5)
      printf "transfer p99 against read p99: %.2f (target at most 1.50: %s)\n", latency, verdict(latency <= 1.5)
      printf "CPU per transfer against per read: %.2f (target at most 2.00: %s); Payara alone %.2f\n",
        cpu_transfer / cpu_read, verdict(cpu_transfer / cpu_read <= 2),
        (payara["transfer"] / requests["transfer"]) / (payara["read"] / requests["read"])
    }' "$summary"
}

measure_phase() {
  # Runs one wrk COMMAND (its output shown and kept), reads the CPU time of server_pids' and postgres_pids' trees
  # before and after, and appends to SUMMARY: label, then wrk's figures (wrk_figures), then the microseconds of CPU
  # of each tree over the phase.
  local label="$1" summary="$2" out="$results/rest-read-${1// /-}.txt" hz payara_before pg_before
  shift 2
  hz=$(getconf CLK_TCK)
  payara_before=$(cpu_ticks $server_pids)
  pg_before=$(cpu_ticks $postgres_pids)
  "$@" | tee "$out"
  local payara_ticks=$(($(cpu_ticks $server_pids) - payara_before)) pg_ticks=$(($(cpu_ticks $postgres_pids) - pg_before))
  printf '%s\t%s\t%d\t%d\n' "$label" "$(wrk_figures "$out")" \
    $((payara_ticks * 1000000 / hz)) $((pg_ticks * 1000000 / hz)) >> "$summary"
}

wrk_figures() {
  # From the output of wrk --latency in FILE: requests/s, p50 ms, p99 ms, non-2xx answers and requests, tab-separated.
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    / requests in / { requests = $1 }
    /^Requests\/sec:/ { rate = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { non2xx = $NF }
    END { printf "%.0f\t%.2f\t%.2f\t%d\t%d", rate, p50, p99, non2xx, requests }
  ' "$1"
}

frozen_root() {
  # Prints the path of a copy of the built launcher, command-line jar, WAR and Payara Micro under target/, which the
  # cluster benchmarks run: nodes deploy the WAR from where the launcher names it and a node started again after a
  # kill loads classes from it, so a rebuild in the work tree during a long run would break the restarted node.
  (cd "$root" && ./clearhouse cluster --help > /dev/null)   # builds what is stale first, as a user's first run does
  local copy="$here/target/cluster-root" try
  for try in 1 2 3; do
    rm -rf "$copy" && mkdir -p "$copy/cli/target" "$copy/web/target"
    cp "$root/clearhouse" "$copy/" && cp -r "$root/examples" "$copy/"
    cp "$root/cli/target/clearhouse.jar" "$copy/cli/target/"
    cp "$root/web/target/clearhouse.war" "$root/web/target/payara-micro.jar" "$copy/web/target/"
    # A build elsewhere may have been writing a file while it was copied.
    unzip -tq "$copy/web/target/clearhouse.war" > /dev/null && unzip -tq "$copy/cli/target/clearhouse.jar" > /dev/null &&
      { echo "$copy"; return 0; }
    sleep 10
  done
  echo "could not copy a complete build" >&2
  exit 1
}

tree_pids() {
  # The given process ids and all their descendants, one a line.
  ps -e -o pid=,ppid= | awk -v roots="$*" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1 }
    { parent[$1] = $2 }
    END {
      do { changed = 0; for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } }
      while (changed)
      for (p in keep) print p
    }'
}

cpu_ticks() {
  # User and system CPU time, in clock ticks, used so far by the given processes and their descendants.
  local total=0 pid ticks
  for pid in $(tree_pids "$@"); do
    ticks=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }') || continue
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}

measure_rest() {
  # Warms the server at URL up under the wrk load, then measures it and appends one row to SUMMARY: label, wrk's
  # figures (wrk_figures), and the microseconds of CPU time of the server's processes (ROOT_PIDS and descendants).
  local label="$1" url="$2" clients="$3" seconds="$4" banks="$5" summary="$6"
  shift 6
  local out="$results/rest-cluster-${label%% *}.txt" hz before after
  hz=$(getconf CLK_TCK)
  WRK_URL="$url" post_transfers "$clients" "$banks" "${BENCH_WARMUP_SECONDS:-60}" > /dev/null
  before=$(cpu_ticks "$@")
  WRK_URL="$url" post_transfers "$clients" "$banks" "$seconds" --latency | tee "$out"
  after=$(cpu_ticks "$@")
  printf '%s\t%s\t%d\n' "$label" "$(wrk_figures "$out")" $(((after - before) * 1000000 / hz)) >> "$summary"
}

stop_pid() {
  # SIGTERM to one process we started, then wait for it to end.
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}

await_output() {
  # Waits up to 900 s for PATTERN in FILE while PID runs.
  local file="$1" pattern="$2" pid="$3"
  for ((waited = 0; waited < 900; waited++)); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$file" "${file%.out}.err" >&2 2>/dev/null; exit 1; }
    sleep 1
  done
  echo "no '$pattern' in $file within 900 s" >&2
  exit 1
}

rest_cluster() {
  # The same wrk load against ./clearhouse serve (PostgreSQL decision log) and against the leader of ./clearhouse
  # cluster --nodes 3 (Raft decision log), in turn. Both run over remote banks held by one bank-server process with
  # the same JVM options, since that is where the cluster's banks live: serve gets --banks-file naming a bank server
  # started here as the cluster starts its own. Prints each one's figures and the ratios cluster/serve.
  local clients="${1:-64}" seconds="${2:-30}" banks="${3:-8}"
  command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
  local dir="$data/rest-cluster" summary frozen
  rm -rf "$dir" && mkdir -p "$dir" "$results"
  summary="$dir/summary.tsv"
  write_rest_state "$banks" > "$dir/state.json"
  frozen=$(frozen_root)
  started=()
  trap 'for pid in "${started[@]}"; do stop_pid "$pid"; done' EXIT
  echo "machine: $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2 | xargs); $(uptime)" >&2

  java -Xmx512m -XX:+UseParallelGC -XX:-UsePerfData -cp "$frozen/cli/target/clearhouse.jar" \
    io.clearhouse.bankserver.BankServerCommand --initial-state "$dir/state.json" --data-dir "$dir/bank-server" \
    --port "$bank_port" > "$dir/bank-server.out" 2> "$dir/bank-server.err" &
  local bank_server=$!
  started=("$bank_server")
  await_output "$dir/bank-server.out" "Bank server ready at" "$bank_server"
  python3 -c 'import json, sys; state = json.load(open(sys.argv[1]))
json.dump({"banks": [{"id": b, "type": "remote", "settings": {"url": sys.argv[2]}} for b in state]}, sys.stdout)' \
    "$dir/state.json" "http://127.0.0.1:$bank_port" > "$dir/banks.json"
  (cd "$frozen" && exec ./clearhouse serve --banks-file "$dir/banks.json" --port "$rest_port" --data-dir "$dir/serve") \
    > "$dir/serve.out" 2> "$dir/serve.err" &
  local serve=$!
  started=("$serve" "$bank_server")
  await_output "$dir/serve.out" "ready at" "$serve"
  token=$(cd "$frozen" && ./clearhouse token --data-dir "$dir/serve" --roles transfer,read)
  local pg_root pg_pid
  pg_root=$(cat "$dir/serve/postgres.location" 2>/dev/null || echo "$dir/serve/postgres")
  pg_pid=$(head -n 1 "$pg_root/pgdata/postmaster.pid" 2>/dev/null || true)
  [[ -n "$pg_pid" ]] || echo "PostgreSQL's postmaster.pid not found: its CPU time is not counted" >&2
  echo "serve (PostgreSQL decision log), banks on a bank server:"
  measure_rest "serve (PostgreSQL log)" "$rest_url" "$clients" "$seconds" "$banks" "$summary" \
    "$serve" "$bank_server" ${pg_pid:+"$pg_pid"}
  stop_pid "$serve"
  stop_pid "$bank_server"

  (cd "$frozen" && exec ./clearhouse cluster --nodes 3 --initial-state "$dir/state.json" --port "$cluster_port" \
    --data-dir "$dir/cluster") > "$dir/cluster.out" 2> "$dir/cluster.err" &
  local cluster=$!
  started=("$cluster")
  await_output "$dir/cluster.out" "Clearhouse cluster is ready, leader" "$cluster"
  local leader
  leader=$(sed -n 's/^Clearhouse cluster is ready, leader \(.*\)\/api$/\1/p' "$dir/cluster.out")
  token=$(cd "$frozen" && ./clearhouse token --data-dir "$dir/cluster" --roles transfer,read)
  echo "cluster --nodes 3 (Raft decision log), leader $leader, banks on its bank server:"
  measure_rest "cluster (Raft log)" "$leader" "$clients" "$seconds" "$banks" "$summary" "$cluster"
  grep -h "ready at\|ended" "$dir/cluster.out" "$dir/cluster.err" >&2 || true
  stop_pid "$cluster"
  started=()

  echo
  echo "| server | transfers/s | p50 ms | p99 ms | server CPU µs/transfer | non-2xx |"
  echo "|---|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %.0f | %s |\n", $1, $2, $3, $4, $7 / $6, $5 }' "$summary"
  awk -F'\t' 'NR == 1 { r = $2; p = $4; c = $7 / $6 }
    NR == 2 { printf "ratios cluster/serve: transfers/s %.2f, p99 %.2f, CPU/transfer %.2f\n", $2 / r, $4 / p, $7 / $6 / c }' \
    "$summary"
}

profile() {
  # Java Flight Recorder's sampling profile around one Java benchmark, then the hottest methods from the recording.
  local recording="$here/target/profile-$1.jfr"
  build_if_stale
  local jfr="-XX:StartFlightRecording=filename=$recording,settings=profile"
  (cd "$here" && BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xms2g -Xmx2g} $jfr" "$here/run.sh" "$@")
  java -cp "$jar" io.clearhouse.bench.HotMethods --recording "$recording" --top "${BENCH_PROFILE_TOP:-25}"
}

suite() {
  # Every figure of docs/benchmarks.md, each taken REPEATS times, logged under target/bench-results/suite-<time>/.
  local repeats="${1:-3}" out="$results/suite-$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$out"
  echo "suite: logs in $out" >&2
  { nproc; lscpu | grep 'Model name'; free -m | head -2; java -version 2>&1; uptime; } > "$out/machine.txt"
  "$here/run.sh" fsync > "$out/fsync.log" 2>&1
  for i in $(seq "$repeats"); do
    "$here/run.sh" batch-command 10000 1000 10 > "$out/batch-command-10k-$i.log" 2>&1
    "$here/run.sh" batch-command 500000 1000 5 > "$out/batch-command-500k-$i.log" 2>&1
    "$here/run.sh" batch-engine --transfers 500000 --iterations 5 > "$out/batch-engine-500k-$i.log" 2>&1
    "$here/run.sh" durable > "$out/durable-$i.log" 2>&1
    uptime >> "$out/machine.txt"
  done
  # The engine under the launcher's JVM flags (C1 only, serial GC), to separate flags from engine.
  BENCH_JAVA_OPTS="-Xms2g -Xmx2g -XX:+UseSerialGC -XX:TieredStopAtLevel=1" "$here/run.sh" batch-engine \
    --transfers 500000 --iterations 5 > "$out/batch-engine-500k-launcher-flags.log" 2>&1
  # Once each: what the durable figure becomes without forced writes, and without any I/O, to show what dominates.
  "$here/run.sh" durable --banks 8 --threads 64,256 --fsync false > "$out/durable-no-fsync.log" 2>&1
  "$here/run.sh" durable --banks 8 --threads 64,256 --decision-log memory --bank-log none \
    > "$out/durable-no-io.log" 2>&1
  "$here/run.sh" jmh -wi 1 -i 3 -r 2 -rf text -rff "$out/jmh.txt" > "$out/jmh.log" 2>&1
  tail -n 4 "$out"/*.log
}

case "${1:-}" in
  generate) run_main BatchInputGenerator "${@:2}" ;;
  fsync) run_main FsyncProbe "${@:2}" ;;
  durable) run_main DurableTransferBenchmark "${@:2}" ;;
  narayana) run_main NarayanaComparison "${@:2}" ;;
  postgres-banks) run_main PostgresBankBenchmark "${@:2}" ;;
  log-retention) run_main LogRetentionBenchmark "${@:2}" ;;
  recovery-time) run_main RecoveryTimeBenchmark "${@:2}" ;;
  rest) rest "${@:2}" ;;
  rest-read) rest_read "${@:2}" ;;
  rest-client) run_main RestTransferBenchmark "${@:2}" ;;
  rest-cluster) rest_cluster "${@:2}" ;;
  failover)
    # A light client: the cluster's nodes need the memory and the cores.
    java_opts=(${BENCH_JAVA_OPTS:--Xmx512m})
    frozen=$(frozen_root)
    run_main FailoverBenchmark --root "$frozen" --trials "${2:-20}" "${@:3}" ;;
  batch-engine) run_main BatchEngineBenchmark "${@:2}" ;;
  batch-command) batch_command "${@:2}" ;;
  batch-durable) batch_durable "${@:2}" ;;
  batch-remote) batch_remote "${@:2}" ;;
  batch-floor) batch_floor "${@:2}" ;;
  batch-heap) batch_heap "${@:2}" ;;
  profile) profile "${@:2}" ;;
  jmh) run_main_class org.openjdk.jmh.Main "${@:2}" ;;
  suite) suite "${@:2}" ;;
  *) sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
