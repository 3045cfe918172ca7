#!/usr/bin/env bash
# Builds Release and runs a benchmark verb against a fresh database on the private PostgreSQL.
#   scripts/bench.sh                      -> import --patrons 200000 --items 1000000
#   scripts/bench.sh import --patrons 20000 --items 100000
#   scripts/bench.sh workers --transactions 200000   -> two sessions replayed by one worker node, then by two
#   scripts/bench.sh consortium [--patrons 200000 --items 1000000 --transactions 1000000] [--seed S] [--keep true]
#                                   -> import, upload, replay, results.csv, exceptions page and the write floor in one run
#   scripts/bench.sh consortium --patrons 20000 --items 100000 --transactions 100000   -> the same, small, in a few minutes
#   scripts/bench.sh consortium --exceptions-only DATABASE   -> only the exceptions page step, on a database a --keep true run left, with its CPU per page
#   scripts/bench.sh browser --blocked 500000 --pending 50000   -> the capture page in headless Chromium (/usr/bin/chromium)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_private_postgres
export OFFLINECIRC_TEST_PG="${OFFLINECIRC_TEST_PG:-$PG_ADMIN_CS}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "Building Release"
dotnet build src/OfflineCirc.Web -c Release -nologo -v quiet
dotnet build src/OfflineCirc.Bench -c Release -nologo -v quiet

if [ "$#" -eq 0 ]; then
  set -- import --patrons 200000 --items 1000000
fi
exec dotnet src/OfflineCirc.Bench/bin/Release/net10.0/OfflineCirc.Bench.dll "$@"
