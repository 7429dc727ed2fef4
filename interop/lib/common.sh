# Shared by run-interop.sh and the per-client scenario files (sourced, not run).
# Provides: record CLIENT SCENARIO PASS|FAIL REASON, wanted SCENARIO, check_cert, check_usage,
# check_revoked, describe_cert, and the variables DIRECTORY, CA_FILE, CRL_URL, WORK, ALICE, BOB, PY.
# A scenario function never exits the shell: it records exactly one row per scenario it runs.

PY=/usr/bin/python3
HTTPS_PORT=${ACME_HTTPS_PORT:-14000}; HTTP_PORT=${ACME_HTTP_PORT:-14002}
DIRECTORY=https://127.0.0.1:$HTTPS_PORT/directory
CRL_URL=http://127.0.0.1:$HTTP_PORT/crl/issuing.crl
SERVER_DATA=${ACME_SERVER_DATA:-$BASE/server-data}
CA_FILE=$SERVER_DATA/tls/server.pem
WORK=${INTEROP_WORK:-$BASE/interop}
ALICE=alice@users.example.test; BOB=bob@users.example.test
ROWS_FILE=$WORK/rows.tsv

# record CLIENT SCENARIO PASS|FAIL REASON: one row of the matrix (tab-separated in $ROWS_FILE)
record() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(printf '%s' "$4" | tr '\t\n' '  ')" >>"$ROWS_FILE"
  printf 'interop: %s %s: %s (%s)\n' "$1" "$2" "$3" "$4"
}

# wanted SCENARIO: true when no scenario names were given, or this one was named
wanted() {
  [ -z "${INTEROP_ONLY:-}" ] && return 0
  case " $INTEROP_ONLY " in *" $1 "*) return 0 ;; esac
  return 1
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

# describe_cert DIR USAGE: the PASS reason for an issued certificate (after check_usage/check_cert)
describe_cert() {
  local d=$1 usage=$2 what
  what="issued ($(grep -c 'BEGIN CERTIFICATE' "$d/fullchain.pem") certs), keyUsage $usage"
  [ "$usage" != encrypt ] && what="$what, verify smimesign + cms sign/verify OK"
  if [ "$usage" != sign ]; then
    if openssl x509 -in "$d/leaf.pem" -noout -text | grep -q 'rsaEncryption'; then
      what="$what, verify smimeencrypt + cms encrypt/decrypt OK"
    else
      what="$what, cms encrypt/decrypt OK (EC: keyAgreement)"
    fi
  fi
  echo "$what"
}

# verify_issued DIR USAGE FROM: check_usage + check_cert; prints the PASS reason or the failure
verify_issued() {
  local d=$1 usage=$2 from=$3 sign=1 enc=1
  [ "$usage" = encrypt ] && sign=0; [ "$usage" = sign ] && enc=0
  check_usage "$d" "$usage" && check_cert "$d" "$sign" "$enc" "$from" && describe_cert "$d" "$usage"
}

# run_here PROFILE NAME: true when scenario NAME (of server profile PROFILE) runs now. run-interop.sh
# first calls every client in listing mode (INTEROP_LISTING=1: only collects the profiles needed), then
# once per needed profile with the server started in it (CURRENT_PROFILE).
run_here() {
  wanted "$2" || return 1
  if [ -n "${INTEROP_LISTING:-}" ]; then echo "$1" >>"$WORK/profiles.txt"; return 1; fi
  [ "$1" = "${CURRENT_PROFILE:-}" ]
}

# node_modules_ready: npm acme-client and the other packages of interop/clients/acme-client (exact versions
# from its package-lock.json) are installed; `npm ci` runs when node_modules is missing or older than the
# lock file, at most once per interop run. Used by the acme-client and pebble-diff clients. On failure
# returns 1 with the reason in NODE_MODULES_ERROR.
NODE_CLIENT_DIR=interop/clients/acme-client
NODE_MODULES_STATE=; NODE_MODULES_ERROR=
node_modules_ready() {
  [ -n "$NODE_MODULES_STATE" ] && { [ "$NODE_MODULES_STATE" = ready ]; return; }
  local log=$WORK/npm-ci.log
  NODE_MODULES_STATE=failed
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    NODE_MODULES_ERROR="node or npm is not installed"; return 1
  fi
  if [ ! -f "$NODE_CLIENT_DIR/node_modules/.package-lock.json" ] ||
     [ "$NODE_CLIENT_DIR/package-lock.json" -nt "$NODE_CLIENT_DIR/node_modules/.package-lock.json" ]; then
    if ! (cd "$NODE_CLIENT_DIR" && timeout 300 npm ci --no-audit --no-fund) >"$log" 2>&1; then
      NODE_MODULES_ERROR="npm ci in $NODE_CLIENT_DIR failed: $(grep -m1 -iE 'ERR!|error' "$log" | cut -c1-160) (see $log)"
      return 1
    fi
  fi
  NODE_MODULES_STATE=ready
}
