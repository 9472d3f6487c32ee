# The store's targets (services/store): the local MariaDB master + replica and failover.
.PHONY: db-start db-promote db-status db-migrate

## make db-start: MariaDB master + replica in .dev/db (kept across restarts), foreground; Ctrl-C stops.
db-start:
	node services/store/src/cli.ts start --dir .dev/db

## make db-promote: failover: turn the .dev/db replica into the master (then re-point the writer).
db-promote:
	node services/store/src/cli.ts promote --dir .dev/db

## make db-status: role, ports, GTID positions and replication state of .dev/db.
db-status:
	node services/store/src/cli.ts status --dir .dev/db

## make db-migrate: apply pending migrations to the .dev/db master as persona_admin.
db-migrate:
	node services/store/src/cli.ts migrate --dir .dev/db
