#!/usr/bin/env bash
# Shared bootstrap for the run and test commands: tools, PostgreSQL, browser.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${OFFLINECIRC_PG_PORT:-}"

log() { printf '[offlinecirc] %s\n' "$*" >&2; }

as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ensure_apt_package() {
  local pkg="$1"
  if [ "$(id -u)" != "0" ]; then
    log "Package $pkg is missing and only root can install it."
    return 1
  fi
  log "Installing $pkg with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null
  }
}

ensure_dotnet_tools() {
  (cd "$ROOT" && dotnet tool restore >/dev/null)
}

# The project's own .data/pg when the postgres user can reach it, else a folder under /var/tmp.
pg_data_dir() {
  local wanted="$ROOT/.data/pg"
  mkdir -p "$ROOT/.data"
  if [ "$(id -u)" != "0" ] || runuser -u postgres -- test -x "$ROOT/.data" 2>/dev/null; then
    echo "$wanted"
  else
    local key
    key="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    echo "/var/tmp/offlinecirc-$key/pg"
  fi
}

# Starts (initialising if needed) a private PostgreSQL and exports PG_ADMIN_CS for it.
ensure_private_postgres() {
  if [ ! -x "$PG_BIN/pg_ctl" ]; then
    ensure_apt_package postgresql-15 || ensure_apt_package postgresql
  fi
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
  fi
  local data
  data="$(pg_data_dir)"
  mkdir -p "$data"
  if [ "$(id -u)" = "0" ]; then
    chown postgres: "$(dirname "$data")" "$data"
    chmod 700 "$data"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "Initialising PostgreSQL in $data"
    as_postgres "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Another server (another checkout's, say) may hold the usual port: take the first free one and keep it.
    local port="${PG_PORT:-55432}"
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
      port=$((port + 1))
    done
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 300
fsync = on
synchronous_commit = off
max_wal_size = 4GB
CONF
  fi
  # Settings for a replay's heavy writes (docs/adr-018), added to folders made before they were chosen: whole pages
  # logged after a checkpoint are compressed, checkpoints come less often, and a consortium's tables fit in memory.
  local changed=""
  local setting
  # A replay writes its loans beside its items in a second transaction it prepares and commits with its own (docs/adr-026).
  for setting in "wal_compression = lz4" "checkpoint_timeout = 15min" "shared_buffers = 2GB" "max_prepared_transactions = 20"; do
    if ! grep -qxF "$setting" "$data/postgresql.conf"; then
      echo "$setting" >>"$data/postgresql.conf"
      changed=yes
    fi
  done
  PG_PORT="$(grep -E '^port = [0-9]+' "$data/postgresql.conf" | tail -1 | grep -oE '[0-9]+')"
  if [ -n "$changed" ] && as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # Stopped here and started below, where the huge pages its new size needs are reserved first.
    log "Restarting PostgreSQL for its new settings"
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -w -t 60 stop >/dev/null
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    reserve_huge_pages "$data"
    log "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
  fi
  export PG_ADMIN_CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
}

# Reserves the kernel's huge pages for the server's shared memory before it starts (docs/adr-025): with 2 GB of
# shared buffers in 4 kB pages, every new server process paid about a second per 400 MB of buffers it touched for the
# first time, mapping them page by page. The server takes huge pages when there are enough (huge_pages = try, its
# default) and ordinary ones otherwise, so this only adds what is missing, as root; anyone else starts as before.
reserve_huge_pages() {
  local data="$1" need free reserved total
  [ "$(id -u)" = "0" ] || return 0
  need="$(as_postgres "$PG_BIN/postgres" -D "$data" -C shared_memory_size_in_huge_pages 2>/dev/null)" || return 0
  [[ "$need" =~ ^[0-9]+$ ]] || return 0
  read -r total free reserved < <(awk '/^HugePages_(Total|Free|Rsvd):/ {printf "%s ", $2} END {print ""}' /proc/meminfo)
  if [ "$((free - reserved))" -lt "$need" ]; then
    echo "$((total + need - free + reserved))" >/proc/sys/vm/nr_hugepages 2>/dev/null || true
  fi
}

# ConnectionStrings__Default when given, else the private server's database named $1.
ensure_database() {
  local db="$1"
  if [ -n "${ConnectionStrings__Default:-}" ]; then
    log "Using the database of ConnectionStrings__Default"
    return
  fi
  ensure_private_postgres
  if ! psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" 2>/dev/null | grep -q 1; then
    psql_admin -c "CREATE DATABASE \"$db\"" >/dev/null
  fi
  export ConnectionStrings__Default="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$db"
}

psql_admin() {
  if command -v psql >/dev/null 2>&1; then
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
  else
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    ensure_apt_package chromium
  fi
}
