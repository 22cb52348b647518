#!/usr/bin/env bash
# A throw-away PostgreSQL for the cluster test, from Debian's package (installed when missing).
#   scripts/postgres.sh start DIR PORT   initialises DIR, starts PostgreSQL on 127.0.0.1:PORT with a database
#                                        "keycloak" owned by user keycloak/keycloak
#   scripts/postgres.sh stop DIR         stops it and deletes DIR
set -euo pipefail
cmd=$1
dir=$2
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    echo "The cluster test needs Debian's postgresql package; install it as root: apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "Installing postgresql for the cluster test..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    port=$3
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; fi
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
    as_postgres "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres \
      -c "create user keycloak password 'keycloak'" -c "create database keycloak owner keycloak"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
