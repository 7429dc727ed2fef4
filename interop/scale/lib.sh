# Components of the scale scenario (sourced by interop/scale/run.sh, never run): PostgreSQL on loopback,
# the ACME server instances, haproxy in front of them. Every start waits with a timeout; every stop
# targets the process ids recorded at start (a process group for setsid-started ones).
# Needs: WORK, BASE, DLL, PG_PORT, LB_PORT, LB_HTTP_PORT, INSTANCE_PORTS (assoc. name -> HTTP port).

PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)")
MAILBOX=acme@ca.example.test
PG_DIR=; HAPROXY_PID=
declare -A INSTANCE_PID=()

say() { printf 'scale: %s\n' "$*"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for SECONDS COMMAND...: runs COMMAND every 0.25 s until it succeeds; 1 after SECONDS
wait_for() {
  local end=$((SECONDS + $1)); shift
  while [ "$SECONDS" -lt "$end" ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  return 1
}

# stop_group PID [GRACE]: TERM the process group PID (started with setsid), then KILL after GRACE seconds
stop_group() {
  local pid=$1 grace=${2:-10} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 $((grace * 4))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  return 1
}

# ---- PostgreSQL: own cluster in a temporary folder, 127.0.0.1:$PG_PORT, durability off (a test) ----
pg_start() {
  [ -x "$PGBIN/initdb" ] || { say "no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"; return 1; }
  PG_DIR=$(mktemp -d /tmp/acme-scale-pg.XXXXXX) || return 1
  mkdir -p "$PG_DIR/data" "$PG_DIR/sock"; chown -R postgres "$PG_DIR"; chmod 755 "$PG_DIR"
  # initdb refuses to run as root
  runuser -u postgres -- "$PGBIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --no-sync >"$WORK/pg-initdb.log" 2>&1 \
    || { say "initdb failed: $(tail -n 3 "$WORK/pg-initdb.log" | tr '\n' ' ')"; return 1; }
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-p $PG_PORT -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >"$WORK/pg-start.log" 2>&1 || { say "PostgreSQL did not start: $(tail -n 3 "$PG_DIR/server.log" 2>/dev/null | tr '\n' ' ')"; return 1; }
  runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres acme >>"$WORK/pg-start.log" 2>&1 \
    || { say "createdb failed"; return 1; }
  (umask 077; echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=acme;Timeout=10;Command Timeout=30" >"$WORK/pg.connstr")
}

pg_stop() {
  [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ] || return 0
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 20 stop >/dev/null 2>&1 \
    || runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 10 stop >/dev/null 2>&1
  cp "$PG_DIR/server.log" "$WORK/postgresql.log" 2>/dev/null
  if [ -z "${SCALE_KEEP_PG:-}" ]; then rm -rf "$PG_DIR"; else say "PostgreSQL data kept in $PG_DIR"; fi
  PG_DIR=
}

# sql QUERY: one query, unaligned tab-separated rows, no header
sql() { "$PGBIN/psql" -X -q -A -t -F $'\t' -h 127.0.0.1 -p "$PG_PORT" -U postgres -d acme -v ON_ERROR_STOP=1 -c "$1"; }

# ---- ACME server instances: same database, CA, DKIM key and external URLs; own data folder and port ----
instance_args() {
  local name=$1 port=${INSTANCE_PORTS[$1]}
  # Development: the shared development CA and loopback CRL URLs (refused in Production, issue 12)
  printf '%s\n' \
    --environment Development \
    --urls "http://127.0.0.1:$port" \
    --Acme:BaseUrl="https://127.0.0.1:$LB_PORT" \
    --Acme:HttpBaseUrl="http://127.0.0.1:$LB_HTTP_PORT" \
    --Acme:DataDirectory="$WORK/$name" \
    --Acme:ChallengeMailbox=$MAILBOX \
    --Acme:TermsOfService="https://127.0.0.1:$LB_PORT/terms" \
    --Storage:Provider=PostgreSql --Storage:ConnectionStringFile="$WORK/pg.connstr" \
    --Issuance:DevelopmentCaDirectory="$WORK/ca" \
    --Issuance:RecoverProcessingAfter=00:00:30 \
    --Smtp:Host=127.0.0.1 --Smtp:Port="${SMTP_PORT:-2525}" --Smtp:Security=None \
    --Imap:Host=127.0.0.1 --Imap:Port="${IMAP_PORT:-1143}" --Imap:Security=None \
    --Imap:UserName=$MAILBOX --Imap:PasswordFile="$BASE/secrets/$MAILBOX.pass" \
    --Dkim:KeyPath="$BASE/dkim/acme.ca.example.test.rsa.pem" --Dkim:Domain=ca.example.test \
    --Dkim:Selector=acme --Dkim:Algorithm=rsa-sha256 \
    --Dns:Servers:0=127.0.0.1:"${DNS_PORT:-5353}" \
    --Caa:IssuerDomains:0=ca.example.test \
    --Mail:FirstSendDelay=00:00:01 --Mail:LoopInterval=00:00:00.5 \
    --Mail:MaxChallengesPerMailboxPerDay=1000 \
    --Logging:LogLevel:Microsoft.AspNetCore=Warning
}

instance_ready() { curl -sf --max-time 2 "http://127.0.0.1:${INSTANCE_PORTS[$1]}/directory" >/dev/null; }

# instance_start NAME: starts it in its own session (log $WORK/NAME.log, appended) and waits for its directory
instance_start() {
  local name=$1 args pid
  mapfile -t args < <(instance_args "$name")
  mkdir -p "$WORK/$name"
  echo "=== start $(date -u +%FT%T.%3NZ)" >>"$WORK/$name.log"
  setsid dotnet "$DLL" "${args[@]}" </dev/null >>"$WORK/$name.log" 2>&1 &
  pid=$!; disown "$pid"   # no job notice ("Killed") when it is killed on purpose
  INSTANCE_PID[$name]=$pid; echo "$pid" >"$WORK/$name.pid"
  local end=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$end" ]; do
    kill -0 "$pid" 2>/dev/null || { say "instance $name exited during start-up; last lines of $WORK/$name.log:"; tail -n 20 "$WORK/$name.log"; return 1; }
    instance_ready "$name" && return 0
    sleep 0.25
  done
  say "instance $name: directory did not answer within 60 s (log $WORK/$name.log)"; return 1
}

# instance_kill9 NAME: SIGKILL, then wait (at most 10 s) until the process is gone
instance_kill9() {
  local pid=${INSTANCE_PID[$1]} i
  kill -KILL "$pid" 2>/dev/null
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  ! kill -0 "$pid" 2>/dev/null
}

instance_stop() { [ -n "${INSTANCE_PID[$1]:-}" ] && stop_group "${INSTANCE_PID[$1]}" 15; }

# ---- haproxy: TLS terminated with a self-signed certificate, per-request round robin over the instances ----
lb_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=serverAuth" \
    -keyout "$WORK/lb.key" -out "$WORK/lb.pem" >"$WORK/lb-cert.log" 2>&1 || { say "openssl could not make the haproxy certificate"; return 1; }
  cat "$WORK/lb.pem" "$WORK/lb.key" >"$WORK/lb-combined.pem"; chmod 600 "$WORK/lb.key" "$WORK/lb-combined.pem"
}

lb_config() {
  cat <<EOF
# generated by interop/scale/run.sh
global
  log stdout format raw local0 info
  maxconn 500
defaults
  mode http
  log global
  # one line per request: time, frontend, backend/server, status, retries (+ = redispatched), request line
  log-format "%tr %ft %b/%s %ST rc=%rc %tsc %{+Q}r"
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # a new server-side connection per request, so consecutive requests of one client alternate instances
  option http-server-close
  # a request cut by a dead instance (refused connection, or closed without any answer) goes to the
  # other one; safe for ACME POSTs: each carries a single-use nonce, so a POST the dead instance had
  # already accepted comes back as badNonce (which clients retry with a fresh nonce), never runs twice.
  # Such a retry needs the whole request in haproxy's buffer: without http-buffer-request a client
  # that sends headers and body in two writes (python's http.client) gets a 502 instead.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response
  option http-buffer-request
frontend fe_acme
  bind 127.0.0.1:$LB_PORT ssl crt $WORK/lb-combined.pem
  default_backend be_acme
frontend fe_http
  bind 127.0.0.1:$LB_HTTP_PORT
  default_backend be_acme
backend be_acme
  balance roundrobin
  option httpchk GET /directory
  default-server check inter 1s fall 2 rise 1
EOF
  local name
  for name in $(printf '%s\n' "${!INSTANCE_PORTS[@]}" | sort); do echo "  server $name 127.0.0.1:${INSTANCE_PORTS[$name]}"; done
}

lb_start() {
  lb_certificate || return 1
  lb_config >"$WORK/haproxy.cfg"
  haproxy -c -f "$WORK/haproxy.cfg" >"$WORK/haproxy-check.log" 2>&1 || { say "haproxy refuses its configuration: $(tail -n 3 "$WORK/haproxy-check.log" | tr '\n' ' ')"; return 1; }
  setsid haproxy -db -f "$WORK/haproxy.cfg" </dev/null >"$WORK/haproxy.log" 2>&1 &
  HAPROXY_PID=$!
  wait_for 20 curl -sf --max-time 2 --cacert "$WORK/lb.pem" "https://127.0.0.1:$LB_PORT/directory" \
    || { say "haproxy did not answer on $LB_PORT within 20 s: $(tail -n 3 "$WORK/haproxy.log" | tr '\n' ' ')"; return 1; }
}

lb_stop() { [ -n "$HAPROXY_PID" ] && stop_group "$HAPROXY_PID" 5; HAPROXY_PID=; }
