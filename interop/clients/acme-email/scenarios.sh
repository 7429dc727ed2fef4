# Scenarios of the acme_email reproduction (sourced by run-interop.sh): Debian's certbot 2.1 with the castle-imap
# authenticator of clients/acme-email, run as acme_email's `cert --imap --smtp-method STARTTLS` runs it.
# Mail: IMAP IDLE on alice's INBOX, the reply through the stack's submission port (STARTTLS + AUTH as alice).
# TLS trust: REQUESTS_CA_BUNDLE for the ACME server, SSL_CERT_FILE for the submission certificate.
ACME_EMAIL_CLI=interop/clients/acme-email/acme_email_cli.py
SUBMISSION_PORT=${SUBMISSION_PORT:-5587}

# ae_scenario PROFILE NAME KIND ERROR -- ADDRESS...
#   KIND issue: certificate issued for the addresses (rfc822Name SANs only, no dNSName), checked (verify_issued, dual use:
#        the CSR asks no keyUsage); refused: certbot fails, no certificate, and letsencrypt.log holds the ACME error ERROR
ae_scenario() {
  local profile=$1 name=$2 kind=$3 err=$4; shift 5
  run_here "$profile" "$name" || return 0
  command -v certbot >/dev/null || { record acme-email "$name" FAIL "certbot not installed (apt-get install certbot)"; return 0; }
  local d=$WORK/acme-email-$name reason visible logged
  rm -rf "$d"; mkdir -p "$d"
  local args=(--server "$DIRECTORY" --login "$ALICE" --password-file "$BASE/secrets/$ALICE.pass" --host 127.0.0.1
              --port "${IMAP_PORT:-1143}" --smtp-method STARTTLS --smtp-host 127.0.0.1 --smtp-port "$SUBMISSION_PORT" --out "$d")
  local a; for a in "$@"; do args+=(--email "$a"); done
  echo "+ $PY $ACME_EMAIL_CLI ${args[*]}" >"$d/client.log"
  local rc=0
  REQUESTS_CA_BUNDLE=$CA_FILE SSL_CERT_FILE=$BASE/tls/submission.pem ACME_EMAIL_DNS=127.0.0.1:${DNS_PORT:-5353} \
    timeout 300 "$PY" "$ACME_EMAIL_CLI" "${args[@]}" >>"$d/client.log" 2>&1 || rc=$?
  reason=$(grep -E '^FAILED: ' "$d/client.log" | tail -n 1 | cut -c9-300 || true)
  case "$kind" in
    issue)
      [ "$rc" -eq 0 ] || { record acme-email "$name" FAIL "${reason:-client exited $rc (see $d/client.log)}"; return 0; }
      local sans; sans=$(openssl x509 -in "$d/leaf.pem" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr -d ' ')
      if [ "$sans" != "$(printf 'email:%s,' "$@" | sed 's/,$//')" ]; then
        record acme-email "$name" FAIL "leaf SAN '$sans' is not exactly the rfc822Names of $*"; return 0
      fi
      reason=$(verify_issued "$d" dual "$1") || { record acme-email "$name" FAIL "$reason"; return 0; }
      record acme-email "$name" PASS "$reason; $(grep -c '^acme-email: reply sent' "$d/client.log") replies over submission AUTH" ;;
    refused)
      if [ "$rc" -eq 0 ]; then record acme-email "$name" FAIL "certbot got a certificate, expected the order refused with $err"; return 0; fi
      case "$reason" in
        *"letsencrypt.log: urn:ietf:params:acme:error:$err"*)
          visible=${reason%% | letsencrypt.log:*}; logged=${reason##*letsencrypt.log: urn:ietf:params:acme:error:}
          record acme-email "$name" PASS "refused, $logged; certbot printed: ${visible#certbot exit 1: }" ;;
        *) record acme-email "$name" FAIL "expected $err in letsencrypt.log: ${reason:-see $d/client.log}" ;;
      esac ;;
  esac
}

acme_email_scenarios() {
  #           profile  name                     kind    error                   addresses (one IMAP login: alice's INBOX)
  ae_scenario compat   one-address              issue   -                    -- "$ALICE"
  ae_scenario compat   two-addresses            issue   -                    -- "$ALICE" "alice+two@users.example.test"
  ae_scenario default  default-profile-refusal  refused unsupportedIdentifier -- "$ALICE"
}
