# Pebble differential (sourced by run-interop.sh): the same RFC 8555 request sequence (probe.mjs, on npm
# acme-client's low-level HTTP client) against Debian's pebble and against our server, then compare.mjs
# diffs every step (status, headers, JSON shape, status/type values) minus allowlist.txt, and checks our
# answers against the step's RFC 8555 expectation. One matrix row per compared step.
# Pebble runs on 127.0.0.1:$PEBBLE_PORT (management +1), with its TLS certificate and config under
# $WORK/pebble-diff/; it is started and stopped here (bounded waits, stopped on every path).
PEBBLE_DIFF_DIR=interop/clients/pebble-diff
PEBBLE_PORT=${PEBBLE_PORT:-14300}
PEBBLE_DIFF_STEPS=(diff-directory diff-nonce-head diff-nonce-get diff-new-account diff-existing-account
  diff-only-return-existing diff-account-get diff-account-update diff-key-change diff-old-key-refused
  diff-new-key-account-get diff-new-order diff-order-get diff-orders-list diff-authorization diff-challenge
  diff-malformed-jws diff-bad-signature diff-bad-nonce diff-unsupported-identifier diff-deactivate
  diff-deactivated-refused)

# pebble_tls DIR: a throw-away CA and a server certificate for 127.0.0.1 (pebble needs one to listen)
pebble_tls() {
  local d=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" \
    -days 2 -subj "/CN=interop pebble-diff TLS CA" >>"$d/openssl.log" 2>&1 &&
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/key.pem" -out "$d/server.csr" \
    -subj "/CN=127.0.0.1" >>"$d/openssl.log" 2>&1 &&
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$d/ext.cnf" &&
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
    -extfile "$d/ext.cnf" -out "$d/cert.pem" >>"$d/openssl.log" 2>&1
}

# pebble_start DIR: prints nothing, returns non-zero (reason in DIR/pebble-start.txt) when it did not come up
pebble_start() {
  local d=$1 i
  command -v pebble >/dev/null || { echo "pebble not installed (apt-get install pebble)" >"$d/pebble-start.txt"; return 1; }
  if curl -s --max-time 2 -o /dev/null "https://127.0.0.1:$PEBBLE_PORT/dir" -k; then
    echo "port $PEBBLE_PORT is already taken" >"$d/pebble-start.txt"; return 1
  fi
  pebble_tls "$d" || { echo "TLS certificate for pebble: $(tail -n 1 "$d/openssl.log")" >"$d/pebble-start.txt"; return 1; }
  cat >"$d/pebble-config.json" <<EOF
{ "pebble": { "listenAddress": "127.0.0.1:$PEBBLE_PORT", "managementListenAddress": "127.0.0.1:$((PEBBLE_PORT + 1))",
  "certificate": "$d/cert.pem", "privateKey": "$d/key.pem", "httpPort": $((PEBBLE_PORT + 2)), "tlsPort": $((PEBBLE_PORT + 3)),
  "ocspResponderURL": "", "externalAccountBindingRequired": false } }
EOF
  # no random nonce rejection (the bad-nonce step sends a bad one on purpose), no artificial sleeps
  PEBBLE_WFE_NONCEREJECT=0 PEBBLE_VA_NOSLEEP=1 PEBBLE_AUTHZREUSE=0 \
    setsid pebble -strict -config "$d/pebble-config.json" </dev/null >"$d/pebble.log" 2>&1 &
  echo $! >"$d/pebble.pid"
  for i in $(seq 1 40); do
    kill -0 "$(cat "$d/pebble.pid")" 2>/dev/null || { echo "pebble exited: $(tail -n 1 "$d/pebble.log")" >"$d/pebble-start.txt"; return 1; }
    curl -sf --max-time 2 --cacert "$d/ca.pem" -o /dev/null "https://127.0.0.1:$PEBBLE_PORT/dir" && return 0
    sleep 0.25
  done
  echo "pebble did not answer within 10 s (see $d/pebble.log)" >"$d/pebble-start.txt"; return 1
}

# pebble_stop DIR: stops the pebble this file started (by its PID only), bounded wait
pebble_stop() {
  local d=$1 pid i
  [ -f "$d/pebble.pid" ] || return 0
  pid=$(cat "$d/pebble.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$d/pebble.pid"
}

pebble_diff_scenarios() {
  local s want=()
  for s in "${PEBBLE_DIFF_STEPS[@]}"; do run_here default "$s" && want+=("$s"); done
  [ ${#want[@]} -eq 0 ] && return 0
  local d=$WORK/pebble-diff node_path=$PWD/interop/clients/acme-client/node_modules/acme-client
  mkdir -p "$d"
  fail_all() { for s in "${want[@]}"; do record pebble-diff "$s" FAIL "$1"; done; }
  node_modules_ready || { fail_all "$NODE_MODULES_ERROR"; return 0; }
  if ! pebble_start "$d"; then fail_all "$(cat "$d/pebble-start.txt")"; pebble_stop "$d"; return 0; fi
  # the probes: pebble with a dns identifier, ours with an email identifier (RFC 8823); shapes compared
  ACME_CLIENT_PATH=$node_path NODE_EXTRA_CA_CERTS=$d/ca.pem timeout 120 node "$PEBBLE_DIFF_DIR/probe.mjs" \
    --directory "https://127.0.0.1:$PEBBLE_PORT/dir" --identifier dns:rfc8555-diff.example.test \
    --contact rfc8555-diff@users.example.test --out "$d/pebble.json" >"$d/probe-pebble.log" 2>&1 || true
  pebble_stop "$d"
  ACME_CLIENT_PATH=$node_path NODE_EXTRA_CA_CERTS=$CA_FILE timeout 120 node "$PEBBLE_DIFF_DIR/probe.mjs" \
    --directory "$DIRECTORY" --identifier "email:$ALICE" \
    --contact rfc8555-diff@users.example.test --out "$d/ours.json" >"$d/probe-ours.log" 2>&1 || true
  for s in pebble ours; do
    [ -s "$d/$s.json" ] || { fail_all "probe against $s wrote nothing: $(tail -n 1 "$d/probe-$s.log")"; return 0; }
  done
  node "$PEBBLE_DIFF_DIR/compare.mjs" "$d/pebble.json" "$d/ours.json" "${PEBBLE_DIFF_ALLOWLIST:-$PEBBLE_DIFF_DIR/allowlist.txt}" \
    "$d/report.txt" >"$d/compare.tsv" 2>"$d/compare.err" || true
  local step result reason
  for s in "${want[@]}"; do
    IFS=$'\t' read -r step result reason < <(awk -F'\t' -v s="$s" '$1 == s' "$d/compare.tsv") || true
    if [ -z "${result:-}" ]; then
      record pebble-diff "$s" FAIL "no comparison for this step ($(tail -n 1 "$d/compare.err" 2>/dev/null) see $d/report.txt)"
    else
      record pebble-diff "$s" "$result" "$reason"
    fi
    result=
  done
}
