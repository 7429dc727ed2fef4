#!/usr/bin/env bash
# Scale scenario (issue 11 section 4): two ACME server instances on one PostgreSQL database behind
# haproxy (TLS at haproxy, per-request round robin), the loopback mail stack, two independent clients
# (pyacme on Debian's python3-acme, npm acme-client) issuing in parallel; midway the instance holding
# the reply-reader lease is killed with SIGKILL and restarted with the same settings.
# Afterwards it prints one line per check and the counts it is based on:
#   both instances served requests (haproxy log); the kill and the restart happened;
#   issuances completed / attempted; orders and certificates in the database;
#   challenge mails delivered per token in the users' Maildirs (0 sent twice, 0 missing);
#   every challenge validated; replies (each recorded and judged exactly once, none lost);
#   the CRL after one revocation, fetched from both instances directly: byte-identical.
# Last line "scale: N passed, N failed"; exit status 1 on any failure; everything it started is
# stopped on every exit (trap), the mail stack only if this script started it.
# usage: interop/scale/run.sh          (from anywhere; see interop/README.md "Scale scenario")
# env:   BASE (default $PWD/.teststack)  SCALE_WORK (default $BASE/scale; wiped at start)
#        SCALE_PER_CLIENT (12 issuances per client)  SCALE_SLOTS (3 concurrent runs per client)
#        SCALE_TIME_LIMIT (340 s: the whole run, stopped and failed after it)
#        SCALE_PG_PORT (14432) SCALE_LB_PORT (14400, https) SCALE_LB_HTTP_PORT (14401)
#        SCALE_A_PORT (14410) SCALE_B_PORT (14420)   SCALE_KEEP_PG=1 keeps the database folder
#        SMTP_PORT, IMAP_PORT, DNS_PORT as for the stack
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export BASE=${BASE:-$ROOT/.teststack}
WORK=${SCALE_WORK:-$BASE/scale}
DLL=$ROOT/Acme.Server/bin/Debug/net10.0/Acme.Server.dll
PER_CLIENT=${SCALE_PER_CLIENT:-12}; SLOTS=${SCALE_SLOTS:-3}; TIME_LIMIT=${SCALE_TIME_LIMIT:-340}
PG_PORT=${SCALE_PG_PORT:-14432}; LB_PORT=${SCALE_LB_PORT:-14400}; LB_HTTP_PORT=${SCALE_LB_HTTP_PORT:-14401}
declare -A INSTANCE_PORTS=([a]=${SCALE_A_PORT:-14410} [b]=${SCALE_B_PORT:-14420})
CLIENTS=(pyacme acme-client)
REVOKE=pyacme-01   # this issuance revokes its certificate afterwards (the CRL check)

case "${1:-}" in -h|--help) sed -n 2,22p "$0"; exit 0 ;; "") ;; *) echo "usage: $0 (no arguments; see --help)" >&2; exit 2 ;; esac

# shellcheck source=lib.sh
. interop/scale/lib.sh

PASSED=0; FAILED=0; SUMMARY_DONE=0; STACK_STARTED=0; WATCHDOG=
SLOT_PIDS=()
check() {   # check PASS|FAIL TEXT: one check, one line
  if [ "$1" = PASS ]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
  say "$1 $2"
}
info() { say "  $*"; }
summary() { SUMMARY_DONE=1; say "$PASSED passed, $FAILED failed"; }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local p
  for p in "${SLOT_PIDS[@]}"; do stop_group "$p" 5; done
  lb_stop
  for p in a b; do instance_stop "$p"; done
  pg_stop
  if [ "$STACK_STARTED" = 1 ]; then bash interop/stack/teststack.sh stop >/dev/null 2>&1 || say "mail stack stop failed"; fi
  [ -n "$WATCHDOG" ] && stop_group "$WATCHDOG" 1
  if [ "$SUMMARY_DONE" = 0 ]; then
    check FAIL "run aborted before its checks (see $WORK)"
    summary
  fi
  [ "$FAILED" -gt 0 ] && [ "$rc" -eq 0 ] && rc=1
  exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "stopped (time limit of ${TIME_LIMIT} s or TERM)"; exit 124' TERM
give_up() { check FAIL "$1"; summary; exit 1; }

T0=$SECONDS
# the whole run is bounded: a watchdog TERMs this script after TIME_LIMIT seconds (then cleanup runs)
setsid bash -c "sleep $TIME_LIMIT; kill -TERM $$" </dev/null >/dev/null 2>&1 &
WATCHDOG=$!

