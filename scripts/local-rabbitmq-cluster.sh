#!/usr/bin/env bash
# A 3-node RabbitMQ cluster of the locally installed server, for machines without Docker: the
# nodes run beside the machine's own broker (5672), on spare ports, each with its own data and log
# directories under one directory, and form one cluster at start (classic_config peer discovery,
# the same configuration as the `cluster` profile of docker-compose.yml). DEVELOPMENT ONLY.
#
#   scripts/local-rabbitmq-cluster.sh start  [--dir DIR] [--base-port PORT] [--no-management]
#   scripts/local-rabbitmq-cluster.sh status [--dir DIR]
#   scripts/local-rabbitmq-cluster.sh stop   [--dir DIR]
#   scripts/local-rabbitmq-cluster.sh kill N [--dir DIR]     # SIGKILL node N (1-3), for failover drills
#   scripts/local-rabbitmq-cluster.sh ctl N [--dir DIR] -- ARGS...   # rabbitmqctl ARGS on node N
#
# start   starts the nodes that are not running (all three at once), waits until each accepts
#         AMQP connections and the three form one cluster, then prints the status. Idempotent: on
#         a running cluster it only prints the status; on a stopped one it starts it again with
#         its data (queues and messages survive). Exit 0 once all three run in one cluster.
# status  prints each node (name, ports, pid, running or not) and whether the running nodes form
#         one cluster; exit 0 only when all three run in one cluster, 1 otherwise.
# stop    stops the nodes the way an operator would (rabbitmqctl stop, then SIGTERM, then SIGKILL
#         of the node's own pid if it does not exit); the data stays in DIR. Idempotent.
# kill N  kills node N with SIGKILL, as a crashed machine would; `start` brings it back.
# ctl N   runs rabbitmqctl on node N with the cluster's cookie, for example
#         `ctl 1 -- list_queues -p salesync name type members leader`.
#
# Ports, from the base port B (default 5681): node N listens for AMQP on 127.0.0.1:B+N-1, for
# management (node 1 only; --no-management: none) on 127.0.0.1:B+10000, and for Erlang
# distribution on B+20000+N-1, like RabbitMQ's own 5672 / 15672 / 25672. The node names are
# salesync-B-N@localhost, so clusters on different base ports never meet. The base port is kept
# in DIR at the first start; a later start with another --base-port is refused.
#
# DIR (default /tmp/salesync-rabbitmq-cluster; SALESYNC_RABBITMQ_CLUSTER_DIR) holds the nodes'
# configuration, data (node-N/mnesia), logs (node-N/log, node-N/server.out), pid files and the
# cluster's own Erlang cookie (DIR/.erlang.cookie, made at the first start). The nodes and this
# script run with HOME=DIR so that they use that cookie: the machine's own broker, its cookie and
# its configuration (/etc/rabbitmq) are never touched or read, and no process but the cluster's
# own (found by the pid files, checked by their node name) is ever signalled.
#
# The nodes load rabbitmq/definitions.json at boot (the vhost salesync and the development users
# ho, bo1, bo2 and salesync-admin/dev-only-admin, an administrator; no guest user) and limit a
# message to 1 MiB, like the compose broker. Point the applications at the cluster with
#   salesync.broker.addresses=127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683
#
# Environment: SALESYNC_RABBITMQ_BIN (/usr/lib/rabbitmq/bin: rabbitmq-server, rabbitmqctl),
# WAIT_SECONDS (180: how long start waits for the nodes and the cluster).
# Runs as root or as any user that may run rabbitmq-server; it never switches user.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RABBITMQ_BIN="${SALESYNC_RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}"
WAIT_SECONDS="${WAIT_SECONDS:-180}"
NODES=(1 2 3)
MAX_MESSAGE_SIZE=1048576

log() { printf '[local-rabbitmq-cluster] %s\n' "$*"; }
die() { printf '[local-rabbitmq-cluster] ERROR: %s\n' "$*" >&2; exit 2; }

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit 2
}

# ---------------------------------------------------------------------------------------------
# Arguments

COMMAND="${1:-}"
[[ -n "$COMMAND" ]] || usage
shift
TARGET_NODE=""
if [[ "$COMMAND" == "kill" || "$COMMAND" == "ctl" ]]; then
    TARGET_NODE="${1:-}"
    [[ "$TARGET_NODE" =~ ^[123]$ ]] || die "$COMMAND needs a node number, 1 to 3"
    shift
