# Scenarios of the certbot-style client on Debian's python3-acme (sourced by run-interop.sh).
PYACME_CLIENT=interop/clients/pyacme/rfc8823_client.py

# py_scenario PROFILE NAME KIND USAGE ERROR -- client switches...
#   KIND issue: certificate issued and checked; revoke: issued, revoked (how: client switches), on the CRL;
#        invalid: every challenge ends invalid with ERROR; order-error: newOrder refused with ERROR;
#        expired: the authorization expired before the reply and stays expired after the server judged it
py_scenario() {
  local profile=$1 name=$2 kind=$3 usage=$4 err=$5; shift 6
  run_here "$profile" "$name" || return 0
  local d=$WORK/pyacme-$name reason first
  mkdir -p "$d"
  local args=(--directory "$DIRECTORY" --ca-file "$CA_FILE" --secrets "$BASE/secrets" --out "$d" "$@")
  case "$kind" in
    invalid) args+=(--expect-invalid --expect-error "$err") ;;
    order-error) args+=(--expect-order-error "$err") ;;
    expired) args+=(--late --judged-log "$SERVER_DATA.log") ;;
    *) args+=(--usage "$usage") ;;
  esac
  echo "+ $PY $PYACME_CLIENT ${args[*]}" >"$d/client.log"
  if ! timeout 240 "$PY" "$PYACME_CLIENT" "${args[@]}" >>"$d/client.log" 2>&1; then
    reason=$(grep -E '^FAILED: ' "$d/client.log" | tail -n 1 | cut -c9-200 || true)
    record pyacme "$name" FAIL "${reason:-client exited non-zero (see $d/client.log)}"; return 0
  fi
  case "$kind" in
    invalid|order-error|expired)
      reason=$(grep -E '^EXPECTED-(INVALID|REFUSED|EXPIRED) ' "$d/client.log" | head -n 1 | cut -d' ' -f2- | sed 's/urn:ietf:params:acme:error://' | cut -c1-140 || true)
      record pyacme "$name" PASS "$reason" ;;
    *)
      first=$(grep -m1 -oE -- '--email [^ ]+' "$d/client.log" | cut -d' ' -f2 || true)
      reason=$(verify_issued "$d" "$usage" "$first") || { record pyacme "$name" FAIL "$reason"; return 0; }
      if [ "$kind" = revoke ]; then
        local how; how=$(grep -m1 -oE '^revoked by [a-z ]+[a-z]' "$d/client.log" || echo revoked)
        check_revoked "$d" >"$d/revoked.txt" || { record pyacme "$name" FAIL "$(cat "$d/revoked.txt")"; return 0; }
        reason="$reason, $how, on the CRL"
      fi
      grep -q -- '--key-change' "$d/client.log" && reason="$reason; $(grep -m1 '^old account key refused' "$d/client.log")"
      grep -q -- '--expect-nonce-retries' "$d/client.log" && reason="$reason; $(grep -m1 '^badNonce retries' "$d/client.log")"
      grep -q -- '--identifier-type dns' "$d/client.log" && reason="$reason; dns identifier read as email, dNSName SAN dropped"
      record pyacme "$name" PASS "$reason" ;;
  esac
}

pyacme_scenarios() {
  #           profile  name                  kind    usage  error             client switches
  py_scenario default  happy-ec-dual         issue   dual   -              -- --email "$ALICE" --key-type ec
  py_scenario default  rsa-sign-only         issue   sign   -              -- --email "$ALICE" --key-type rsa
  py_scenario default  rsa-encrypt-only      issue   encrypt -             -- --email "$BOB" --key-type rsa
  py_scenario default  string-RE-lf-nowrap   issue   dual   -              -- --email "$BOB" --key-type ec --join string --subject-prefix RE: --newline lf --wrap 0
  py_scenario default  bytes-qp-alternative  issue   dual   -              -- --email "$BOB" --key-type ec --join bytes --qp --alternative
  py_scenario default  two-mailboxes         issue   dual   -              -- --email "$ALICE" --email "$BOB" --key-type ec
  py_scenario default  unsigned-reply        invalid -      unauthorized   -- --email "$BOB" --key-type ec --unsigned
  py_scenario default  wrong-digest          invalid -      incorrectResponse -- --email "$ALICE" --key-type ec --wrong-digest
  py_scenario default  revoke-by-account     revoke  sign   -              -- --email "$ALICE" --key-type ec --revoke account
  py_scenario default  revoke-by-cert-key    revoke  dual   -              -- --email "$BOB" --key-type rsa --revoke cert-key --revoke-reason 1
  py_scenario default  key-change            issue   dual   -              -- --email "$ALICE" --key-type ec --key-change
  py_scenario default  foreign-dkim-domain   invalid -      unauthorized   -- --email "$ALICE" --key-type ec --dkim-domain elsewhere.example.test
  py_scenario default  list-id-header        invalid -      unauthorized   -- --email "$BOB" --key-type ec --list-id
  py_scenario default  caa-forbids-us        order-error - caa            -- --email carol@denied.example.test --key-type ec
  py_scenario default  dns-identifier        order-error - unsupportedIdentifier -- --email "$ALICE" --key-type ec --identifier-type dns
  py_scenario compat   dns-identifier-compat issue   dual   -              -- --email "$ALICE" --key-type ec --identifier-type dns --csr-dns-san
  py_scenario short-lived reply-after-expiry expired -      -              -- --email "$BOB" --key-type ec --mail-timeout 50
  py_scenario nonce-reject nonce-reject-retries issue dual  -              -- --email "$ALICE" --key-type ec --expect-nonce-retries
}
