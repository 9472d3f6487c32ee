#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# MariaDB master or replica (PERSONA_DB_ROLE) from Debian's mariadb-server-core, as uid 1000 on a
# read-only root. First start (empty data volume): creates the data directory and runs a one-time init
# file -- on the master the admin and replication accounts (from password hashes the init service wrote:
# the master never sees a password), on the replica CHANGE MASTER with GTID. Later starts resume.
set -eu
role="${PERSONA_DB_ROLE:?set PERSONA_DB_ROLE to master or replica}"
data=/var/lib/mysql
secrets="${PERSONA_SECRETS_DIR:-/run/secrets/persona}"
common="--datadir=$data --socket=/tmp/mysqld.sock --pid-file=/tmp/mysqld.pid --tmpdir=/tmp
  --bind-address=0.0.0.0 --port=3306 --skip-name-resolve --character-set-server=utf8mb4
  --collation-server=utf8mb4_unicode_ci --log-bin=mysql-bin --binlog-format=ROW --gtid-strict-mode=ON
  --log-slave-updates=ON --innodb-buffer-pool-size=64M --innodb-log-file-size=32M --performance-schema=OFF
  --skip-log-error --console"
case "$role" in
  master) roleopts="--server-id=1" ;;
  replica) roleopts="--server-id=2 --read-only=ON --relay-log=relay-bin --slave-net-timeout=10" ;;
  *) echo "PERSONA_DB_ROLE must be master or replica" >&2; exit 2 ;;
esac
init=""
if [ ! -d "$data/mysql" ]; then
  echo "mariadb-$role: first start, creating the data directory"
  mariadb-install-db --datadir="$data" --auth-root-authentication-method=socket --skip-test-db \
    --skip-name-resolve >/tmp/install-db.log 2>&1 || { cat /tmp/install-db.log >&2; exit 1; }
  me="$(id -un)"
  init=/tmp/first-start.sql
  {
    echo "SET sql_log_bin=0;"
    # The local OS user (healthchecks, this script) by unix socket only.
    echo "CREATE USER IF NOT EXISTS '$me'@'localhost' IDENTIFIED VIA unix_socket;"
    echo "GRANT ALL PRIVILEGES ON *.* TO '$me'@'localhost' WITH GRANT OPTION;"
    if [ "$role" = master ]; then
      cat "$secrets/accounts.sql"
    else
      pw="$(cat "$secrets/DB_REPLICATION_PASSWORD")"
      echo "CHANGE MASTER TO MASTER_HOST='${PERSONA_DB_MASTER_HOST:-db-master}', MASTER_PORT=3306,"
      echo "  MASTER_USER='repl', MASTER_PASSWORD='$pw', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=2;"
      echo "START SLAVE;"
    fi
  } >"$init"
fi
# shellcheck disable=SC2086
if [ -n "$init" ]; then
  exec mariadbd $common $roleopts --init-file="$init"
fi
# shellcheck disable=SC2086
exec mariadbd $common $roleopts
