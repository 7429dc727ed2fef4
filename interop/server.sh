#!/usr/bin/env bash
# Runs the built ACME server in the background against the loopback mail + DNS stack
# (interop/stack/teststack.sh). Builds nothing: run `dotnet build Acme.sln` first.
# usage: server.sh start [PROFILE]|stop|status
#   PROFILE      default | nonce-reject | compat | short-lived (see profile_args below); a running
#                server with another profile is restarted (its data directory is kept)
#   BASE         stack directory (default $PWD/.teststack); server state in $ACME_SERVER_DATA
#                (default $BASE/server-data), log in $ACME_SERVER_DATA.log, PID in $ACME_SERVER_DATA.pid
#   ACME_HTTPS_PORT (14000), ACME_HTTP_PORT (14002); SMTP_PORT, IMAP_PORT, DNS_PORT as for the stack
#   Several servers may share one stack (own ports and ACME_SERVER_DATA each): every server reads the
#   whole challenge mailbox and ignores replies it cannot correlate with its own challenges.
# The TLS certificate clients must trust: $ACME_SERVER_DATA/tls/server.pem
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${BASE:-$PWD/.teststack}
HTTPS_PORT=${ACME_HTTPS_PORT:-14000}; HTTP_PORT=${ACME_HTTP_PORT:-14002}
SMTP_PORT=${SMTP_PORT:-2525}; IMAP_PORT=${IMAP_PORT:-1143}; DNS_PORT=${DNS_PORT:-5353}
DLL=${ACME_SERVER_DLL:-$PWD/Acme.Server/bin/Debug/net10.0/Acme.Server.dll}
DATA=${ACME_SERVER_DATA:-$BASE/server-data}
PIDFILE=$DATA.pid
LOG=$DATA.log
PROFILEFILE=$DATA.profile
DIR_URL=https://127.0.0.1:$HTTPS_PORT/directory
MAILBOX=acme@ca.example.test

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

# Extra settings per profile. Every profile runs in the Development environment: the server makes its development
# CA and puts loopback CRL URLs into certificates, both refused in Production; the test switches need it too.
profile_args() {
  case "$1" in
    default) ;;
    nonce-reject) echo "--Acme:NonceRejectPercent=${NONCE_REJECT_PERCENT:-34}" ;;
    # acme_email: dns identifiers holding an address; one challenge mail at a time per order, the next one 3 s after
    # the previous reply arrived (the client reads only the message the last IMAP EXISTS names)
    compat) echo "--Acme:RewriteDnsIdentifiersWithAt=true --Mail:SequentialChallengeMails=true --Mail:SequentialSendDelay=00:00:03" ;;
    short-lived) echo "--Acme:PendingAuthorizationLifetime=00:01:00" ;;
    *) echo "server: unknown profile '$1' (default, nonce-reject, compat, short-lived)" >&2; return 1 ;;
  esac
}

start() {
  local profile=${1:-default} extra
  extra=$(profile_args "$profile") || return 2
  if running; then
    if [ "$(cat "$PROFILEFILE" 2>/dev/null || echo default)" = "$profile" ]; then
      echo "server: already running (pid $(cat "$PIDFILE"), profile $profile)"; return 0
    fi
    stop
  fi
  [ -f "$DLL" ] || { echo "server: $DLL missing; run 'dotnet build Acme.sln' first" >&2; return 1; }
  [ -f "$BASE/secrets/$MAILBOX.pass" ] || { echo "server: no mail stack in $BASE (teststack.sh setup start)" >&2; return 1; }
  mkdir -p "$DATA"
  echo "=== start $(date -u +%FT%TZ) profile $profile" >>"$LOG"
  # setsid + all stdio redirected: the server never holds the caller's stdout/stderr open
  setsid dotnet "$DLL" --environment Development \
    --urls "https://127.0.0.1:$HTTPS_PORT;http://127.0.0.1:$HTTP_PORT" \
    --Acme:DataDirectory="$DATA" \
    --Acme:ChallengeMailbox=$MAILBOX \
    --Acme:TermsOfService=https://127.0.0.1:$HTTPS_PORT/terms \
    --Smtp:Host=127.0.0.1 --Smtp:Port="$SMTP_PORT" --Smtp:Security=None \
    --Imap:Host=127.0.0.1 --Imap:Port="$IMAP_PORT" --Imap:Security=None \
    --Imap:UserName=$MAILBOX --Imap:PasswordFile="$BASE/secrets/$MAILBOX.pass" \
    --Dkim:KeyPath="$BASE/dkim/acme.ca.example.test.rsa.pem" --Dkim:Domain=ca.example.test \
    --Dkim:Selector=acme --Dkim:Algorithm=rsa-sha256 \
    --Dns:Servers:0=127.0.0.1:"$DNS_PORT" \
    --Caa:IssuerDomains:0=ca.example.test \
    --Mail:FirstSendDelay=00:00:01 --Mail:LoopInterval=00:00:00.5 \
    --Mail:MaxChallengesPerMailboxPerDay=1000 --Logging:LogLevel:Microsoft.AspNetCore=Warning \
    $extra </dev/null >>"$LOG" 2>&1 &
  echo $! >"$PIDFILE"; echo "$profile" >"$PROFILEFILE"
  local i
  for i in $(seq 1 60); do
    if ! running; then echo "server: exited during start-up; last lines of $LOG:" >&2; tail -n 30 "$LOG" >&2; rm -f "$PIDFILE"; return 1; fi
    if [ -f "$DATA/tls/server.pem" ] &&
       curl -sf --max-time 2 --cacert "$DATA/tls/server.pem" "$DIR_URL" >/dev/null 2>&1; then
      echo "server: running (pid $(cat "$PIDFILE"), profile $profile) at $DIR_URL"; return 0
    fi
    sleep 0.5
  done
  echo "server: directory did not answer within 30 s; last lines of $LOG:" >&2; tail -n 30 "$LOG" >&2
  stop; return 1
}

stop() {
  running || { rm -f "$PIDFILE" "$PROFILEFILE"; echo "server: not running"; return 0; }
  local pid i; pid=$(cat "$PIDFILE")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  kill -0 "$pid" 2>/dev/null && { echo "server: pid $pid did not exit" >&2; return 1; }
  rm -f "$PIDFILE" "$PROFILEFILE"; echo "server: stopped"
}

status() { if running; then echo "server: running (pid $(cat "$PIDFILE"))"; else echo "server: not running"; fi; }

case "${1:-}" in
  start) start "${2:-default}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [default|nonce-reject|compat|short-lived] | stop | status" >&2; exit 2 ;;
esac
