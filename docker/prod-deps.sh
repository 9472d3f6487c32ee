#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# Docker build step: production dependencies of the workspaces listed in $1 (`-w dir ...`, written by
# docker/plan.ts), offline from the npm cache of the npm-cache stage, into a fresh node_modules.
set -eu
rm -rf node_modules
if [ -s "$1" ]; then
  # shellcheck disable=SC2046
  npm ci --offline --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error $(cat "$1")
else
  mkdir node_modules
fi
