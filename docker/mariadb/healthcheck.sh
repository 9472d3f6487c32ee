#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# MariaDB healthcheck: the master answers a query; the replica is healthy only while both replication
# threads (IO and SQL) run.
set -eu
q() { mariadb --socket=/tmp/mysqld.sock -N -B -e "$1"; }
if [ "${PERSONA_DB_ROLE:-}" = replica ]; then
  status="$(mariadb --socket=/tmp/mysqld.sock -e 'SHOW SLAVE STATUS\G')"
  echo "$status" | grep -q '^ *Slave_IO_Running: Yes$' || exit 1
  echo "$status" | grep -q '^ *Slave_SQL_Running: Yes$' || exit 1
else
  [ "$(q 'SELECT 1')" = 1 ]
fi
