#!/usr/bin/env bash
# Failover drill on one machine: a 3-node RabbitMQ cluster (scripts/local-rabbitmq-cluster.sh), two
# headless head offices (one consumes, one stands by) and the branches bo1 and bo2, headless. While
# ROWS sales are imported into each branch, the node holding the leader of the head office's queue
# is killed with SIGKILL, then the active head office is. The drill ends when `./salesync status`
# finds every branch equal to the head office row by row, and prints how long sync stood still
# after each kill.
#
# usage: scripts/check-cluster-failover.sh [ROWS]   (default 20000)
#
# Needs Java 17, the local MySQL/MariaDB with the development schemas and users
# (scripts/setup-local-services.sh), the RabbitMQ server installed locally (the cluster runs beside
# the machine's own broker, on ports 5681-5683, 15681 and 25681-25683, or from the base port in
# SALESYNC_FAILOVER_BASE_PORT with a SALESYNC_RABBITMQ_CLUSTER_DIR of its own), python3 and the mariadb (or
# mysql) client. SALESYNC_ADMIN_DB_USER / SALESYNC_ADMIN_DB_PASSWORD (default root, empty) only
# read the head office's tables to see where sync stands. Leaves the imported sales in the
# development databases; the cluster is stopped at the end (its data stays in $CLUSTER_DIR).
#
# "Stood still" is the longest time after a kill during which the head office applied nothing,
# measured by polling its sale table every 0.2 s: from the kill until the head office has applied
# a tenth of the import (at least 1,000 sales) more, or everything, or 60 s have passed. The head
# office is killed while it is still behind the import; when it has caught up already, the drill
# says that no changes were flowing, and its stall figure means nothing.
set -euo pipefail

ROWS="${1:-20000}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER_DIR="${SALESYNC_RABBITMQ_CLUSTER_DIR:-/tmp/salesync-failover-cluster}"
WORK="$(mktemp -d)"
cd "$ROOT"
pids=()

BASE_PORT="${SALESYNC_FAILOVER_BASE_PORT:-5681}"
export SALESYNC_BROKER_ADDRESSES="127.0.0.1:$BASE_PORT,127.0.0.1:$((BASE_PORT + 1)),127.0.0.1:$((BASE_PORT + 2))"
export SALESYNC_RABBITMQ_CLUSTER_DIR="$CLUSTER_DIR"

log() { printf '[failover] %s\n' "$*"; }
fail() { log "FAILED: $*"; exit 1; }
cluster() { scripts/local-rabbitmq-cluster.sh "$@"; }

stop_all() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    cluster stop >/dev/null 2>&1 || true
    log "logs of this run: $WORK"
}
trap stop_all EXIT

sql() {  # sql QUERY: one value from the head office's schema
    local client
    client="$(command -v mariadb || command -v mysql)" || fail "no mariadb or mysql client"
    MYSQL_PWD="${SALESYNC_ADMIN_DB_PASSWORD:-}" "$client" -h 127.0.0.1 -u "${SALESYNC_ADMIN_DB_USER:-root}" \
        -N -B salesync_ho -e "$1"
}

start() {  # start NAME ARGS...: a launcher command in the background, output to $WORK/NAME.log
    local name="$1"
    shift
    ./salesync "$@" >"$WORK/$name.log" 2>&1 &
    pids+=("$!")
}

active_head_office() {  # pid of the head office that was the active consumer at its last beat (8 s at most ago)
    sql "SELECT process FROM head_office_process WHERE active_at >= NOW(3) - INTERVAL 8 SECOND
         AND active_at = last_seen_at ORDER BY active_at DESC LIMIT 1" | cut -d@ -f1
}

queue_leader_node() {  # number (1-3) of the node holding the leader of the head office's queue
    cluster ctl 1 -- list_queues -p salesync name leader --quiet --no-table-headers 2>/dev/null \
        | awk '$1 == "salesync.ho.changes" { print $2 }' | sed -E 's/^salesync-[0-9]+-([0-9])@.*/\1/'
}