fi
DIR="${SALESYNC_RABBITMQ_CLUSTER_DIR:-/tmp/salesync-rabbitmq-cluster}"
BASE_PORT=""
MANAGEMENT=true
while (( $# > 0 )); do
    case "$1" in
        --dir) DIR="${2:?--dir needs a directory}"; shift 2 ;;
        --base-port) BASE_PORT="${2:?--base-port needs a port}"; shift 2 ;;
        --no-management) MANAGEMENT=false; shift ;;
        -h|--help) usage ;;
        --) shift; break ;;
        *) die "unknown argument: $1 (see $0 --help)" ;;
    esac
done
CTL_ARGS=("$@")
case "$COMMAND" in start|stop|status|kill) (( $# == 0 )) || die "unexpected arguments: $*" ;; ctl) ;; *) usage ;; esac

[[ -n "$DIR" ]] || die "--dir must name a directory of its own"
DIR="$(realpath -m -- "$DIR")"
case "$DIR" in
    /|"$HOME"|/etc|/etc/*|/var/lib/rabbitmq|/var/lib/rabbitmq/*|/usr|/usr/*)
        die "refusing to use $DIR: give the cluster a directory of its own" ;;
esac
if [[ "$COMMAND" == "start" ]]; then
    mkdir -p "$DIR"
elif [[ ! -d "$DIR" ]]; then
    log "no cluster in $DIR (nothing started there yet)"
    [[ "$COMMAND" == "stop" ]] && exit 0
    exit 1
fi

SAVED_BASE_PORT=""
if [[ -f "$DIR/base-port" ]]; then
    SAVED_BASE_PORT="$(cat "$DIR/base-port")"
fi
if [[ -z "$BASE_PORT" ]]; then
    BASE_PORT="${SAVED_BASE_PORT:-5681}"
elif [[ -n "$SAVED_BASE_PORT" && "$SAVED_BASE_PORT" != "$BASE_PORT" ]]; then
    die "$DIR holds a cluster on base port $SAVED_BASE_PORT; stop it and delete $DIR, or use another --dir"
fi
if ! [[ "$BASE_PORT" =~ ^[0-9]+$ ]] || (( BASE_PORT < 1024 || BASE_PORT + 20002 > 65535 )); then
    die "--base-port must be from 1024 to 45533 (distribution ports are base + 20000 to 20002)"
fi
(( BASE_PORT + 2 < 5672 || BASE_PORT > 5672 )) || die "--base-port $BASE_PORT would overlap the machine's broker on 5672"

amqp_port() { echo $((BASE_PORT + $1 - 1)); }
management_port() { echo $((BASE_PORT + 10000)); }
dist_port() { echo $((BASE_PORT + 20000 + $1 - 1)); }
node_name() { echo "salesync-$BASE_PORT-$1@localhost"; }
node_dir() { echo "$DIR/node-$1"; }

# ---------------------------------------------------------------------------------------------
# Helpers

port_open() {
    # shellcheck disable=SC2016  # expanded by the inner bash, on purpose
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# node_pid N: the pid of node N's Erlang VM if it runs, else nothing (exit 1). Checks that the
# process is this node (started with its node name), so a reused pid is never taken for it.
node_pid() {
    local file pid
    file="$(node_dir "$1")/node.pid"
    [[ -s "$file" ]] || return 1
    pid="$(tr -dc '0-9' < "$file")"
    [[ -n "$pid" && -r "/proc/$pid/environ" ]] || return 1
    tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx -- "RABBITMQ_NODENAME=$(node_name "$1")" || return 1
    echo "$pid"
}

# ctl N ARGS...: rabbitmqctl against node N with the cluster's cookie.
ctl() {
    local n="$1"
    shift
    HOME="$DIR" RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq-env.conf" \
        "$RABBITMQ_BIN/rabbitmqctl" -q -n "$(node_name "$n")" "$@"
}

# running_nodes N: the names of the cluster members node N sees running, sorted, one a line.
running_nodes() {
    ctl "$1" cluster_status --formatter json 2>/dev/null | grep -o '"running_nodes":\[[^]]*\]' \
        | sed -e 's/^"running_nodes":\[//' -e 's/\]$//' | tr ',' '\n' | tr -d '"' | grep . | sort
}

write_files() {
    local n peers="" i
    if [[ ! -s "$DIR/.erlang.cookie" ]]; then
        ( umask 077; head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > "$DIR/.erlang.cookie" )
    fi
    chmod 400 "$DIR/.erlang.cookie"
    echo "$BASE_PORT" > "$DIR/base-port"
    # An empty environment file of our own: /etc/rabbitmq/rabbitmq-env.conf names the machine's node.
    : > "$DIR/rabbitmq-env.conf"
    for i in "${NODES[@]}"; do
        peers+="cluster_formation.classic_config.nodes.$i = $(node_name "$i")"$'\n'
    done
    for n in "${NODES[@]}"; do
        local dir plugins
        dir="$(node_dir "$n")"
        mkdir -p "$dir/mnesia" "$dir/log"
        {
            echo "# node $n of the local salesync test cluster (scripts/local-rabbitmq-cluster.sh)"
            echo "listeners.tcp.default = 127.0.0.1:$(amqp_port "$n")"
            echo "cluster_formation.peer_discovery_backend = classic_config"
            printf '%s' "$peers"
            echo "load_definitions = $REPO_ROOT/rabbitmq/definitions.json"
            echo "max_message_size = $MAX_MESSAGE_SIZE"
            if [[ "$n" == 1 && "$MANAGEMENT" == true ]]; then
                echo "management.tcp.ip = 127.0.0.1"
                echo "management.tcp.port = $(management_port)"
            fi
        } > "$dir/rabbitmq.conf"
        plugins="[]."
        if [[ "$MANAGEMENT" == true ]]; then
            plugins=$([[ "$n" == 1 ]] && echo "[rabbitmq_management]." || echo "[rabbitmq_management_agent].")
        fi
        echo "$plugins" > "$dir/enabled_plugins"
    done
}

# check_ports N: node N (not running) would find its ports free.
check_ports() {
    local n="$1" port ports
    ports=("$(amqp_port "$n")" "$(dist_port "$n")")
    if [[ "$n" == 1 && "$MANAGEMENT" == true ]]; then
        ports+=("$(management_port)")
    fi
    for port in "${ports[@]}"; do
        if port_open "$port"; then
            die "port $port of node $n is taken by another process; choose another --base-port"
        fi
    done
}

start_node() {
    local n="$1" dir
    dir="$(node_dir "$n")"
    rm -f "$dir/node.pid"
    (
        cd "$dir"
        export HOME="$DIR"
        export RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq-env.conf"
        RABBITMQ_NODENAME="$(node_name "$n")"
        RABBITMQ_DIST_PORT="$(dist_port "$n")"
        export RABBITMQ_NODENAME RABBITMQ_DIST_PORT
        # Erlang distribution and epmd on the loopback interface only.
        export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
        export ERL_EPMD_ADDRESS=127.0.0.1
        export RABBITMQ_MNESIA_BASE="$dir/mnesia"
        export RABBITMQ_LOG_BASE="$dir/log"
        export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
        export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
        export RABBITMQ_PID_FILE="$dir/node.pid"
        # Its own session, no terminal: the node outlives this script and its caller's signals.
        setsid "$RABBITMQ_BIN/rabbitmq-server" >> "$dir/server.out" 2>&1 < /dev/null &
    )
    log "starting node $n: $(node_name "$n") on 127.0.0.1:$(amqp_port "$n") (log $dir/server.out)"
}

# wait_until COMMAND...: true once COMMAND succeeds, false after WAIT_SECONDS.
wait_until() {
    local deadline=$((SECONDS + WAIT_SECONDS))
    until "$@"; do
        if (( SECONDS >= deadline )); then
            return 1
        fi
        sleep 0.5
    done
}

node_accepts() { node_pid "$1" > /dev/null && port_open "$(amqp_port "$1")"; }

# collect_views: VIEWS[N] = the running cluster members node N sees, sorted, space-separated
# ("" when node N does not run or does not answer). Asks the nodes at once: each rabbitmqctl
# call takes a second or two.
declare -A VIEWS
collect_views() {
    local n tmp
    tmp="$(mktemp -d)"
    for n in "${NODES[@]}"; do
        ( if node_accepts "$n"; then running_nodes "$n" > "$tmp/$n" 2>/dev/null || true; fi ) &
    done
    wait
    for n in "${NODES[@]}"; do
        VIEWS[$n]="$(tr '\n' ' ' 2>/dev/null < "$tmp/$n" | sed 's/ $//' || true)"
    done
    rm -rf "$tmp"
}

# one_cluster_of_all: every node runs and sees all of them running.
one_cluster_of_all() {
    local n expected
    expected="$(for n in "${NODES[@]}"; do node_name "$n"; done | sort | tr '\n' ' ' | sed 's/ $//')"
    collect_views
    for n in "${NODES[@]}"; do
        [[ "${VIEWS[$n]}" == "$expected" ]] || return 1
    done
}

# ---------------------------------------------------------------------------------------------
# Commands

# print_status: the table and the verdict from VIEWS; true when all three run in one cluster.
print_status() {
    local n pid state management all_running=true
    printf '%-28s %-16s %-16s %s\n' NODE AMQP MANAGEMENT STATE
    for n in "${NODES[@]}"; do
        management="-"
        if [[ "$n" == 1 ]] && grep -q management.tcp.port "$(node_dir 1)/rabbitmq.conf" 2>/dev/null; then
            management="127.0.0.1:$(management_port)"
        fi
        if pid="$(node_pid "$n")"; then
            if port_open "$(amqp_port "$n")"; then
                state="running (pid $pid)"
            else
                state="starting (pid $pid)"
                all_running=false
            fi
        else
            state="stopped"
            all_running=false
        fi
        printf '%-28s %-16s %-16s %s\n' "$(node_name "$n")" "127.0.0.1:$(amqp_port "$n")" "$management" "$state"
    done
    local views=() distinct verdict
    for n in "${NODES[@]}"; do
        [[ -z "${VIEWS[$n]}" ]] || views+=("${VIEWS[$n]}")
    done
    if (( ${#views[@]} == 0 )); then
        verdict="no node answers"
        all_running=false
    else
        distinct="$(printf '%s\n' "${views[@]}" | sort -u | wc -l)"
        if (( distinct != 1 )); then
            verdict="NOT one cluster: the nodes see different members ($(printf '[%s] ' "${views[@]}"))"
            all_running=false
        else
            verdict="one cluster, $(wc -w <<< "${views[0]}") of ${#NODES[@]} nodes running"
            (( $(wc -w <<< "${views[0]}") == ${#NODES[@]} )) || all_running=false
        fi
    fi
    echo "cluster: $verdict (data in $DIR)"
    echo "salesync.broker.addresses=$(for n in "${NODES[@]}"; do printf '127.0.0.1:%s,' "$(amqp_port "$n")"; done | sed 's/,$//')"
    [[ "$all_running" == true ]]
}

status() {
    collect_views
    print_status
}

start() {
    [[ -x "$RABBITMQ_BIN/rabbitmq-server" ]] || die "no RabbitMQ server at $RABBITMQ_BIN/rabbitmq-server (set SALESYNC_RABBITMQ_BIN)"
    write_files
    local n stopped=() begin=$SECONDS
    for n in "${NODES[@]}"; do
        if node_pid "$n" > /dev/null; then
            log "node $n already running"
        else
            check_ports "$n"
            stopped+=("$n")
        fi
    done
    # All at once: nodes that stopped together wait at start for each other.
    for n in "${stopped[@]}"; do
        start_node "$n"
    done
    for n in "${NODES[@]}"; do
        if ! wait_until node_accepts "$n"; then
            tail -n 30 "$(node_dir "$n")/server.out" >&2 || true
            die "node $n did not accept AMQP connections on port $(amqp_port "$n") within ${WAIT_SECONDS}s (log above)"
        fi
    done
    if ! wait_until one_cluster_of_all; then
        print_status || true
        die "the nodes run but did not form one cluster within ${WAIT_SECONDS}s; see $DIR/node-*/log"
    fi
    if (( ${#stopped[@]} > 0 )); then
        log "started node(s) ${stopped[*]}; one cluster after $((SECONDS - begin)) s"
    fi
    print_status
}

stop_node() {
    local n="$1" pid
    pid="$(node_pid "$n")" || { log "node $n not running"; return 0; }
    log "stopping node $n (pid $pid)"
    ctl "$n" stop > /dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while node_pid "$n" > /dev/null && (( SECONDS < deadline )); do
        sleep 0.5
    done
    if node_pid "$n" > /dev/null; then
        log "node $n did not stop within 60 s; killing pid $pid"
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

stop() {
    local n
    # Together, so that no node waits at its next start for a peer that stopped after it.
    for n in "${NODES[@]}"; do
        stop_node "$n" &
    done
    wait
    status || true
}

kill_node() {
    local pid
    pid="$(node_pid "$TARGET_NODE")" || die "node $TARGET_NODE is not running"
    kill -KILL "$pid"
    log "killed node $TARGET_NODE (pid $pid) with SIGKILL"
}

case "$COMMAND" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    kill) kill_node ;;
    ctl) ctl "$TARGET_NODE" "${CTL_ARGS[@]}" ;;
esac
