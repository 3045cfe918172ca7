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
log "Checking formatting"
dotnet format OfflineCirc.sln --verify-no-changes --no-restore -v quiet

mkdir -p "$ROOT/artifacts"
status=0
passed=0
failed=0
for project in tests/*/*.csproj; do
  log "Testing $project"
  out="$ROOT/artifacts/$(basename "$project" .csproj).log"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "console;verbosity=normal" --results-directory "$ROOT/artifacts/test-results" "$@" 2>&1 | tee "$out" || status=1
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  p=$(grep -E '^\s+Passed: [0-9]+' "$out" | tail -1 | grep -oE '[0-9]+' || echo 0)
  f=$(grep -E '^\s+Failed: [0-9]+' "$out" | tail -1 | grep -oE '[0-9]+' || echo 0)
  passed=$((passed + p))
  failed=$((failed + f))
done
if [ "$status" -ne 0 ]; then
  # Repeated at the end, where a truncated CI log still shows them: each failed test, its message and the top of its
  # stack, and how an aborted test run ended.
  echo "What failed:"
  for out in "$ROOT"/artifacts/*.log; do
    awk '/^  Failed [A-Za-z]/ { n = 14 } /[Aa]borted|crashed/ { n = 8 } n > 0 { print; n-- }' "$out"
  done
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "$passed passed, $failed failed"
exit $status
