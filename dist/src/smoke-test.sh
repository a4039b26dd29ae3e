#!/usr/bin/env bash
# Installs the head office's Debian package (as root, with apt-get, which brings what it depends on)
# and starts the installed command headless against the services of config/: it must connect to
# MySQL and RabbitMQ and consume. Then checks the menu entry, the icon, the command on the PATH and
# /etc/salesync, and removes the package again. Prints what it checked; exits non-zero on a failure.
#
# usage: dist/src/smoke-test.sh [DEB]   (default: dist/target/dist/salesync-head-office_*.deb)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
deb="${1:-$(ls dist/target/dist/salesync-head-office_*.deb 2>/dev/null | head -n 1)}"
[[ -f "$deb" ]] || { echo "smoke: no Debian package; build it with ./mvnw -B -ntp -Pdist package" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

fail() {
    echo "smoke: FAILED: $*" >&2
    [[ -f "${out:-}" ]] && tail -n 40 "$out" >&2
    exit 1
}

echo "smoke: installing $deb"
if ! apt-get install -y -q --no-install-recommends "./$deb" >/dev/null; then
    # the package lists may be missing or old on a fresh machine: read them, then try once more
    apt-get update -q >/dev/null || fail "apt-get update"
    apt-get install -y -q --no-install-recommends "./$deb" >/dev/null || fail "apt-get install"
fi

[[ -x /usr/bin/salesync-head-office ]] || fail "the command salesync-head-office is not on the PATH"
ls /usr/share/applications/*salesync-head-office*.desktop >/dev/null 2>&1 || fail "no menu entry in /usr/share/applications"
grep -q '^Icon=/opt/salesync-head-office/lib/salesync-head-office.png' /usr/share/applications/*salesync-head-office*.desktop \
    || fail "the menu entry has no icon"
[[ -f /etc/salesync/head-office.properties.example ]] || fail "no example configuration in /etc/salesync"
echo "smoke: command, menu entry, icon and /etc/salesync are in place"

out="$(mktemp)"
SALESYNC_CONFIG_DIR="$PWD/config" salesync-head-office status >"$out" 2>&1 || true
grep -q '^BRANCH' "$out" || fail "salesync-head-office status printed no table"
echo "smoke: salesync-head-office status answers"

SALESYNC_CONFIG_DIR="$PWD/config" salesync-head-office run --headless >"$out" 2>&1 &
pid=$!
for _ in $(seq 1 90); do
    grep -q 'Head office consuming' "$out" && break
    kill -0 "$pid" 2>/dev/null || fail "salesync-head-office run --headless stopped"
    sleep 1
done
grep -q 'Head office consuming' "$out" || { kill "$pid"; fail "not consuming after 90 s"; }
echo "smoke: salesync-head-office run --headless connected to MySQL and RabbitMQ and consumes"
kill -TERM "$pid"
wait "$pid" || true
grep -q 'Head office consumer stopped' "$out" || fail "it did not stop cleanly on SIGTERM"
rm -f "$out"

apt-get remove -y -q salesync-head-office >/dev/null || fail "apt-get remove"
[[ ! -e /usr/bin/salesync-head-office ]] || fail "the command is still on the PATH after removal"
echo "smoke: 1 passed, 0 failed"
