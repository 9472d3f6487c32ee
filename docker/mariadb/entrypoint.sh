#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# MariaDB master or replica (PERSONA_DB_ROLE) from Debian's mariadb-server-core, as uid 1000 on a
# read-only root. First start (empty data volume): creates the data directory and runs a one-time init
# file -- on the master the DBA and replication accounts (DB_ACCOUNTS_SQL, password hashes the init job
# wrote: the master never sees a password), on a replica CHANGE MASTER to PERSONA_DB_MASTER_HOST with
# GTID (DB_REPLICATION_PASSWORD). Later starts resume. Every server of the replication topology needs
# its own PERSONA_DB_SERVER_ID. Secrets are files in PERSONA_SECRETS_DIR (the deployment contract).
set -eu
role="${PERSONA_DB_ROLE:?set PERSONA_DB_ROLE to master or replica}"
server_id="${PERSONA_DB_SERVER_ID:?set PERSONA_DB_SERVER_ID (unique per server)}"
case "$server_id" in '' | *[!0-9]*) echo "PERSONA_DB_SERVER_ID must be a number" >&2; exit 2 ;; esac
data=/var/lib/mysql
secrets="${PERSONA_SECRETS_DIR:-/run/secrets/persona}"
if [ ! -w "$data" ]; then
  echo "mariadb-$role: $data is not writable by uid $(id -u) (chown $(id -u):$(id -g) it)" >&2
  exit 1
fi
need() { [ -s "$secrets/$1" ] || { echo "mariadb-$role: secret file $secrets/$1 is missing" >&2; exit 1; }; }
common="--datadir=$data --socket=/tmp/mysqld.sock --pid-file=/tmp/mysqld.pid --tmpdir=/tmp
  --bind-address=0.0.0.0 --port=3306 --skip-name-resolve --character-set-server=utf8mb4
  --collation-server=utf8mb4_unicode_ci --log-bin=mysql-bin --binlog-format=ROW --gtid-strict-mode=ON
  --log-slave-updates=ON --innodb-buffer-pool-size=64M --innodb-log-file-size=32M --performance-schema=OFF
  --skip-log-error --console"
case "$role" in
  master) roleopts="--server-id=$server_id" ;;
  replica) roleopts="--server-id=$server_id --read-only=ON --relay-log=relay-bin --slave-net-timeout=10" ;;
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
      need DB_ACCOUNTS_SQL
      cat "$secrets/DB_ACCOUNTS_SQL"
    else
      need DB_REPLICATION_PASSWORD
      master="${PERSONA_DB_MASTER_HOST:?a replica needs PERSONA_DB_MASTER_HOST}"
      pw="$(cat "$secrets/DB_REPLICATION_PASSWORD")"
      echo "CHANGE MASTER TO MASTER_HOST='$master', MASTER_PORT=3306,"
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
