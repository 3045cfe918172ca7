#!/usr/bin/env bash
# Runs every test: installs what is missing, starts a private PostgreSQL, builds, then each test project.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_chromium
ensure_dotnet_tools
ensure_private_postgres
export OFFLINECIRC_TEST_PG="$PG_ADMIN_CS"
export OFFLINECIRC_CHROMIUM="${OFFLINECIRC_CHROMIUM:-/usr/bin/chromium}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "Building"
dotnet build OfflineCirc.sln -c Release -warnaserror -nologo -v quiet

mkdir -p "$ROOT/artifacts"
status=0
for project in tests/*/*.csproj; do
  log "Testing $project"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "console;verbosity=normal" --results-directory "$ROOT/artifacts/test-results" "$@" || status=1
done
exit $status
