#!/usr/bin/env bash
# Interop run: independent ACME clients against the real server over the real mail + DNS stack.
# usage: run-interop.sh [--start-stack] [--client NAME]... [scenario ...]
#   --start-stack  install/set up/start interop/stack/teststack.sh first and stop it afterwards
#                  (otherwise the stack must be running: teststack.sh status)
#   --client NAME  run only this client (pyacme, acme-client, acme-email, certbot, pebble-diff; repeatable)
#   scenario       run only these (names as in the matrix); default: all
# Each client lives in interop/clients/NAME/scenarios.sh and defines NAME_scenarios (dashes become
# underscores), which runs its scenarios of the current server profile (run_here, interop/lib/common.sh).
# The server (interop/server.sh) is started once per profile that a wanted scenario needs. Prints the
# rows "client | scenario | PASS/FAIL | reason" and a client x scenario grid, stops the server and exits
# non-zero on any unexpected result. Last line: "interop: N passed, N failed".
# Work files: $BASE/interop/<client>-<scenario>/ (client log, certificates, openssl output).
set -Eeuo pipefail
trap 'echo "interop: aborted by an unexpected error at line $LINENO of run-interop.sh" >&2' ERR
cd "$(dirname "$0")/.."
export BASE=${BASE:-$PWD/.teststack}
ALL_CLIENTS=(pyacme acme-client acme-email certbot pebble-diff)
PROFILES=(default compat short-lived nonce-reject)

start_stack=0; clients=(); only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --start-stack) start_stack=1 ;;
    --client) shift; clients+=("${1:?--client needs a name}") ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) only+=("$1") ;;
  esac
  shift
done
[ ${#clients[@]} -eq 0 ] && clients=("${ALL_CLIENTS[@]}")
export INTEROP_ONLY="${only[*]:-}"
# shellcheck source=lib/common.sh
. interop/lib/common.sh

give_up() { echo "interop: $1"; echo "interop: 0 passed, 1 failed"; exit 1; }
cleanup() {
  bash interop/server.sh stop >/dev/null 2>&1 || echo "interop: server stop failed" >&2
  if [ "$start_stack" = 1 ]; then bash interop/stack/teststack.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ "$start_stack" = 1 ]; then
  bash interop/stack/teststack.sh install setup start smoke
fi
if ! bash interop/stack/teststack.sh status >/dev/null 2>&1 || [ ! -f "$BASE/secrets/$ALICE.pass" ]; then
  give_up "the mail stack is not running in $BASE (bash interop/stack/teststack.sh install setup start, or --start-stack)"
fi
if [ ! -f Acme.Server/bin/Debug/net10.0/Acme.Server.dll ]; then
  dotnet build Acme.Server --nologo -v q >/dev/null || give_up "build of Acme.Server failed"
fi
rm -rf "$WORK"; mkdir -p "$WORK"; : >"$ROWS_FILE"

for c in "${clients[@]}"; do
  [ -f "interop/clients/$c/scenarios.sh" ] || give_up "no client '$c' (interop/clients/$c/scenarios.sh)"
  # shellcheck disable=SC1090
  . "interop/clients/$c/scenarios.sh"
done
fn() { echo "${1//-/_}_scenarios"; }

# Listing pass: which server profiles do the wanted scenarios need?
: >"$WORK/profiles.txt"
for c in "${clients[@]}"; do INTEROP_LISTING=1 "$(fn "$c")"; done
[ -s "$WORK/profiles.txt" ] || give_up "no scenario matches '${INTEROP_ONLY}' for client(s) ${clients[*]}"

for profile in "${PROFILES[@]}"; do
  grep -qx "$profile" "$WORK/profiles.txt" || continue
  if ! bash interop/server.sh start "$profile"; then
    for c in "${clients[@]}"; do record "$c" "server-$profile" FAIL "server did not start in profile $profile (see ${SERVER_DATA}.log)"; done
    continue
  fi
  export CURRENT_PROFILE=$profile
  for c in "${clients[@]}"; do "$(fn "$c")"; done
done

passed=$(awk -F'\t' '$3 == "PASS"' "$ROWS_FILE" | wc -l)
failed=$(awk -F'\t' '$3 != "PASS"' "$ROWS_FILE" | wc -l)
echo
awk -F'\t' 'BEGIN { printf "%-11s | %-28s | %-6s | %s\n", "client", "scenario", "result", "reason";
                    print "------------+------------------------------+--------+-------------------------------------------" }
            { printf "%-11s | %-28s | %-6s | %s\n", $1, $2, $3, $4 }' "$ROWS_FILE"
echo
# grid: one line per scenario, one column per client
awk -F'\t' '{ if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } if (!($1 in cs)) { cs[$1] = 1; cols[++m] = $1 } r[$2 SUBSEP $1] = $3 }
  END { printf "%-28s", "scenario \\ client"; for (j = 1; j <= m; j++) printf " | %-11s", cols[j]; print "";
        for (i = 1; i <= n; i++) { printf "%-28s", order[i];
          for (j = 1; j <= m; j++) { k = order[i] SUBSEP cols[j]; printf " | %-11s", (k in r) ? r[k] : "-" } print "" } }' "$ROWS_FILE"
echo
echo "interop: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