# longest_stall SECONDS GROWTH TARGET: polls the head office's sale count for at most SECONDS, until
# it has grown by GROWTH or reached TARGET, and prints the longest time (s) it did not grow, counting
# from now, then the count at the end
longest_stall() {
    python3 - "$1" "$2" "$3" <<'PY'
import shutil, subprocess, sys, time, os
client = shutil.which("mariadb") or shutil.which("mysql")
cmd = [client, "-h", "127.0.0.1", "-u", os.environ.get("SALESYNC_ADMIN_DB_USER", "root"), "-N", "-B",
       "salesync_ho", "-e", "SELECT COUNT(*) FROM sale"]
env = dict(os.environ, MYSQL_PWD=os.environ.get("SALESYNC_ADMIN_DB_PASSWORD", ""))
start = time.monotonic()
end, growth, target = start + float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
first, last_count, last_change, longest = None, None, start, 0.0
while time.monotonic() < end:
    count = int(subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout.strip())
    now = time.monotonic()
    if first is None:
        first = count
    elif count > last_count:
        longest = max(longest, now - last_change)
        last_change = now
    last_count = count
    if count - first >= growth or count >= target:
        break
    time.sleep(0.2)
if last_count is not None and count - first < growth and count < target:
    longest = max(longest, time.monotonic() - last_change)
print(f"{longest:.1f} {last_count}")
PY
}

log "starting the cluster in $CLUSTER_DIR"
cluster start --base-port "$BASE_PORT" >"$WORK/cluster-start.log" 2>&1 || { cat "$WORK/cluster-start.log"; fail "the cluster did not start"; }

./salesync help >/dev/null
./salesync status >/dev/null 2>&1 || true   # builds the jars once, before anything is timed
scripts/sample-sales.py "$ROWS" 21 >"$WORK/bo1.csv"
scripts/sample-sales.py "$ROWS" 22 >"$WORK/bo2.csv"

start head-office-a head-office --headless
start head-office-b head-office --headless
start bo1 branch --id bo1 --headless
start bo2 branch --id bo2 --headless
for _ in $(seq 60); do
    [[ -n "$(active_head_office)" ]] && break
    sleep 1
done
first_active="$(active_head_office)"
[[ -n "$first_active" ]] || fail "no head office became active within 60 s"
log "head office $first_active consumes, the other stands by"

# asked before the import: rabbitmqctl takes seconds on a busy machine, and the leader stays put
leader="$(queue_leader_node)"
[[ "$leader" =~ ^[123]$ ]] || fail "could not find the node holding the queue's leader"
base="$(sql "SELECT COUNT(*) FROM sale")"
target=$((base + 2 * ROWS))
window=$(( ROWS / 10 > 1000 ? ROWS / 10 : 1000 ))
log "importing $ROWS sales into bo1 and bo2 (the head office holds $base sales before)"
began=$(date +%s.%N)
./salesync import --branch bo1 --wait 900 "$WORK/bo1.csv" >"$WORK/import-bo1.log" 2>&1 &
import1=$!
./salesync import --branch bo2 --wait 900 "$WORK/bo2.csv" >"$WORK/import-bo2.log" 2>&1 &
import2=$!
# the node is killed once the head office applies the import
for _ in $(seq 600); do
    (( $(sql "SELECT COUNT(*) FROM sale") >= base + window )) && break
    sleep 0.2
done

behind=$((target - $(sql "SELECT COUNT(*) FROM sale")))
log "killing node $leader (the queue's leader) with SIGKILL; the head office is $behind sales behind"
cluster kill "$leader" >/dev/null
read -r broker_stall count < <(longest_stall 60 "$window" "$target")
log "after the node's loss, sync stood still for at most $broker_stall s"

active="$(active_head_office)"
[[ -n "$active" ]] || fail "no active head office after the node's loss"
behind=$((target - $(sql "SELECT COUNT(*) FROM sale")))
if (( behind > 0 )); then
    flowing="yes"
    log "killing the active head office (pid $active) with SIGKILL; it is $behind sales behind"
else
    flowing="no"
    log "killing the active head office (pid $active) with SIGKILL; no changes were flowing (it had applied the whole import)"
fi
kill -KILL "$active"
read -r head_office_stall count < <(longest_stall 60 "$window" "$target")
now_active="$(active_head_office)"
log "after the head office's loss, sync stood still for at most $head_office_stall s; $now_active consumes now"

wait "$import1" "$import2" || { cat "$WORK"/import-bo*.log; fail "an import did not finish"; }
log "starting node $leader again"
cluster start >/dev/null

started=$(date +%s)
until ./salesync status >"$WORK/status.txt" 2>&1; do
    if (( $(date +%s) - started > 300 )); then
        cat "$WORK/status.txt"
        fail "not every branch matched within 300 s"
    fi
    sleep 2
done
total="$(python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.0f}')" "$began")"
cat "$WORK/status.txt"
compared="$(sql "SELECT COUNT(*) FROM sale WHERE branch_id IN ('bo1', 'bo2')")"
log "every branch matches the head office row by row ($compared rows of bo1 and bo2 compared)"
log "RESULT rows_per_branch=$ROWS broker_node_kill_stall_s=$broker_stall head_office_kill_stall_s=$head_office_stall" \
    "changes_flowing_at_head_office_kill=$flowing import_to_match_s=$total rows_compared=$compared"
