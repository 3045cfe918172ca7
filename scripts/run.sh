#!/usr/bin/env bash
# Runs the app with a seeded demo consortium on a private PostgreSQL (or on ConnectionStrings__Default).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_dotnet_tools
ensure_database offlinecirc
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Passwords are made once per checkout and kept in .data, never built in.
mkdir -p "$ROOT/.data"
secret() {
  local file="$ROOT/.data/$1"
  [ -s "$file" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 16 > "$file"; printf 'Aa1' >> "$file")
  cat "$file"
}
export Bootstrap__AdminEmail="${Bootstrap__AdminEmail:-admin@demo.example}"
export Bootstrap__AdminPassword="${Bootstrap__AdminPassword:-$(secret admin-password)}"
export Demo__Seed="${Demo__Seed:-true}"
export Demo__Password="${Demo__Password:-$(secret demo-password)}"
URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
export ASPNETCORE_URLS="$URLS"

log "Open $URLS in a browser"
exec dotnet run --project src/OfflineCirc.Web -c Release -- "$@"
