#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Waits until every container of a compose project is healthy (or, for the one-shot init jobs, has
# exited 0); on failure or timeout prints which one and its last log lines, and exits 1.
# Usage: docker/wait-healthy.sh <project> [timeout-seconds]
set -euo pipefail
project="${1:?usage: wait-healthy.sh <project> [timeout]}"
timeout="${2:-300}"
docker="${DOCKER:-docker}"
deadline=$((SECONDS + timeout))
while :; do
  pending=()
  failed=""
  ids="$("$docker" ps -aq --filter "label=com.docker.compose.project=$project")"
  [ -n "$ids" ] || { echo "wait-healthy: no containers in project $project" >&2; exit 1; }
  while IFS='|' read -r name state exit health oneoff; do
    name="${name#/}"
    if [ -z "$health" ]; then
      # No healthcheck: a one-shot job must have exited 0, anything else must be running.
      if [ "$state" = exited ]; then [ "$exit" = 0 ] || failed="$name exited with $exit"
      elif [ "$state" != running ]; then pending+=("$name:$state"); fi
    elif [ "$health" != healthy ]; then
      [ "$state" = exited ] && failed="$name exited with $exit"
      pending+=("$name:$health")
    fi
  done < <("$docker" inspect --format \
    '{{.Name}}|{{.State.Status}}|{{.State.ExitCode}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}|' $ids)
  if [ -n "$failed" ]; then
    echo "wait-healthy: $failed" >&2
    "$docker" logs --tail 30 "${failed%% *}" >&2 || true
    exit 1
  fi
  [ ${#pending[@]} -eq 0 ] && exit 0
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "wait-healthy: not healthy after ${timeout}s: ${pending[*]}" >&2
    for p in "${pending[@]}"; do "$docker" logs --tail 20 "${p%%:*}" >&2 || true; done
    exit 1
  fi
  sleep 1
done
