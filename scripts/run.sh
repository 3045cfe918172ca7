#!/usr/bin/env bash
# Runs the app with a seeded demo consortium on a private PostgreSQL (or on ConnectionStrings__Default).
#   bash scripts/run.sh         start; once the app answers, the address and sign-in details are the last lines, in a box
#   bash scripts/run.sh stop    stop the app this command started (from another terminal) and the private PostgreSQL
# Ctrl+C on a running scripts/run.sh stops the app and the private PostgreSQL too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

mkdir -p "$ROOT/.data"
APP_PID_FILE="$ROOT/.data/app.pid"
OWN_DATABASE=true
[ -n "${ConnectionStrings__Default:-}" ] && OWN_DATABASE=false

stop_app() {
  [ -f "$APP_PID_FILE" ] || return 0
  local pid
  pid="$(cat "$APP_PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    log "Stopping the app"
    # The app runs in its own process group (setsid below): dotnet run and the app it started stop together.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$APP_PID_FILE"
}

stop_postgres() {
  [ "$OWN_DATABASE" = true ] || return 0
  local data
  data="$(pg_data_dir)"
  if [ -f "$data/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "Stopping the private PostgreSQL"
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
  fi
}

if [ "${1:-}" = "stop" ]; then
  stop_app
  stop_postgres
  log "Stopped."
  exit 0
fi

if [ -f "$APP_PID_FILE" ] && kill -0 "$(cat "$APP_PID_FILE")" 2>/dev/null; then
  log "The app is already running (process $(cat "$APP_PID_FILE")). Stop it with: bash scripts/run.sh stop"
  exit 1
fi

ensure_dotnet_tools
ensure_database offlinecirc
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Passwords are made once per checkout and kept in .data, never built in. Shown in full only on the run that made them,
# which is the run that creates the accounts; later runs say where they are kept.
declare -A MADE=()
secret() {
  local file="$ROOT/.data/$1"
  if [ ! -s "$file" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 16 > "$file"; printf 'Aa1' >> "$file")
    MADE[$1]=1
  fi
}
if [ -z "${Bootstrap__AdminPassword:-}" ]; then
  secret admin-password
  export Bootstrap__AdminPassword="$(cat "$ROOT/.data/admin-password")"
fi
if [ -z "${Demo__Password:-}" ]; then
  secret demo-password
  export Demo__Password="$(cat "$ROOT/.data/demo-password")"
fi
export Bootstrap__AdminEmail="${Bootstrap__AdminEmail:-admin@demo.example}"
export Demo__Seed="${Demo__Seed:-true}"
URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
export ASPNETCORE_URLS="$URLS"
ADDRESS="${URLS%%;*}"
# A wildcard listening address is reached on this machine through the loopback.
PROBE="$(printf '%s' "$ADDRESS" | sed -E 's#//(\+|\*|0\.0\.0\.0|\[::\])#//127.0.0.1#')"

password_line() { # label, file name, environment-given flag
  if [ -n "${MADE[$2]:-}" ]; then
    printf '%s password: %s' "$1" "$(cat "$ROOT/.data/$2")"
  elif [ "$3" = given ]; then
    printf '%s password: the one you set in the environment' "$1"
  else
    printf '%s password: shown on the first run; kept in .data/%s' "$1" "$2"
  fi
}
admin_given=stored; [ -f "$ROOT/.data/admin-password" ] && [ "$Bootstrap__AdminPassword" = "$(cat "$ROOT/.data/admin-password")" ] || admin_given=given
demo_given=stored; [ -f "$ROOT/.data/demo-password" ] && [ "$Demo__Password" = "$(cat "$ROOT/.data/demo-password")" ] || demo_given=given

box() {
  local width=0 line
  for line in "$@"; do [ ${#line} -gt "$width" ] && width=${#line}; done
  local rule
  rule="+$(printf '%*s' $((width + 2)) '' | tr ' ' '-')+"
  printf '\n%s\n' "$rule"
  for line in "$@"; do printf '| %-*s |\n' "$width" "$line"; done
  printf '%s\n' "$rule"
}

on_interrupt() {
  trap - INT TERM
  # Stopping must finish even when the terminal or a pipe reading our output is already gone.
  trap '' PIPE
  set +e
  echo
  stop_app
  stop_postgres
  exit 130
}
trap on_interrupt INT TERM

log "Building and starting the app (the first run also loads the demo consortium; this takes a minute or two)"
setsid dotnet run --project src/OfflineCirc.Web -c Release -- "$@" &
APP_PID=$!
echo "$APP_PID" > "$APP_PID_FILE"

until curl -fsS -o /dev/null --max-time 5 "$PROBE/healthz" 2>/dev/null; do
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    wait "$APP_PID" || true
    rm -f "$APP_PID_FILE"
    log "The app stopped before it answered; see the messages above."
    stop_postgres
    exit 1
  fi
  sleep 1
done

lines=(
  "OfflineCirc is ready: $ADDRESS"
  "Capture page: $ADDRESS/offline/"
  "Sign in as $Bootstrap__AdminEmail (consortium administrator)"
  "$(password_line 'Administrator' admin-password "$admin_given")"
)
if [ "$Demo__Seed" = true ]; then
  lines+=(
    "Demo users, one per role: see README, section Demo data"
    "$(password_line 'Demo users' demo-password "$demo_given")"
    "Demo barcodes to try: see README, section Demo data"
  )
fi
lines+=("Stop: Ctrl+C here, or bash scripts/run.sh stop")
box "${lines[@]}"

wait "$APP_PID" || status=$?
rm -f "$APP_PID_FILE"
exit "${status:-0}"
