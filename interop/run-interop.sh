#!/usr/bin/env bash
# Interop run: independent ACME clients against the real server over the real mail + DNS stack.
# usage: run-interop.sh [--start-stack] [scenario ...]
#   --start-stack  install/set up/start interop/stack/teststack.sh first and stop it afterwards
#                  (otherwise the stack must be running: teststack.sh status)
#   scenario       run only these (names as in the matrix); default: all
# Starts the server with interop/server.sh (builds Acme.Server if its DLL is missing), runs the
# scenarios, prints a matrix "client | scenario | PASS/FAIL | reason", stops the server, and exits
# non-zero on any unexpected result. Last line: "interop: N passed, N failed".
# Work files: $BASE/interop/<client>-<scenario>/ (client log, certificates, openssl output).
set -Eeuo pipefail
trap 'echo "interop: aborted by an unexpected error at line $LINENO of run-interop.sh" >&2' ERR
cd "$(dirname "$0")/.."
export BASE=${BASE:-$PWD/.teststack}
PY=/usr/bin/python3
CLIENT=interop/clients/pyacme/rfc8823_client.py
HTTPS_PORT=${ACME_HTTPS_PORT:-14000}; HTTP_PORT=${ACME_HTTP_PORT:-14002}
DIRECTORY=https://127.0.0.1:$HTTPS_PORT/directory
CRL_URL=http://127.0.0.1:$HTTP_PORT/crl/issuing.crl
ALICE=alice@users.example.test; BOB=bob@users.example.test

start_stack=0; only=()
for a in "$@"; do
  case "$a" in --start-stack) start_stack=1 ;; -h|--help) sed -n 2,10p "$0"; exit 0 ;; *) only+=("$a") ;; esac
done

