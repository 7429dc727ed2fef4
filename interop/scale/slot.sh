#!/usr/bin/env bash
# One worker of interop/scale/run.sh: issuances one after another with one existing client of the
# harness (called as is; only its command-line switches are chosen here).
# usage: slot.sh CLIENT N...        CLIENT pyacme | acme-client; N the issuance numbers to run
# env:   BASE, SCALE_WORK, SCALE_DIRECTORY (the haproxy URL), SCALE_CA_FILE (haproxy's certificate),
#        SCALE_REVOKE (issuance name, e.g. pyacme-01, that revokes its certificate by account afterwards)
# Each issuance N writes $SCALE_WORK/issue/CLIENT-NN/{client.log,result}; result is one line
# "PASS|FAIL<TAB>seconds<TAB>reason". Mailbox alice or bob (by N), key EC P-256 (dual use) or, every
# third, RSA 2048 (signing only). The client does its own badNonce retries and nothing else is retried.
set -uo pipefail
cd "$(dirname "$0")/../.."
client=$1; shift
# verify_issued and its helpers (openssl checks of every issued certificate)
INTEROP_WORK=$SCALE_WORK . interop/lib/common.sh

issue() {
  local n=$1 name d mailbox key usage start rc reason secs
  name=$(printf '%s-%02d' "$client" "$n"); d=$SCALE_WORK/issue/$name
  mkdir -p "$d"
  if [ $((n % 2)) -eq 0 ]; then mailbox=alice@users.example.test; else mailbox=bob@users.example.test; fi
  if [ $((n % 3)) -eq 2 ]; then key=rsa; usage=sign; else key=ec; usage=dual; fi
  local args=(--directory "$SCALE_DIRECTORY" --ca-file "$SCALE_CA_FILE" --secrets "$BASE/secrets" --email "$mailbox"
              --key-type "$key" --usage "$usage" --out "$d" --mail-timeout 120 --poll-timeout 150)
  local cmd
  case "$client" in
    pyacme) cmd=(/usr/bin/python3 interop/clients/pyacme/rfc8823_client.py); [ "$name" = "${SCALE_REVOKE:-}" ] && args+=(--revoke account) ;;
    acme-client) cmd=(node interop/clients/acme-client/rfc8823.mjs); args+=(--count-nonce-retries); [ "$name" = "${SCALE_REVOKE:-}" ] && args+=(--revoke) ;;
    *) echo "slot: unknown client $client" >&2; return 1 ;;
  esac
  echo "+ ${cmd[*]} ${args[*]}" >"$d/client.log"
  start=$(date +%s%N)
  # --foreground: the client stays in this worker's process group, which run.sh stops as a whole
  timeout --foreground 240 "${cmd[@]}" "${args[@]}" >>"$d/client.log" 2>&1; rc=$?
  secs=$(( ($(date +%s%N) - start) / 1000000 ))
  secs=$(printf '%d.%03d' $((secs / 1000)) $((secs % 1000)))
  if [ "$rc" -ne 0 ] || [ "$(tail -n 1 "$d/client.log")" != OK ]; then
    reason=$(grep -E '^FAILED: ' "$d/client.log" | tail -n 1 | cut -c9-300)
    [ "$rc" -eq 124 ] && reason="client killed after 240 s"
    printf 'FAIL\t%s\t%s\n' "$secs" "${reason:-client exited $rc (see $d/client.log)}" >"$d/result"
    return 0
  fi
  if reason=$(verify_issued "$d" "$usage" "$mailbox"); then
    printf 'PASS\t%s\t%s %s, %s\n' "$secs" "$mailbox" "$key" "$reason" >"$d/result"
  else
    printf 'FAIL\t%s\tissued but the certificate check failed: %s\n' "$secs" "$reason" >"$d/result"
  fi
}

for n in "$@"; do issue "$n"; done
