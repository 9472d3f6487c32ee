#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Starts the Docker daemon when it is installed but not running (CI machines, as root; measured here:
# about 3 s, overlay2 storage). Does nothing where `docker info` already answers (Docker Desktop, a
# system service). Fails loudly otherwise: the container tests must not be skipped silently.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
dockerd_bin="$(command -v dockerd || echo /usr/sbin/dockerd)"
if [ ! -x "$dockerd_bin" ]; then
  echo "start-dockerd: dockerd is not installed (Debian: apt-get install docker.io docker-compose)" >&2
  exit 1
fi
if pgrep -x dockerd >/dev/null 2>&1; then
  echo "start-dockerd: dockerd runs but \`docker info\` fails (DOCKER_HOST=${DOCKER_HOST:-unset}?)" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "start-dockerd: the Docker daemon is not running; start it (sudo systemctl start docker)" >&2
  exit 1
fi
echo "start-dockerd: starting $dockerd_bin (log: /var/log/persona-dockerd.log)" >&2
# /24 networks from a /14: the stack uses 17 networks (one per flow), and Docker's default pools
# (/16 and /20 each) run out at about 30, i.e. before two stacks (make up and the test) fit.
# The daemon outlives whoever started it, so it keeps no descriptor of theirs beyond stdio: an inherited
# lock file (a test runner's flock) would otherwise stay locked for as long as dockerd runs.
(
  for fd in /proc/self/fd/*; do
    n=${fd##*/}
    if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi
  done 2>/dev/null
  exec setsid "$dockerd_bin" --default-address-pool base=172.20.0.0/14,size=24 \
    >/var/log/persona-dockerd.log 2>&1 </dev/null
) &
for _ in $(seq 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 0.5
done
echo "start-dockerd: dockerd did not answer within 30 s; see /var/log/persona-dockerd.log" >&2
exit 1