cleanup() {
  bash interop/server.sh stop >/dev/null 2>&1 || echo "interop: server stop failed" >&2
  if [ "$start_stack" = 1 ]; then bash interop/stack/teststack.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

$PY -c 'import acme, josepy, cryptography' 2>/dev/null \
  || { echo "interop: Debian's python3-acme is not importable by $PY (apt-get install python3-acme)"; echo "interop: 0 passed, 1 failed"; exit 1; }
if [ "$start_stack" = 1 ]; then
  bash interop/stack/teststack.sh install setup start smoke
fi
if ! bash interop/stack/teststack.sh status >/dev/null 2>&1 || [ ! -f "$BASE/secrets/$ALICE.pass" ]; then
  echo "interop: the mail stack is not running in $BASE (bash interop/stack/teststack.sh install setup start, or --start-stack)"
  echo "interop: 0 passed, 1 failed"; exit 1
fi
if [ ! -f Acme.Server/bin/Debug/net10.0/Acme.Server.dll ]; then
  dotnet build Acme.Server --nologo -v q >/dev/null || { echo "interop: build of Acme.Server failed"; echo "interop: 0 passed, 1 failed"; exit 1; }
fi
bash interop/server.sh start || { echo "interop: server did not start"; echo "interop: 0 passed, 1 failed"; exit 1; }
CA_FILE=$BASE/server-data/tls/server.pem
WORK=$BASE/interop
rm -rf "$WORK"; mkdir -p "$WORK"

rows=(); passed=0; failed=0
record() {  # client scenario PASS|FAIL reason
  rows+=("$(printf '%-7s | %-22s | %-6s | %s' "$1" "$2" "$3" "$4")")
  if [ "$3" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  printf 'interop: %s %s: %s (%s)\n' "$1" "$2" "$3" "$4"
}

# check_cert DIR SIGN ENCRYPT FROM: openssl verify -x509_strict (-purpose smimesign / smimeencrypt) and S/MIME round trips:
# signed (cms -sign | cms -verify) for signing keys, enveloped (cms -encrypt | cms -decrypt) for encryption keys
check_cert() {
  local d=$1 sign=$2 enc=$3 from=$4
  local purpose rsa=0
  openssl x509 -in "$d/leaf.pem" -noout -text | grep -q 'Public Key Algorithm: rsaEncryption' && rsa=1
  # OpenSSL's smimeencrypt purpose demands keyEncipherment, which EC keys never get (they use
  # keyAgreement, SBR 7.1.2.3 e): for EC keys the cms encrypt/decrypt round trip below is the check.
  for purpose in $([ "$sign" = 1 ] && echo smimesign) $([ "$enc$rsa" = 11 ] && echo smimeencrypt); do
    openssl verify -x509_strict -purpose "$purpose" -CAfile "$d/root.pem" -untrusted "$d/issuing.pem" "$d/leaf.pem" >"$d/verify-$purpose.txt" 2>&1 \
      || { echo "openssl verify -purpose $purpose: $(tail -n 2 "$d/verify-$purpose.txt" | tr '\n' ' ')"; return 1; }
  done
  if [ "$sign" = 1 ]; then
    echo "S/MIME interop test message" >"$d/msg.txt"
    openssl cms -sign -in "$d/msg.txt" -signer "$d/leaf.pem" -inkey "$d/key.pem" -certfile "$d/issuing.pem" \
      -from "$from" -to "$from" -subject "interop" -out "$d/signed.eml" 2>"$d/cms.txt" \
      || { echo "openssl cms -sign: $(tail -n 2 "$d/cms.txt" | tr '\n' ' ')"; return 1; }
    openssl cms -verify -in "$d/signed.eml" -CAfile "$d/root.pem" -purpose smimesign -out "$d/verified.txt" 2>>"$d/cms.txt" \
      || { echo "openssl cms -verify: $(tail -n 2 "$d/cms.txt" | tr '\n' ' ')"; return 1; }
    # S/MIME canonical form has CRLF line ends
    [ "$(tr -d '\r' <"$d/verified.txt")" = "$(cat "$d/msg.txt")" ] || { echo "cms round trip changed the content"; return 1; }
  fi
  if [ "$enc" = 1 ]; then
    echo "S/MIME interop secret" >"$d/secret.txt"
    openssl cms -encrypt -aes-256-cbc -in "$d/secret.txt" -out "$d/enveloped.eml" -from "$from" -to "$from" -subject interop \
      "$d/leaf.pem" 2>"$d/cms-enc.txt" || { echo "openssl cms -encrypt: $(tail -n 2 "$d/cms-enc.txt" | tr '\n' ' ')"; return 1; }
    openssl cms -decrypt -in "$d/enveloped.eml" -recip "$d/leaf.pem" -inkey "$d/key.pem" -out "$d/decrypted.txt" 2>>"$d/cms-enc.txt" \
      || { echo "openssl cms -decrypt: $(tail -n 2 "$d/cms-enc.txt" | tr '\n' ' ')"; return 1; }
    [ "$(tr -d '\r' <"$d/decrypted.txt")" = "$(cat "$d/secret.txt")" ] || { echo "cms encrypt/decrypt changed the content"; return 1; }
  fi
  return 0
}

# key usage of the leaf must match the request: want "sign", "encrypt" or "dual"
check_usage() {
  local d=$1 want=$2 ku
  ku=$(openssl x509 -in "$d/leaf.pem" -noout -ext keyUsage 2>/dev/null | tail -n +2 | tr -d ' ')
  local has_sig=0 has_enc=0
  case "$ku" in *DigitalSignature*) has_sig=1 ;; esac
  case "$ku" in *KeyEncipherment*|*KeyAgreement*) has_enc=1 ;; esac
  case "$want" in
    sign) [ "$has_sig$has_enc" = 10 ] ;;
    encrypt) [ "$has_sig$has_enc" = 01 ] ;;
    dual) [ "$has_sig$has_enc" = 11 ] ;;
  esac || { echo "keyUsage '$ku' does not match the $want request"; return 1; }
}

# check_revoked DIR: the issuing CA's CRL lists the leaf
check_revoked() {
  local d=$1
  curl -sf --max-time 10 -o "$d/issuing.crl" "$CRL_URL" || { echo "CRL download from $CRL_URL failed"; return 1; }
  openssl crl -inform DER -in "$d/issuing.crl" -out "$d/issuing.crl.pem" 2>/dev/null || { echo "CRL is not DER"; return 1; }
  if openssl verify -crl_check -CRLfile "$d/issuing.crl.pem" -CAfile "$d/root.pem" -untrusted "$d/issuing.pem" "$d/leaf.pem" >"$d/crl-verify.txt" 2>&1; then
    echo "leaf still verifies against the CRL after revocation"; return 1
  fi
  grep -q 'certificate revoked' "$d/crl-verify.txt" || { echo "CRL check: $(tail -n 1 "$d/crl-verify.txt")"; return 1; }
}

