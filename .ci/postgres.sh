# A throwaway PostgreSQL for the tests, started by sourcing this file:
#     source .ci/postgres.sh && .venv/bin/python -m pytest
# It runs the Debian `postgresql` package's initdb and pg_ctl (as the `postgres` user when run
# by root; initdb refuses root), on a free port of 127.0.0.1 and a private socket folder,
# exports TUI_POS_TEST_PG_URL, and stops the server and deletes its files when the shell that
# sourced it exits. Installs the package with apt-get if it is missing (root only).
# shellcheck shell=bash

_tui_pos_pg_start() {
  local bin version dir port owner=()
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "postgres.sh: installing the postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1; }
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
  if [ -z "$bin" ]; then
    echo "postgres.sh: no PostgreSQL server here (apt-get install postgresql); the PostgreSQL tests will not run" >&2
    return 1
  fi
  version=$("$bin/postgres" --version | sed 's/[^0-9]*\([0-9]*\).*/\1/')
  if [ "$version" -lt 15 ]; then
    echo "postgres.sh: PostgreSQL $version is too old (15 or newer)" >&2
    return 1
  fi
  dir=$(mktemp -d /tmp/tui-pos-pg.XXXXXX)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    owner=(runuser -u postgres --)
  fi
  if ! "${owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    echo "postgres.sh: initdb failed:" >&2; cat "$dir/initdb.log" >&2
    return 1
  fi
  # fsync off: a test server whose files are thrown away; nothing here is a shop's money
  if ! "${owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null; then
    echo "postgres.sh: the server did not start:" >&2; cat "$dir/server.log" >&2
    return 1
  fi
  export TUI_POS_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  _TUI_POS_PG_STOP="${owner[*]} $bin/pg_ctl -D $dir/data -m immediate stop >/dev/null 2>&1; rm -rf $dir"
  trap 'eval "$_TUI_POS_PG_STOP"' EXIT
  echo "postgres.sh: PostgreSQL $version on 127.0.0.1:$port (TUI_POS_TEST_PG_URL), stopped when this shell exits" >&2
}

_tui_pos_pg_start || true
unset -f _tui_pos_pg_start
