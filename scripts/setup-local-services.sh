#!/usr/bin/env bash
# Prepare the local MariaDB and RabbitMQ for salesync on a Debian machine without Docker
# (CI machines, developers who do not use docker compose). Run as root from anywhere.
#
# Idempotent: run it as often as you like. It
#   1. makes sure MariaDB answers on MYSQL_HOST:MYSQL_PORT (starts the local mariadbd if not),
#   2. makes sure RabbitMQ answers on RABBITMQ_PORT (starts the local node if not),
#   3. enables the rabbitmq_management plugin and waits for RABBITMQ_MANAGEMENT_PORT,
#   4. applies sql/init/*.sql as the MariaDB root user (schemas, users, grants),
#   5. drops anonymous MariaDB users (see below),
#   6. imports rabbitmq/definitions.json (vhost, users, permissions) into the local broker,
#   7. limits the size of a message to 1 MiB (max_message_size, as rabbitmq/rabbitmq.conf does for
#      docker compose): in the node's configuration file for its next start, and on the running node,
#   8. checks that every application user can log in.
#
# DEVELOPMENT ONLY: the credentials used by the checks in step 8 are the development values
# from sql/init and rabbitmq/definitions.json. Never use them on a real deployment.
#
# Environment (all optional):
#   MYSQL_HOST (127.0.0.1)  MYSQL_PORT (3306)  MYSQL_ROOT_USER (root)  MYSQL_ROOT_PASSWORD (empty)
#   RABBITMQ_PORT (5672)    RABBITMQ_MANAGEMENT_PORT (15672)           WAIT_SECONDS (60)
# RabbitMQ is always configured through rabbitmqctl on the local node.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MYSQL_HOST="${MYSQL_HOST:-127.0.0.1}"
MYSQL_PORT="${MYSQL_PORT:-3306}"
MYSQL_ROOT_USER="${MYSQL_ROOT_USER:-root}"
MYSQL_ROOT_PASSWORD="${MYSQL_ROOT_PASSWORD:-}"
RABBITMQ_PORT="${RABBITMQ_PORT:-5672}"
RABBITMQ_MANAGEMENT_PORT="${RABBITMQ_MANAGEMENT_PORT:-15672}"
WAIT_SECONDS="${WAIT_SECONDS:-60}"
# Largest message body RabbitMQ accepts, in bytes (the same value as rabbitmq/rabbitmq.conf).
MAX_MESSAGE_SIZE=1048576