# ---- preflight ----
for c in haproxy dotnet node curl openssl runuser; do command -v "$c" >/dev/null 2>&1 || give_up "$c is not installed"; done
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import acme' 2>/dev/null || give_up "Debian's python3-acme is not installed"
for p in "$PG_PORT" "$LB_PORT" "$LB_HTTP_PORT" "${INSTANCE_PORTS[@]}"; do port_free "$p" || give_up "port $p is in use (set the SCALE_*_PORT variables)"; done
rm -rf "$WORK"; mkdir -p "$WORK/issue"
if [ ! -f "$DLL" ]; then
  say "building (no $DLL)"
  timeout 300 dotnet build "$ROOT/Acme.sln" --nologo -v q >"$WORK/build.log" 2>&1 || give_up "dotnet build Acme.sln failed (see $WORK/build.log)"
fi
if ! bash interop/stack/teststack.sh status >/dev/null 2>&1; then
  say "starting the mail stack in $BASE"
  [ -f "$BASE/dns/dnsmasq.conf" ] || bash interop/stack/teststack.sh setup >"$WORK/stack.log" 2>&1 || give_up "teststack.sh setup failed (see $WORK/stack.log; was 'install' run?)"
  STACK_STARTED=1
  bash interop/stack/teststack.sh start >>"$WORK/stack.log" 2>&1 || give_up "teststack.sh start failed (see $WORK/stack.log)"
fi
[ -f "$BASE/secrets/$MAILBOX.pass" ] || give_up "no mail stack secrets in $BASE/secrets"
INTEROP_WORK=$WORK . interop/lib/common.sh
node_modules_ready || give_up "$NODE_MODULES_ERROR"

# ---- components ----
pg_start || give_up "PostgreSQL did not start"
say "PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
# a first: it runs the migrations and creates the shared development CA; b then loads the same CA
instance_start a || give_up "instance a did not start"
instance_start b || give_up "instance b did not start"
say "instances a (pid ${INSTANCE_PID[a]}, http://127.0.0.1:${INSTANCE_PORTS[a]}) and b (pid ${INSTANCE_PID[b]}, http://127.0.0.1:${INSTANCE_PORTS[b]}), one database, CA $WORK/ca"
lb_start || give_up "haproxy did not start"
DIRECTORY_URL=https://127.0.0.1:$LB_PORT/directory
say "haproxy at $DIRECTORY_URL (certificate $WORK/lb.pem) in front of both; set-up took $((SECONDS - T0)) s"

