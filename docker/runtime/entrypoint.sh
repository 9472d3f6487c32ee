#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# Entry of every Persona Node image (under tini): loads this container's own secrets, one file per
# variable named like the variable (DB_WRITER_PASSWORD, ...), from the read-only secrets volume that
# only this service mounts, then runs the process. Nothing secret is in the image or in `docker inspect`.
# PERSONA_SELF_SECRETS names secrets the process makes for itself on first start, kept in its own
# state volume (PERSONA_STATE_DIR): the session key, which no other container ever needs.
set -eu
dir="${PERSONA_SECRETS_DIR:-/run/secrets/persona}"
if [ -d "$dir" ]; then
  for f in "$dir"/*; do
    name="$(basename "$f")"
    case "$name" in [A-Z]*) ;; *) continue ;; esac
    case "$name" in *[!A-Z0-9_]*) continue ;; esac
    [ -f "$f" ] && export "$name=$(cat "$f")"
  done
fi
for name in ${PERSONA_SELF_SECRETS:-}; do
  f="${PERSONA_STATE_DIR:?PERSONA_STATE_DIR must be set with PERSONA_SELF_SECRETS}/$name"
  if [ ! -s "$f" ]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$f.tmp" && mv "$f.tmp" "$f")
  fi
  export "$name=$(cat "$f")"
done
exec "$@"
