#!/bin/sh
# Entry point of the PostgreSQL stand-in image (.ci/container-lib.sh): what deploy/docker-compose.yml uses of
# the official postgres image. A first start initialises /var/lib/postgresql/data with the user
# POSTGRES_USER (password POSTGRES_PASSWORD) and the database POSTGRES_DB; then the server listens on 5432.
set -eu
PGDATA=/var/lib/postgresql/data
BIN=/usr/lib/postgresql/15/bin
if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
    "$BIN/initdb" -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 > /dev/null
    rm -f /tmp/pwfile
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    "$BIN/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w start > /dev/null
    if [ "${POSTGRES_DB:-$POSTGRES_USER}" != postgres ]; then
        "$BIN/psql" -U "$POSTGRES_USER" -d postgres -qc "CREATE DATABASE \"${POSTGRES_DB:-$POSTGRES_USER}\""
    fi
    "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop > /dev/null
fi
exec "$BIN/postgres" -D "$PGDATA" -c listen_addresses='*'
