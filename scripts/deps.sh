#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for `make dev` and `make test`: Debian packages only when
# their command is absent (saying which), then `npm ci` when node_modules is missing or stale.
# Usage: scripts/deps.sh [dev|test|bench|multi]   (test also wants chromium, docker, graphviz, debootstrap;
# bench wants wrk, the load generator that costs the machine least, and vegeta, a constant-arrival-rate
# one built from the Go module proxy into .tools/bin; multi and test want PowerDNS, the two-cluster
# simulation's DNS server with health-checked records; test, multi and dev with MONITOR=1 want
# Prometheus, Alertmanager, the blackbox exporter and the mysqld exporter)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-dev}"
# command -> Debian package
declare -A want=([mariadbd]=mariadb-server [mariadb]=mariadb-client [nginx]=nginx-light)
if [ "$mode" = test ]; then
  want+=([chromium]=chromium [dot]=graphviz [unzip]=unzip [debootstrap]=debootstrap [ip]=iproute2
    [dockerd]=docker.io [docker-compose]=docker-compose [docker-registry]=docker-registry [openssl]=openssl)
  # A C compiler builds the browser tests' preload that keeps Chromium blind to the network changes other
  # tests make (test/browser/no-netlink.c).
  want+=([cc]=gcc)
fi
if [ "$mode" = test ] || [ "$mode" = multi ]; then
  want+=([pdns_server]=pdns-server [ip]=iproute2 [openssl]=openssl)
  # The bind backend serves the simulation's zone files (its LUA records carry the health checks).
  if [ ! -e /usr/lib/x86_64-linux-gnu/pdns/libbindbackend.so ] && ! ls /usr/lib/*/pdns/libbindbackend.so >/dev/null 2>&1; then
    want+=([pdns-backend-bind]=pdns-backend-bind)
  fi
fi
if [ "$mode" = bench ]; then
  want+=([wrk]=wrk)
  if ! command -v go >/dev/null 2>&1 && ! [ -x /usr/local/go/bin/go ]; then want+=([go]=golang-go); fi
fi
# Monitoring (monitoring/): the tests, make multi, and `make dev` with MONITOR=1.
if [ "$mode" = test ] || [ "$mode" = multi ] || [ "${MONITOR:-}" = 1 ]; then
  want+=([prometheus]=prometheus [prometheus-alertmanager]=prometheus-alertmanager
    [prometheus-blackbox-exporter]=prometheus-blackbox-exporter
    [prometheus-mysqld-exporter]=prometheus-mysqld-exporter)
fi
# Schemathesis runs from a Python virtualenv (Debian's python3 lacks venv without python3-venv).
if [ "$mode" = test ]; then
  want+=([python3]=python3)
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then want+=([python3-venv]=python3-venv); fi
fi
missing=()
for cmd in "${!want[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$cmd" ]; then missing+=("${want[$cmd]}"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  pkgs="$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
  echo "deps: installing Debian packages: $pkgs"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
fi
# Debian starts services it installs; Persona runs its own on loopback ports, so stop the system ones.
for svc in mariadb nginx pdns prometheus prometheus-alertmanager prometheus-blackbox-exporter prometheus-mysqld-exporter docker-registry; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    echo "deps: stopping the system $svc service (Persona starts its own)"; systemctl stop "$svc" || true
  fi
done
cd "$root"
stamp="node_modules/.persona-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "deps: npm ci (package-lock.json changed or node_modules missing)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
# vegeta (MIT; constant arrival rate, so latency under load is not hidden) for the benchmarks.
VEGETA_VERSION=v12.12.0
if [ "$mode" = bench ] && ! [ -x "$root/.tools/bin/vegeta" ]; then
  echo "deps: building vegeta $VEGETA_VERSION from the Go module proxy into .tools/bin"
  PATH="$PATH:/usr/local/go/bin" GOBIN="$root/.tools/bin" go install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION" ||
    echo "deps: vegeta could not be built; the benchmarks will say so"
fi
# The AWS stand-ins of the infra tests (AWS itself cannot run here): moto's server (the emulator
# Terraform applies against) and the AWS CLI the host boot scripts call, in a git-ignored virtualenv.
if [ "$mode" = test ] && [ ! -x .tools/aws-venv/bin/moto_server ]; then
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "deps: installing Debian package python3-venv"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
  fi
  echo "deps: moto[server] and awscli from PyPI into .tools/aws-venv (the AWS emulator of the infra tests)"
  rm -rf .tools/aws-venv
  python3 -m venv .tools/aws-venv
  .tools/aws-venv/bin/pip install --quiet --disable-pip-version-check 'moto[server]==5.2.5' 'awscli==1.46.3'
fi
# Schemathesis (MIT) fuzzes the public API's OpenAPI description against the live stack in make test:
# from PyPI, pinned, into the git-ignored virtualenv .tools/schemathesis.
SCHEMATHESIS_VERSION=4.32.5
st="$root/.tools/schemathesis/bin/st"
if [ "$mode" = test ] && ! { [ -x "$st" ] && "$st" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; }; then
  echo "deps: installing Schemathesis $SCHEMATHESIS_VERSION from PyPI into .tools/schemathesis"
  rm -rf "$root/.tools/schemathesis"
  python3 -m venv "$root/.tools/schemathesis"
  "$root/.tools/schemathesis/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
