# Scenarios of the RFC 8823 client on npm acme-client (sourced by run-interop.sh).
ACME_CLIENT_DIR=interop/clients/acme-client
ACME_CLIENT_NPM_REPORTED=   # the npm failure is recorded as one row, once

# acme_client_prepare: node and the locked packages present (node_modules_ready, lib/common.sh); a
# failure is one FAIL row, then every scenario is skipped.
acme_client_prepare() {
  node_modules_ready && return 0
  [ -z "$ACME_CLIENT_NPM_REPORTED" ] && record acme-client npm-ci FAIL "$NODE_MODULES_ERROR"
  ACME_CLIENT_NPM_REPORTED=1; return 1
}

# ac_scenario PROFILE NAME KIND USAGE ERROR -- client switches...
#   KIND issue: certificate issued and checked (verify_issued); revoke: issued, revoked by account, on the CRL;
#        keychange: issued after an account key roll-over the client proved (old key refused, new key works);
#        account: contact updated and read back, account deactivated, then refused with unauthorized;
#        nonce: issued, and the client saw and retried at least one badNonce;
#        invalid: every challenge ends invalid with ERROR; refused: finalize refused with ERROR
ac_scenario() {
  local profile=$1 name=$2 kind=$3 usage=$4 err=$5; shift 6
  run_here "$profile" "$name" || return 0
  acme_client_prepare || return 0
  local d=$WORK/acme-client-$name reason first line
  rm -rf "$d"; mkdir -p "$d"
  local args=(--directory "$DIRECTORY" --ca-file "$CA_FILE" --secrets "$BASE/secrets" --out "$d")
  # --usage first, so a scenario's own switches (e.g. --usage none) win: the last value counts
  case "$kind" in
    invalid) args+=(--expect-invalid --expect-error "$err") ;;
    refused) args+=(--expect-finalize-error "$err") ;;
    account) ;;
    nonce) args+=(--usage "$usage" --count-nonce-retries) ;;
    *) args+=(--usage "$usage") ;;
  esac
  args+=("$@")
  echo "+ node $ACME_CLIENT_DIR/rfc8823.mjs ${args[*]}" >"$d/client.log"
  if ! timeout 240 node "$ACME_CLIENT_DIR/rfc8823.mjs" "${args[@]}" >>"$d/client.log" 2>&1; then
    reason=$(grep -E '^FAILED: ' "$d/client.log" | tail -n 1 | cut -c9-220 || true)
    if [ "$kind" = nonce ]; then reason="$reason; $(grep -m1 '^NONCE-RETRIES ' "$d/client.log" | cut -d' ' -f2- || true)"; fi
    record acme-client "$name" FAIL "${reason:-client exited non-zero (see $d/client.log)}"; return 0
  fi
  case "$kind" in
    invalid)
      reason=$(grep -E '^EXPECTED-INVALID ' "$d/client.log" | head -n 1 | cut -d' ' -f2- | sed 's/urn:ietf:params:acme:error://' | cut -c1-140 || true)
      record acme-client "$name" PASS "$reason"; return 0 ;;
    refused)
      reason=$(grep -E '^EXPECTED-REFUSED finalize ' "$d/client.log" | head -n 1 | cut -d' ' -f3- | sed 's/urn:ietf:params:acme:error://' | cut -c1-160 || true)
      record acme-client "$name" PASS "finalize refused: $reason"; return 0 ;;
    account)
      if ! grep -q '^CONTACT-UPDATED ' "$d/client.log" || [ "$(grep -c '^EXPECTED-REFUSED ' "$d/client.log")" -lt 2 ]; then
        record acme-client "$name" FAIL "client said OK without the contact update and both refusals (see $d/client.log)"; return 0
      fi
      record acme-client "$name" PASS "contact updated + read back; deactivated; newOrder and POST-as-GET refused 401 unauthorized"; return 0 ;;
  esac
  first=$(grep -m1 -oE -- '--email [^ ]+' "$d/client.log" | cut -d' ' -f2 || true)
  reason=$(verify_issued "$d" "$usage" "$first") || { record acme-client "$name" FAIL "$reason"; return 0; }
  case "$kind" in
    revoke)
      check_revoked "$d" >"$d/revoked.txt" || { record acme-client "$name" FAIL "$(cat "$d/revoked.txt")"; return 0; }
      reason="$reason, revoked by account, on the CRL" ;;
    keychange)
      line=$(grep -m1 '^KEY-CHANGE ' "$d/client.log") || { record acme-client "$name" FAIL "no KEY-CHANGE proof in $d/client.log"; return 0; }
      reason="${line#KEY-CHANGE }; issued on the new key: $reason" ;;
    nonce)
      line=$(grep -m1 '^NONCE-RETRIES ' "$d/client.log" | cut -d' ' -f2- || true)
      case "${line%% *}" in ''|*[!0-9]*) line="0 (no NONCE-RETRIES line)" ;; esac
      if [ "${line%% *}" -lt 1 ]; then
        record acme-client "$name" FAIL "no badNonce seen in profile nonce-reject ($line): the test switch had no effect"; return 0
      fi
      reason="$line; $reason" ;;
  esac
  record acme-client "$name" PASS "$reason"
}

acme_client_scenarios() {
  #           profile      name                       kind      usage   error             client switches
  ac_scenario default      happy-ec-dual              issue     dual    -              -- --email "$ALICE" --key-type ec
  ac_scenario default      rsa-sign-only              issue     sign    -              -- --email "$ALICE" --key-type rsa
  ac_scenario default      rsa-encrypt-only           issue     encrypt -              -- --email "$BOB" --key-type rsa
  ac_scenario default      csr-no-keyusage            issue     dual    -              -- --email "$BOB" --key-type ec --usage none
  ac_scenario default      library-csr-refused        refused   -       badCSR         -- --email "$ALICE" --key-type rsa --library-csr
  ac_scenario default      two-mailboxes              issue     dual    -              -- --email "$ALICE" --email "$BOB" --key-type ec
  ac_scenario default      unsigned-reply             invalid   -       unauthorized   -- --email "$BOB" --key-type ec --unsigned
  ac_scenario default      wrong-digest               invalid   -       incorrectResponse -- --email "$ALICE" --key-type ec --wrong-digest
  ac_scenario default      revoke-by-account          revoke    sign    -              -- --email "$ALICE" --key-type ec --revoke
  ac_scenario default      key-change                 keychange dual    -              -- --email "$BOB" --key-type ec --key-change
  ac_scenario default      account-update-deactivate  account   -       -              -- --email "$ALICE" --key-type ec --update-contact --deactivate
  ac_scenario nonce-reject nonce-reject-retries       nonce     dual    -              -- --email "$BOB" --key-type ec
}
