#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# prometheus-mysqld-exporter beside one MariaDB (MYSQLD_HOST, MYSQLD_PORT): it reads its password only
# from a my.cnf, so the secret file DB_MONITOR_PASSWORD becomes one on the tmpfs (mode 0600), never an
# environment value. The account persona_monitor is made by init (server and replication status only).
set -eu
secret="${PERSONA_SECRETS_DIR:-/run/secrets/persona}/DB_MONITOR_PASSWORD"
[ -r "$secret" ] || { echo "mysqld-exporter: no $secret (is the secrets volume mounted?)" >&2; exit 1; }
umask 077
cnf=/tmp/persona-monitor.my.cnf
printf '[client]\nuser=persona_monitor\npassword=%s\nhost=%s\nport=%s\n' \
  "$(cat "$secret")" "${MYSQLD_HOST:?MYSQLD_HOST names the database}" "${MYSQLD_PORT:-3306}" >"$cnf"
exec /usr/bin/prometheus-mysqld-exporter --config.my-cnf="$cnf" --web.listen-address=0.0.0.0:9104 \
  --collect.binlog_size --log.level=warn "$@"