wanted() { [ ${#only[@]} -eq 0 ] && return 0; local s; for s in "${only[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

# scenario NAME KIND(issue|invalid|revoke) USAGE ERROR -- client args...
scenario() {
  local name=$1 kind=$2 usage=$3 err=$4; shift 5
  wanted "$name" || return 0
  local d=$WORK/pyacme-$name reason
  mkdir -p "$d"
  local args=(--directory "$DIRECTORY" --ca-file "$CA_FILE" --secrets "$BASE/secrets" --out "$d" "$@")
  [ "$kind" = invalid ] && args+=(--expect-invalid --expect-error "$err")
  [ "$kind" = revoke ] && args+=(--revoke)
  [ "$kind" != invalid ] && args+=(--usage "$usage")
  echo "+ $PY $CLIENT ${args[*]}" >"$d/client.log"
  if ! timeout 240 "$PY" "$CLIENT" "${args[@]}" >>"$d/client.log" 2>&1; then
    reason=$(grep -E '^FAILED: ' "$d/client.log" | tail -n 1 | cut -c9-200)
    record pyacme "$name" FAIL "${reason:-client exited non-zero (see $d/client.log)}"; return 0
  fi
  case "$kind" in
    invalid)
      reason=$(grep -E '^EXPECTED-INVALID ' "$d/client.log" | head -n 1 | cut -d' ' -f3- | sed 's/urn:ietf:params:acme:error://' | cut -c1-110)
      record pyacme "$name" PASS "challenge invalid: $reason" ;;
    *)
      local sign=1 enc=1; [ "$usage" = encrypt ] && sign=0; [ "$usage" = sign ] && enc=0
      local first; first=$(grep -m1 -oE -- '--email [^ ]+' "$d/client.log" | cut -d' ' -f2)
      if ! reason=$(check_usage "$d" "$usage" && check_cert "$d" "$sign" "$enc" "$first"); then
        record pyacme "$name" FAIL "$reason"; return 0
      fi
      local what="issued ($(grep -c 'BEGIN CERTIFICATE' "$d/fullchain.pem") certs), keyUsage $usage"
      [ "$sign" = 1 ] && what="$what, verify smimesign + cms sign/verify OK"
      if [ "$enc" = 1 ]; then
        if openssl x509 -in "$d/leaf.pem" -noout -text | grep -q 'rsaEncryption'; then
          what="$what, verify smimeencrypt + cms encrypt/decrypt OK"
        else
          what="$what, cms encrypt/decrypt OK (EC: keyAgreement)"
        fi
      fi
      if [ "$kind" = revoke ]; then
        reason=$(check_revoked "$d") || { record pyacme "$name" FAIL "$reason"; return 0; }
        what="$what, revoked by account, on the CRL"
      fi
      record pyacme "$name" PASS "$what" ;;
  esac
}

#        name                  kind    usage  error             client switches
scenario happy-ec-dual         issue   dual   -              -- --email "$ALICE" --key-type ec
scenario rsa-sign-only         issue   sign   -              -- --email "$ALICE" --key-type rsa
scenario rsa-encrypt-only      issue   encrypt -             -- --email "$BOB" --key-type rsa
scenario string-RE-lf-nowrap   issue   dual   -              -- --email "$BOB" --key-type ec --join string --subject-prefix RE: --newline lf --wrap 0
scenario bytes-qp-alternative  issue   dual   -              -- --email "$BOB" --key-type ec --join bytes --qp --alternative
scenario two-mailboxes         issue   dual   -              -- --email "$ALICE" --email "$BOB" --key-type ec
scenario unsigned-reply        invalid -      unauthorized   -- --email "$BOB" --key-type ec --unsigned
scenario wrong-digest          invalid -      incorrectResponse -- --email "$ALICE" --key-type ec --wrong-digest
scenario revoke-by-account     revoke  sign   -              -- --email "$ALICE" --key-type ec

echo
printf '%-7s | %-22s | %-6s | %s\n' client scenario result reason
printf '%s\n' "--------+------------------------+--------+-------------------------------------------"
printf '%s\n' "${rows[@]}"
echo
echo "interop: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