log() { printf '[setup-local-services] %s\n' "$*"; }
die() { printf '[setup-local-services] ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$(id -u)" -eq 0 ]] || die "run as root (it starts services and uses rabbitmqctl)"

# port_open HOST PORT: true if a TCP connection can be opened.
port_open() {
    # shellcheck disable=SC2016  # $1/$2 are expanded by the inner bash, on purpose
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# wait_for_port NAME HOST PORT: wait up to WAIT_SECONDS, fail with a clear message.
wait_for_port() {
    local name="$1" host="$2" port="$3" waited=0
    until port_open "$host" "$port"; do
        if (( waited >= WAIT_SECONDS )); then
            die "$name did not answer on $host:$port within ${WAIT_SECONDS}s"
        fi
        sleep 1
        waited=$((waited + 1))
    done
    log "$name answers on $host:$port"
}

is_local_host() {
    [[ "$1" == "127.0.0.1" || "$1" == "localhost" || "$1" == "::1" ]]
}

# ---------------------------------------------------------------------------------------------
# 1. MariaDB
if port_open "$MYSQL_HOST" "$MYSQL_PORT"; then
    log "MariaDB already running on $MYSQL_HOST:$MYSQL_PORT"
elif is_local_host "$MYSQL_HOST"; then
    log "MariaDB not answering on $MYSQL_HOST:$MYSQL_PORT, starting /usr/sbin/mariadbd"
    [[ -x /usr/sbin/mariadbd ]] || die "/usr/sbin/mariadbd not found (apt-get install mariadb-server)"
    # The Debian init script normally creates the socket directory; do it here too.
    install -d -o mysql -g mysql -m 0755 /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for_port "MariaDB" "$MYSQL_HOST" "$MYSQL_PORT"
else
    log "MariaDB on remote host $MYSQL_HOST is not started by this script, waiting for it"
    wait_for_port "MariaDB" "$MYSQL_HOST" "$MYSQL_PORT"
fi

# ---------------------------------------------------------------------------------------------
# 2. RabbitMQ
if port_open 127.0.0.1 "$RABBITMQ_PORT"; then
    log "RabbitMQ already running on 127.0.0.1:$RABBITMQ_PORT"
else
    if rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
        # The node is up but still booting: do not start a second one, just wait.
        log "RabbitMQ node is booting, waiting for port $RABBITMQ_PORT"
    else
        log "RabbitMQ not answering on 127.0.0.1:$RABBITMQ_PORT, starting it (rabbitmq-server -detached)"
        rabbitmq-server -detached
    fi
    wait_for_port "RabbitMQ" 127.0.0.1 "$RABBITMQ_PORT"
fi

# ---------------------------------------------------------------------------------------------
# 3. Management plugin (management UI and HTTP API on 15672)
# "enable" is idempotent: it reports "Plugin configuration unchanged" when already enabled.
log "enabling rabbitmq_management plugin"
rabbitmq-plugins -q enable rabbitmq_management >/dev/null || die "rabbitmq-plugins enable rabbitmq_management failed"
wait_for_port "RabbitMQ management" 127.0.0.1 "$RABBITMQ_MANAGEMENT_PORT"

# ---------------------------------------------------------------------------------------------
# 4. MariaDB schemas, users and grants
if command -v mariadb >/dev/null 2>&1; then
    MYSQL_CLIENT=mariadb
elif command -v mysql >/dev/null 2>&1; then
    MYSQL_CLIENT=mysql
else
    die "no mariadb/mysql client found (apt-get install mariadb-client)"
fi

# Root password, if any, goes through the environment, not the command line.
if [[ -n "$MYSQL_ROOT_PASSWORD" ]]; then
    export MYSQL_PWD="$MYSQL_ROOT_PASSWORD"
fi
MYSQL_ROOT_VIA=tcp
mysql_root() {
    if [[ "$MYSQL_ROOT_VIA" == socket ]]; then
        "$MYSQL_CLIENT" -u "$MYSQL_ROOT_USER" --batch --skip-column-names "$@"
    else
        "$MYSQL_CLIENT" --protocol=TCP -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_ROOT_USER" \
            --batch --skip-column-names "$@"
    fi
}
# A stock Debian MariaDB has only root@localhost authenticated by unix_socket (no TCP root log-in).
# Fall back to the local socket then; the application users are still checked over TCP below.
if ! mysql_root -e 'SELECT 1' >/dev/null 2>&1; then
    if is_local_host "$MYSQL_HOST" && MYSQL_ROOT_VIA=socket mysql_root -e 'SELECT 1' >/dev/null 2>&1; then
        MYSQL_ROOT_VIA=socket
        log "MariaDB root cannot log in over TCP, using the local socket"
    else
        die "cannot log in to MariaDB at $MYSQL_HOST:$MYSQL_PORT as $MYSQL_ROOT_USER (set MYSQL_ROOT_PASSWORD?)"
    fi
fi

shopt -s nullglob
sql_files=("$REPO_ROOT"/sql/init/*.sql)
shopt -u nullglob
(( ${#sql_files[@]} > 0 )) || die "no SQL files in $REPO_ROOT/sql/init"
for f in "${sql_files[@]}"; do
    log "applying ${f#"$REPO_ROOT"/} to MariaDB as $MYSQL_ROOT_USER"
    mysql_root < "$f" || die "applying $f failed"
done

# ---------------------------------------------------------------------------------------------
# 5. Anonymous users.
# A default MariaDB/MySQL install may contain anonymous accounts (''@'localhost', ''@'127.0.0.1',
# ''@'<hostname>'). The server matches the most specific host first, so an anonymous account on
# 'localhost' or '127.0.0.1' wins over 'salesync_bo1'@'%' and the application user is refused
# ("Access denied ... using password: YES") although its password is right. Checked on MariaDB
# 10.11: ''@'127.0.0.1' breaks TCP log-ins from 127.0.0.1, ''@'localhost' breaks socket log-ins
# (and TCP ones when name resolution is on). Anonymous accounts serve no purpose here: drop them.
anon_hosts="$(mysql_root -e "SELECT Host FROM mysql.user WHERE User = ''")"
if [[ -z "$anon_hosts" ]]; then
    log "no anonymous MariaDB users"
else
    while IFS= read -r host; do
        [[ -n "$host" ]] || continue
        log "dropping anonymous MariaDB user ''@'$host' (it would shadow the '%' application users)"
        # Host values come from mysql.user itself; escape quotes and backslashes anyway.
        esc="${host//\\/\\\\}"
        esc="${esc//\'/\\\'}"
        mysql_root -e "DROP USER ''@'$esc'"
    done <<< "$anon_hosts"
fi

# ---------------------------------------------------------------------------------------------
# 6. RabbitMQ vhost, users, permissions
# rabbitmqctl runs as the rabbitmq user from /var/lib/rabbitmq, so it cannot read a relative path
# (nor a checkout under /root). Hand it a world-readable temporary copy.
definitions="$REPO_ROOT/rabbitmq/definitions.json"
[[ -f "$definitions" ]] || die "$definitions not found"
tmp_definitions="$(mktemp /tmp/salesync-definitions.XXXXXX.json)"
trap 'rm -f "$tmp_definitions"' EXIT
cp "$definitions" "$tmp_definitions"
chmod 0644 "$tmp_definitions"
log "importing rabbitmq/definitions.json into the local RabbitMQ node"
rabbitmqctl -q import_definitions "$tmp_definitions" >/dev/null || die "rabbitmqctl import_definitions failed"

# The import is asynchronous: wait until every user in the file has its permissions.
mapfile -t rabbit_users < <(grep -o '"user": *"[^"]*"' "$definitions" | sed 's/.*"\([^"]*\)"$/\1/' | sort -u)
waited=0
until missing="$(comm -23 <(printf '%s\n' "${rabbit_users[@]}") \
        <(rabbitmqctl -q list_permissions -p salesync 2>/dev/null | awk 'NR>1 || $1!="user" {print $1}' | sort -u))" \
      && [[ -z "$missing" ]]; do
    if (( waited >= WAIT_SECONDS )); then
        die "RabbitMQ users missing on vhost salesync after import: $(echo "$missing" | tr '\n' ' ')"
    fi
    sleep 1
    waited=$((waited + 1))
done
log "RabbitMQ vhost salesync has users: ${rabbit_users[*]}"

# ---------------------------------------------------------------------------------------------
# 7. Message size limit.
# The node reads max_message_size from its configuration file when it starts, and each channel
# takes the value in force when it opens, so application:set_env applies it to the running node for
# every channel opened afterwards (checked on RabbitMQ 3.10: a 2 MiB publish on a new channel is
# refused). Both, so that the limit holds now and after a restart.
rabbit_config="$(rabbitmqctl -q eval 'io:format("~s~n", [hd(proplists:get_value(config_files, rabbit:status(), []) ++ [""])]).' \
    2>/dev/null | head -n 1)" || rabbit_config=""
if [[ "$rabbit_config" != *.conf ]]; then
    # The node runs without a (new-style) configuration file: it reads the default one at its next start.
    rabbit_config=/etc/rabbitmq/rabbitmq.conf
fi
if [[ -f "$rabbit_config" ]] && grep -Eq '^[[:space:]]*max_message_size[[:space:]]*=' "$rabbit_config"; then
    sed -i -E "s/^[[:space:]]*max_message_size[[:space:]]*=.*/max_message_size = $MAX_MESSAGE_SIZE/" "$rabbit_config"
else
    install -d -m 0755 "$(dirname "$rabbit_config")"
    if [[ -s "$rabbit_config" && -n "$(tail -c 1 "$rabbit_config")" ]]; then
        echo >> "$rabbit_config"   # the file's last line has no newline
    fi
    printf '# salesync: largest message RabbitMQ accepts, in bytes (scripts/setup-local-services.sh)\nmax_message_size = %s\n' \
        "$MAX_MESSAGE_SIZE" >> "$rabbit_config"
fi
log "max_message_size = $MAX_MESSAGE_SIZE in $rabbit_config"
rabbitmqctl -q eval "application:set_env(rabbit, max_message_size, $MAX_MESSAGE_SIZE)." >/dev/null \
    || die "cannot set max_message_size on the running RabbitMQ node"
applied="$(rabbitmqctl -q eval 'application:get_env(rabbit, max_message_size).')"
[[ "$applied" == "{ok,$MAX_MESSAGE_SIZE}" ]] \
    || die "RabbitMQ reports max_message_size $applied after setting it to $MAX_MESSAGE_SIZE"
log "RabbitMQ refuses messages over $MAX_MESSAGE_SIZE bytes (on channels opened from now on)"

# ---------------------------------------------------------------------------------------------
# 8. Log-in checks with the DEVELOPMENT credentials.
unset MYSQL_PWD
for triple in ho:ho:dev-only-ho bo1:bo1:dev-only-bo1 bo2:bo2:dev-only-bo2 \
              ho_owner:ho:dev-only-ho-owner bo1_owner:bo1:dev-only-bo1-owner bo2_owner:bo2:dev-only-bo2-owner \
              ho_view:ho:dev-only-ho-view; do
    user="salesync_${triple%%:*}" rest="${triple#*:}"
    schema="salesync_${rest%%:*}" pw="${rest#*:}"
    MYSQL_PWD="$pw" "$MYSQL_CLIENT" --protocol=TCP -h "$MYSQL_HOST" -P "$MYSQL_PORT" \
        -u "$user" --batch --skip-column-names -e 'SELECT 1' "$schema" >/dev/null \
        || die "MariaDB user $user cannot log in to schema $schema"
done
log "MariaDB users salesync_{ho,bo1,bo2}, their _owner users and salesync_ho_view can log in over TCP"
for pair in ho:dev-only-ho bo1:dev-only-bo1 bo2:dev-only-bo2 salesync-admin:dev-only-admin; do
    rabbitmqctl -q authenticate_user "${pair%%:*}" "${pair#*:}" >/dev/null \
        || die "RabbitMQ user ${pair%%:*} cannot authenticate"
done
log "RabbitMQ users ho, bo1, bo2, salesync-admin authenticate"
log "done"
