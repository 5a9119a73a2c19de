#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS server for the tests (issue 18): initdb in a temporary
# folder, listening only on a Unix socket in that folder (no TCP), database "huqian" with
# the postgis extension, and a role "planner" that must give a password (for the test that
# a wrong password never appears in a message).
#   pg_server.sh start STATE_FILE   writes the connection string "host=DIR port=P dbname=huqian user=..."
#   pg_server.sh stop STATE_FILE    stops the server and removes the folder
# initdb refuses to run as root: as root the server runs as the user "postgres" (created by
# Debian's postgresql package); as a normal user it runs as that user. Any failure exits 1
# (the CTest fixture then fails, and so does every test that needs the server).
set -euo pipefail
cmd=${1:?start|stop}
state=${2:?state file}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "pg_server: no PostgreSQL server found (cmake/install-deps.sh installs it)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  if [ -f "$state.dir" ]; then "$0" stop "$state" || true; fi
  dir=$(mktemp -d /tmp/huqian-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 755 "$dir"
  echo "$dir" > "$state.dir"
  user=$(if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi)
  as_owner "$bindir/initdb" -D "$dir/data" -U "$user" -E UTF8 --locale=C.UTF-8 --auth-local=trust >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # The planner role authenticates with a password; everyone else is trusted on the socket.
  as_owner sh -c "printf 'local all planner scram-sha-256\nlocal all all trust\n' > '$dir/data/pg_hba.conf'"
  port=54329
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c max_connections=60" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U "$user")
  "${psql[@]}" -d postgres -c "CREATE DATABASE huqian ENCODING 'UTF8' TEMPLATE template0"
  "${psql[@]}" -d huqian -c "CREATE EXTENSION postgis" \
    -c "CREATE ROLE planner LOGIN PASSWORD 'huqian-test-secret-7Q'" \
    -c "GRANT ALL ON SCHEMA public TO planner"
  echo "host=$dir port=$port dbname=huqian user=$user" > "$state"
  echo "pg_server: started in $dir" >&2
  ;;
stop)
  [ -f "$state.dir" ] || exit 0
  dir=$(cat "$state.dir")
  if [ -d "$dir/data" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  rm -f "$state" "$state.dir"
  ;;
*) echo "usage: pg_server.sh start|stop STATE_FILE" >&2; exit 2 ;;
esac
