#!/usr/bin/env bash
# Installs the system packages the tests use when they are missing: nats-server (the tests
# start their own), chromium (the docs page test) and prometheus (promtool, the observability
# config tests). Debian/Ubuntu with root, else it says what to install by hand.
set -euo pipefail

missing=()
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing system packages: ${missing[*]}; install them (e.g. sudo apt-get install ${missing[*]}) and retry" >&2
  exit 1
fi
echo "installing ${missing[*]} with apt-get"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