# ---- parallel issuances: SLOTS concurrent runs per client, each runs its share one after another ----
PLANNED=$((PER_CLIENT * ${#CLIENTS[@]}))
export SCALE_WORK=$WORK SCALE_DIRECTORY=$DIRECTORY_URL SCALE_CA_FILE=$WORK/lb.pem SCALE_REVOKE=$REVOKE
T_CLIENTS=$SECONDS
for client in "${CLIENTS[@]}"; do
  for s in $(seq 1 "$SLOTS"); do
    nums=(); for n in $(seq "$s" "$SLOTS" "$PER_CLIENT"); do nums+=("$n"); done
    setsid bash interop/scale/slot.sh "$client" "${nums[@]}" </dev/null >"$WORK/slot-$client-$s.log" 2>&1 &
    SLOT_PIDS+=($!)
  done
done
say "$PLANNED issuances started: ${CLIENTS[*]}, $PER_CLIENT each, $SLOTS at a time per client (mailboxes alice and bob)"

results() { find "$WORK/issue" -name result 2>/dev/null | wc -l; }
slots_running() { local p; for p in "${SLOT_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }

# kill -9 midway: the instance holding the reply-reader lease (the interesting one: replies in flight
# must be taken over), when half of the issuances have finished or 120 s have passed
KILLED=; KILL_AT=; KILL_DONE=; RESTART_SECS=; RESTART_LINE=0; KILL_WHY=; KILL_STATE=
kill_midway() {
  local holder hpid name
  holder=$(sql "SELECT holder FROM leases WHERE name = 'reply-reader'" 2>/dev/null)
  hpid=$(cut -d: -f2 <<<"$holder")
  KILLED=a; KILL_WHY="no reply-reader lease found, so a"
  for name in a b; do [ "${INSTANCE_PID[$name]}" = "$hpid" ] && { KILLED=$name; KILL_WHY="it held the reply-reader lease"; }; done
  KILL_STATE=$(sql "SELECT (SELECT count(*) FROM challenge_mails WHERE status = 'sending') || ' mail(s) being sent, ' ||
                           (SELECT count(*) FROM challenge_mails WHERE status = 'queued') || ' queued, ' ||
                           (SELECT count(*) FROM inbound_replies WHERE processed_at IS NULL) || ' reply(ies) unjudged, ' ||
                           (SELECT count(*) FROM orders WHERE status = 'processing') || ' order(s) processing'" 2>/dev/null)
  KILL_AT=$((SECONDS - T_CLIENTS)); KILL_DONE=$(results)
  instance_kill9 "$KILLED" || { say "instance $KILLED survived SIGKILL"; return 1; }
  say "killed instance $KILLED (pid ${INSTANCE_PID[$KILLED]}) with SIGKILL at ${KILL_AT} s, $KILL_DONE of $PLANNED issuances finished ($KILL_WHY; at that moment: $KILL_STATE)"
  local t=$SECONDS
  instance_start "$KILLED" || return 1
  RESTART_SECS=$((SECONDS - t)); RESTART_LINE=$(wc -l <"$WORK/haproxy.log")
  say "restarted instance $KILLED (pid ${INSTANCE_PID[$KILLED]}) with the same settings in ${RESTART_SECS} s"
}

RESTART_OK=0
while slots_running; do
  if [ -z "$KILLED" ] && { [ "$(results)" -ge $(((PLANNED + 1) / 2)) ] || [ $((SECONDS - T_CLIENTS)) -ge 120 ]; }; then
    kill_midway && RESTART_OK=1
  fi
  sleep 1
done
CLIENT_SECS=$((SECONDS - T_CLIENTS))
say "clients finished after ${CLIENT_SECS} s"

# ---- checks ----
# 1. both instances served requests (haproxy log: one line per request with backend/server)
# request lines: "<date> <frontend> be_acme/<server> <status> rc=<retries> <flags> "<request>"" (log-format in lib.sh)
served() { awk -v s="be_acme/$1" '$3 == s && $5 ~ /^rc=/' "$WORK/haproxy.log" | wc -l; }
served_a=$(served a); served_b=$(served b); nosrv=$(served '<NOSRV>')
after=0; [ -n "$KILLED" ] && after=$(tail -n +"$((RESTART_LINE + 1))" "$WORK/haproxy.log" | awk -v s="be_acme/$KILLED" '$3 == s && $5 ~ /^rc=/' | wc -l)
retried=$(awk '$3 ~ /^be_acme\// && $5 ~ /^rc=\+?[1-9]/' "$WORK/haproxy.log" | wc -l)
if [ "$served_a" -gt 0 ] && [ "$served_b" -gt 0 ] && [ "$after" -gt 0 ]; then r=PASS; else r=FAIL; fi
check $r "requests served (haproxy log): a=$served_a, b=$served_b, ${KILLED:-none} after its restart=$after, no server=$nosrv, retried by haproxy=$retried"
info "HTTP status of the requests: $(awk '$3 ~ /^be_acme\// && $5 ~ /^rc=/ {print $4}' "$WORK/haproxy.log" | sort | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')"

# 2. the kill and the restart
if [ -n "$KILLED" ] && [ "$RESTART_OK" = 1 ]; then r=PASS; else r=FAIL; fi
check $r "kill -9 midway: instance ${KILLED:-none} killed at ${KILL_AT:-?} s after $KILL_DONE/$PLANNED issuances ($KILL_WHY), restarted in ${RESTART_SECS:-?} s"
for name in a b; do
  grep -h 'reply-reader lease' "$WORK/$name.log" | sed -E "s/^([0-9:]+) [a-z]+: [^ ]+ /scale:     $name log \1 /"
done

# 3. issuances completed / attempted
attempted=$(results)
completed=$(cat "$WORK"/issue/*/result 2>/dev/null | grep -c '^PASS')
per_client=""
for client in "${CLIENTS[@]}"; do
  a_=$(ls "$WORK"/issue/"$client"-*/result 2>/dev/null | wc -l); p_=$(cat "$WORK"/issue/"$client"-*/result 2>/dev/null | grep -c '^PASS')
  per_client="$per_client, $client $p_/$a_"
done
median=$(cat "$WORK"/issue/*/result 2>/dev/null | awk -F'\t' '$1 == "PASS" {print $2}' | sort -n | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print "-"}')
slowest=$(cat "$WORK"/issue/*/result 2>/dev/null | awk -F'\t' '{print $2}' | sort -n | tail -n 1)
if [ "$attempted" -eq "$PLANNED" ] && [ "$completed" -eq "$attempted" ]; then r=PASS; else r=FAIL; fi
check $r "issuances completed/attempted: $completed/$attempted (planned $PLANNED${per_client}; median ${median} s, slowest ${slowest:-?} s per issuance)"
for f in "$WORK"/issue/*/result; do
  [ -f "$f" ] || continue
  grep -q '^FAIL' "$f" && say "    $(basename "$(dirname "$f")"): $(cut -f3 "$f" | cut -c1-200)"
done
nonce_py=$(grep -h '^badNonce retries: ' "$WORK"/issue/pyacme-*/client.log 2>/dev/null | awk '{s += $3} END {print s + 0}')
nonce_ac=$(grep -h '^NONCE-RETRIES ' "$WORK"/issue/acme-client-*/client.log 2>/dev/null | awk '{s += $2} END {print s + 0}')
info "badNonce answers the clients retried: pyacme $nonce_py, acme-client $nonce_ac"

# 4. the database agrees: one valid order and one certificate per completed issuance, nothing stuck
orders=$(sql "SELECT status || '=' || count(*) FROM orders GROUP BY status ORDER BY status" | paste -sd' ')
certs=$(sql "SELECT count(*) FROM certificates")
valid_orders=$(sql "SELECT count(*) FROM orders WHERE status = 'valid'")
stuck=$(sql "SELECT count(*) FROM orders WHERE status IN ('processing', 'invalid')")
recovered=$(sql "SELECT count(*) FROM audit_events WHERE event = 'order.recovery-started'")
if [ "$certs" = "$completed" ] && [ "$valid_orders" = "$completed" ] && [ "$stuck" = 0 ]; then r=PASS; else r=FAIL; fi
check $r "database: $certs certificates, orders ${orders:-none}; $stuck processing or invalid; $recovered finalize recoveries"

# challenges of this run (fresh database): id, token-part1, status, reply relied on
sql "SELECT c.id, coalesce(c.token_part1, '-'), c.status, coalesce(c.validation_reply_id, '-') FROM challenges c" >"$WORK/challenges.tsv"
n_ch=$(wc -l <"$WORK/challenges.tsv")

# 5. challenge mails: each token's mail in the users' Maildirs exactly once
for u in alice bob; do
  find "$BASE/mail/users.example.test/$u/Maildir" -type f \( -path '*/new/*' -o -path '*/cur/*' \) -print0 2>/dev/null |
    xargs -0 -r grep -h -m1 -oE '^Subject: ACME: [A-Za-z0-9_-]+' | sed 's/^Subject: ACME: //'
done | sort | uniq -c | awk '{print $2 "\t" $1}' >"$WORK/maildir-tokens.tsv"
awk -F'\t' 'NR == FNR {n[$1] = $2; next} {print $1 "\t" $2 "\t" (($2 in n) ? n[$2] : 0)}' "$WORK/maildir-tokens.tsv" "$WORK/challenges.tsv" >"$WORK/mails-per-token.tsv"
twice=$(awk -F'\t' '$3 > 1' "$WORK/mails-per-token.tsv" | wc -l)
missing=$(awk -F'\t' '$3 == 0' "$WORK/mails-per-token.tsv" | wc -l)
delivered=$(awk -F'\t' '$3 == 1' "$WORK/mails-per-token.tsv" | wc -l)
mails=$(sql "SELECT status || '=' || count(*) FROM challenge_mails GROUP BY status ORDER BY status" | paste -sd' ')
reclaimed=$(sql "SELECT count(*) FROM challenge_mails WHERE attempts > 1")
if [ "$n_ch" -gt 0 ] && [ "$twice" = 0 ] && [ "$missing" = 0 ]; then r=PASS; else r=FAIL; fi
check $r "challenge mails: $n_ch challenges, $delivered delivered once, $twice sent twice, $missing missing (outbox: ${mails:-none}; $reclaimed needed more than one attempt)"
awk -F'\t' '$3 != 1 {print "scale:     token " $2 " of challenge " $1 ": " $3 " mails"}' "$WORK/mails-per-token.tsv"
sql "SELECT challenge_id, attempts, to_char(to_timestamp(lease_until / 1000.0) AT TIME ZONE 'UTC', 'HH24:MI:SS') FROM challenge_mails WHERE status = 'sending'" |
  awk -F'\t' '{print "scale:     mail of challenge " $1 " still claimed (attempt " $2 "), its lease runs until " $3 " UTC (Mail:SendLease)"}'

# 6. every challenge validated
valid_ch=$(awk -F'\t' '$3 == "valid"' "$WORK/challenges.tsv" | wc -l)
authz=$(sql "SELECT status || '=' || count(*) FROM authorizations GROUP BY status ORDER BY status" | paste -sd' ')
if [ "$n_ch" -gt 0 ] && [ "$valid_ch" = "$n_ch" ]; then r=PASS; else r=FAIL; fi
check $r "challenges validated: $valid_ch/$n_ch (authorizations: ${authz:-none})"

# 7. replies: each reply to this run's challenges that reached the CA mailbox was recorded, judged
# exactly once (audit trail and both server logs), and is the reply the challenge relied on
find "$BASE/mail/ca.example.test/acme/Maildir" -type f \( -path '*/new/*' -o -path '*/cur/*' \) -print0 2>/dev/null |
  xargs -0 -r grep -h -m1 -oE '^Subject: Re: ACME: [A-Za-z0-9_-]+' | sed 's/^Subject: Re: ACME: //' | sort | uniq -c |
  awk '{print $2 "\t" $1}' >"$WORK/acme-reply-tokens.tsv"
replies_in_box=$(awk -F'\t' 'NR == FNR {run[$2] = 1; next} ($1 in run) {s += $2} END {print s + 0}' "$WORK/challenges.tsv" "$WORK/acme-reply-tokens.tsv")
sql "SELECT r.id, coalesce(r.challenge_id, '-'), coalesce(r.outcome, '-'), CASE WHEN r.processed_at IS NULL THEN 'unprocessed' ELSE 'processed' END
     FROM inbound_replies r" >"$WORK/replies.tsv"
recorded=$(awk -F'\t' '$2 != "-"' "$WORK/replies.tsv" | wc -l)
unprocessed=$(awk -F'\t' '$4 == "unprocessed"' "$WORK/replies.tsv" | wc -l)
other=$(awk -F'\t' '$2 == "-"' "$WORK/replies.tsv" | wc -l)
outcomes=$(awk -F'\t' '$2 != "-" {print $3}' "$WORK/replies.tsv" | sort | uniq -c | awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1}')
judged_twice_audit=$(sql "SELECT count(*) FROM (SELECT substring(detail FROM '^reply ([^:]+):') AS r FROM audit_events WHERE event = 'reply.processed' GROUP BY 1 HAVING count(*) > 1) d")
judged_twice_log=$(cat "$WORK/a.log" "$WORK/b.log" | grep -oE 'ReplyProcessor\[[0-9]+\] Reply [^ ]+ for challenge' | awk '{print $3}' | sort | uniq -d | wc -l)
# each client sends one reply per challenge: a challenge with two recorded replies means one was recorded twice
received_twice=$(awk -F'\t' '$2 != "-" {n[$2]++} END {for (c in n) if (n[c] > 1) k++; print k + 0}' "$WORK/replies.tsv")
# lost: a reply that reached the CA mailbox while its challenge has no reply it relied on, or fewer
# recorded replies than replies in the mailbox (a challenge whose mail never went out has no reply
# to lose: the mail and validation checks count it)
no_reply=$(awk -F'\t' 'NR == FNR {inbox[$1] = 1; next} ($2 in inbox) && $4 == "-"' "$WORK/acme-reply-tokens.tsv" "$WORK/challenges.tsv" | wc -l)
lost=$((no_reply + (replies_in_box > recorded ? replies_in_box - recorded : 0)))
twice_total=$((judged_twice_audit > judged_twice_log ? judged_twice_audit : judged_twice_log))
twice_total=$((twice_total + received_twice))
if [ "$recorded" -gt 0 ] && [ "$unprocessed" = 0 ] && [ "$twice_total" = 0 ] && [ "$lost" = 0 ]; then r=PASS; else r=FAIL; fi
check $r "replies: $replies_in_box in the CA mailbox for this run, $recorded recorded ($outcomes), $unprocessed unprocessed, $twice_total judged twice (audit $judged_twice_audit, logs $judged_twice_log, recorded twice $received_twice), $lost lost"
info "older replies in the CA mailbox read by this fresh database and judged uncorrelated: $other"

# 8. the CRL after the revocation, from both instances directly (their own HTTP ports, not haproxy).
# Nobody fetched it during the run, so the first request generates it. 8a: the first requests reach a
# and b at the same moment (two relying parties right after a revocation); 8b: then a, then b.
rev_dir=$WORK/issue/$REVOKE
serial=$(openssl x509 -in "$rev_dir/leaf.pem" -noout -serial 2>/dev/null | cut -d= -f2)
revoked_db=$(sql "SELECT count(*) FROM certificates WHERE status = 'revoked'")
stored_before=$(sql "SELECT count(*) FROM crls")
info "revocation: serial ${serial:-none} ($(grep -c '^revoked by account' "$rev_dir/client.log" 2>/dev/null) by $REVOKE), $revoked_db revoked in the database, $stored_before CRL(s) stored before the fetches"
fetch_crl() { curl -sf --max-time 10 -o "$WORK/crl-$2.der" "http://127.0.0.1:${INSTANCE_PORTS[$1]}/crl/issuing.crl"; }
crl_number() { openssl crl -inform DER -in "$1" -noout -crlnumber 2>/dev/null | cut -d= -f2; }
crl_pids=(); fetch_crl a race-a & crl_pids+=($!); fetch_crl b race-b & crl_pids+=($!)
race_ok=1; for j in "${crl_pids[@]}"; do wait "$j" || race_ok=0; done
stored=$(sql "SELECT number || ' (' || length(der) || ' bytes)' FROM crls ORDER BY number" | paste -sd' ' -)
if [ "$race_ok" = 1 ]; then
  if cmp -s "$WORK/crl-race-a.der" "$WORK/crl-race-b.der"; then r=PASS; same=identical; else r=FAIL; same=DIFFERENT; fi
  check $r "CRL, first requests to a and b at the same moment: $same bytes (CRL number $(crl_number "$WORK/crl-race-a.der") / $(crl_number "$WORK/crl-race-b.der"), sha256 $(sha256sum <"$WORK/crl-race-a.der" | cut -c1-12) / $(sha256sum <"$WORK/crl-race-b.der" | cut -c1-12)); stored now: $stored"
else
  check FAIL "CRL, first requests to a and b at the same moment: a fetch failed"
fi
if fetch_crl a a && fetch_crl b b; then
  openssl crl -inform DER -in "$WORK/crl-a.der" -noout -text >"$WORK/crl-a.txt" 2>&1
  entries=$(grep -c 'Serial Number:' "$WORK/crl-a.txt")
  listed=no; [ -n "$serial" ] && grep -qi "Serial Number: $serial" "$WORK/crl-a.txt" && listed=yes
  openssl crl -inform DER -in "$WORK/crl-a.der" -out "$WORK/crl-a.pem" 2>/dev/null
  verdict=$(openssl verify -crl_check -CRLfile "$WORK/crl-a.pem" -CAfile "$rev_dir/root.pem" -untrusted "$rev_dir/issuing.pem" "$rev_dir/leaf.pem" 2>&1 | grep -c 'certificate revoked')
  if cmp -s "$WORK/crl-a.der" "$WORK/crl-b.der"; then same=identical; else same=DIFFERENT; fi
  if [ "$same" = identical ] && [ "$listed" = yes ] && [ "$verdict" -gt 0 ]; then r=PASS; else r=FAIL; fi
  check $r "CRL from a, then from b: $same bytes ($(stat -c %s "$WORK/crl-a.der")/$(stat -c %s "$WORK/crl-b.der") bytes, CRL number $(crl_number "$WORK/crl-a.der") / $(crl_number "$WORK/crl-b.der"), $entries entry), revoked serial listed: $listed, openssl verify -crl_check: $([ "$verdict" -gt 0 ] && echo 'certificate revoked' || echo 'not revoked')"
else
  check FAIL "CRL from a, then from b: a fetch failed"
fi

errors_a=$(grep -cE '^[0-9:]+ (fail|crit):' "$WORK/a.log"); errors_b=$(grep -cE '^[0-9:]+ (fail|crit):' "$WORK/b.log")
info "error lines in the server logs: a=$errors_a, b=$errors_b; wall time $((SECONDS - T0)) s (clients ${CLIENT_SECS} s); work files in $WORK"
summary
[ "$FAILED" -eq 0 ]
