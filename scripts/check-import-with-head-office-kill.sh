#!/usr/bin/env bash
# End-to-end check on the local services: the head office and branches bo1, bo2 run headless,
# ROWS sales are imported into each branch, the head office is killed with SIGKILL in the middle of
# the import and started again, and `./salesync status` must end with every branch matched.
#
# usage: scripts/check-import-with-head-office-kill.sh [ROWS]   (default 10000)
# Needs the development stack (docker compose up -d --wait, or scripts/setup-local-services.sh)
# and leaves the imported sales in the development databases.
set -euo pipefail

ROWS="${1:-10000}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
cd "$ROOT"
pids=()

log() { printf '[check] %s\n' "$*"; }
stop_all() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop_all EXIT

start() {  # start NAME ARGS...: a launcher command in the background, output to $WORK/NAME.log
    local name="$1"
    shift
    ./salesync "$@" >"$WORK/$name.log" 2>&1 &
    pids+=("$!")
    last_pid=$!
}

./salesync help >/dev/null
./salesync status >/dev/null 2>&1 || true   # builds the jars once, before anything is timed
scripts/sample-sales.py "$ROWS" 11 >"$WORK/bo1.csv"
scripts/sample-sales.py "$ROWS" 12 >"$WORK/bo2.csv"

start head-office head-office --headless
head_office_pid=$last_pid
start bo1 branch --id bo1 --headless
start bo2 branch --id bo2 --headless
sleep 5

log "importing $ROWS sales into bo1 and bo2"
./salesync import --branch bo1 "$WORK/bo1.csv" >"$WORK/import-bo1.log" 2>&1 &
import1=$!
./salesync import --branch bo2 "$WORK/bo2.csv" >"$WORK/import-bo2.log" 2>&1 &
import2=$!

sleep 2
log "killing the head office (SIGKILL) in the middle of the import"
pkill -KILL -P "$head_office_pid" 2>/dev/null || true
kill -KILL "$head_office_pid" 2>/dev/null || true
./salesync status || true

wait "$import1" "$import2"
cat "$WORK/import-bo1.log" "$WORK/import-bo2.log"

log "starting the head office again"
start head-office-2 head-office --headless
started=$(date +%s)
until ./salesync status >"$WORK/status.txt" 2>&1; do
    if (( $(date +%s) - started > 300 )); then
        cat "$WORK/status.txt"
        log "FAILED: not every branch matched within 300 s"
        exit 1
    fi
    sleep 2
done
cat "$WORK/status.txt"
log "every branch matched $(( $(date +%s) - started )) s after the restart"
