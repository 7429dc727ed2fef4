#!/usr/bin/env bash
# Benchmark: our server (RFC 8823 email-reply-00 over the file mail transport) and Pebble (RFC 8555 with an
# always-valid http-01 challenge) under the same load client (interop/bench/Acme.Bench). Builds the server and
# the client in Release, starts dnsmasq, our server and Pebble on loopback ports of their own over a fresh
# temporary directory, runs the client, and stops everything it started (by PID) on every exit path.
#
# usage: bash interop/bench/run.sh [run options] [client options]
#   run options:
#     --smoke                3 issuances per server at concurrency 1 (warm-up 1); exit non-zero on any failure;
#                            last line "bench smoke: N issuances ours, N pebble, OK"
#     --keep                 keep the work directory (logs, data) after a successful run
#     --mail-on-disk         keep the file transport's mail folders in the data directory on disk; by default they
#                            are on tmpfs (/dev/shm) when it is writable, the database always on disk (see below)
#     --dkim-alg rsa|ed25519 the users' DKIM key (default rsa: RSA 2048, rsa-sha256)
#     --server-arg KEY=VALUE one more setting for our server, e.g. --server-arg Mail:LoopInterval=00:00:00.2
#     --server-dll PATH      run this build of our server instead of building Acme.Server (e.g. a ReadyToRun publish)
#     --server-env NAME=VALUE an environment variable for our server's process only, e.g. --server-env DOTNET_TieredPGO=0
#   client options: everything else, e.g. --concurrency 1,4,16 --issuances 60 --warmup 20 --stored 1000
#     (dotnet interop/bench/Acme.Bench/bin/Release/net10.0/Acme.Bench.dll --help lists them)
#   ports (environment): BENCH_OURS_HTTPS_PORT 24443, BENCH_OURS_HTTP_PORT 24080, BENCH_PEBBLE_PORT 24000,
#     BENCH_PEBBLE_MGMT_PORT 24055, BENCH_DNS_PORT 25353; PEBBLE_NONCE_REJECT (default 0)
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DEBIAN_FRONTEND=noninteractive

OURS_HTTPS=${BENCH_OURS_HTTPS_PORT:-24443}; OURS_HTTP=${BENCH_OURS_HTTP_PORT:-24080}
PEBBLE_PORT=${BENCH_PEBBLE_PORT:-24000}; PEBBLE_MGMT=${BENCH_PEBBLE_MGMT_PORT:-24055}
DNS_PORT=${BENCH_DNS_PORT:-25353}
# TTL of the records dnsmasq serves (the DKIM key): real domains publish theirs for minutes to hours; dnsmasq's own default is 0.
DNS_TTL=${BENCH_DNS_TTL:-300}
USER_DOMAIN=users.bench.test; SELECTOR=bench; CHALLENGE_MAILBOX=acme@ca.bench.test
SERVER_DLL=$PWD/Acme.Server/bin/Release/net10.0/Acme.Server.dll
BENCH_DLL=$PWD/interop/bench/Acme.Bench/bin/Release/net10.0/Acme.Bench.dll

die() { echo "bench: $*" >&2; exit 1; }

custom_dll=0; smoke=0; keep=0; mail_on_disk=0; dkim_alg=rsa; server_args=(); server_env=(); bench_args=(); servers=ours,pebble
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; bench_args+=(--smoke); shift ;;
    --keep) keep=1; shift ;;
    --mail-on-disk) mail_on_disk=1; shift ;;
    --dkim-alg) [ $# -ge 2 ] || die "--dkim-alg needs rsa or ed25519"; dkim_alg=$2; shift 2 ;;
    --server-arg) [ $# -ge 2 ] || die "--server-arg needs KEY=VALUE"; server_args+=("--$2"); shift 2 ;;
    --server-dll) [ $# -ge 2 ] || die "--server-dll needs a path"; SERVER_DLL=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); custom_dll=1; shift 2 ;;
    --server-env) [ $# -ge 2 ] && [[ "$2" == *=* ]] || die "--server-env needs NAME=VALUE"; server_env+=("$2"); shift 2 ;;
    --servers) [ $# -ge 2 ] || die "--servers needs a value"; servers=$2; bench_args+=("$1" "$2"); shift 2 ;;
    --servers=*) servers=${1#--servers=}; bench_args+=("$1"); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) bench_args+=("$1"); shift ;;
  esac
done
case "$dkim_alg" in rsa|ed25519) ;; *) die "--dkim-alg is rsa or ed25519, not '$dkim_alg'" ;; esac
want() { [[ ",$servers," == *",$1,"* ]]; }

# --- what the run needs: Debian packages (installed when missing, as .ci/run does) ---
need=""
command -v pebble >/dev/null 2>&1 || need="$need pebble"
[ -x /usr/sbin/dnsmasq ] || need="$need dnsmasq-base"
command -v openssl >/dev/null 2>&1 || need="$need openssl"
command -v curl >/dev/null 2>&1 || need="$need curl"
if [ -n "$need" ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages:$need (apt-get install -y$need)"
  echo "bench: installing$need"
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null; } || die "apt-get install of$need failed"
fi
command -v dotnet >/dev/null 2>&1 || die "dotnet is not installed"

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$OURS_HTTPS" "$OURS_HTTP" "$PEBBLE_PORT" "$PEBBLE_MGMT" "$DNS_PORT"; do
  port_taken "$p" && die "port $p on 127.0.0.1 is already in use (move it with the BENCH_*_PORT variables)"
done

# --- build ---
echo "bench: building the server and the client (Release)"
if [ "$custom_dll" = 0 ]; then
  dotnet build Acme.Server/Acme.Server.csproj -c Release -nologo -v q >/dev/null || dotnet build Acme.Server/Acme.Server.csproj -c Release -nologo -v q
fi
dotnet build interop/bench/Acme.Bench/Acme.Bench.csproj -c Release -nologo -v q >/dev/null || dotnet build interop/bench/Acme.Bench/Acme.Bench.csproj -c Release -nologo -v q
[ -f "$SERVER_DLL" ] && [ -f "$BENCH_DLL" ] || die "build output missing ($SERVER_DLL, $BENCH_DLL)"

# --- everything started below is stopped by PID on exit ---
WORK=$(mktemp -d /tmp/acme-bench.XXXXXX)
MAIL_TMPFS=""
PIDS=()
rc=1
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local i
  trap '' INT TERM  # a second signal (timeout sends one to the process and one to its group) must not cut this short
  # newest first: the client before the servers it talks to
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
  if [ "$rc" -eq 0 ] && [ "$keep" -eq 0 ]; then rm -rf "$WORK" ${MAIL_TMPFS:+"$MAIL_TMPFS"}; else echo "bench: work directory kept: $WORK ${MAIL_TMPFS}"; fi
}
trap cleanup EXIT
trap 'trap "" INT TERM; exit 130' INT TERM
show_logs() { local f; for f in "$@"; do if [ -f "$f" ]; then echo "== $f (last lines)"; tail -n 30 "$f"; fi; done; return 0; }
# wait_for NAME PID SECONDS COMMAND...: until COMMAND succeeds, the process dies, or time runs out
wait_for() {
  local name=$1 pid=$2 seconds=$3 i; shift 3
  for i in $(seq 1 $((seconds * 4))); do
    kill -0 "$pid" 2>/dev/null || { echo "bench: $name exited during start-up" >&2; return 1; }
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  echo "bench: $name did not come up within $seconds s" >&2; return 1
}

# --- the users' DKIM key and the DNS that publishes it (CAA: no records under .test, so NXDOMAIN/NODATA) ---
if [ "$dkim_alg" = rsa ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/dkim.pem" 2>/dev/null
  txt="v=DKIM1; k=rsa; p=$(openssl pkey -in "$WORK/dkim.pem" -pubout -outform DER | base64 -w0)"
else
  openssl genpkey -algorithm ed25519 -out "$WORK/dkim.pem" 2>/dev/null
  # RFC 8463 §4: p= is the raw 32-byte public key, the tail of the DER SubjectPublicKeyInfo
  txt="v=DKIM1; k=ed25519; p=$(openssl pkey -in "$WORK/dkim.pem" -pubout -outform DER | tail -c 32 | base64 -w0)"
fi
/usr/sbin/dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 \
  --port="$DNS_PORT" --pid-file="$WORK/dnsmasq.pid" --user=root --local=/test/ --local-ttl="$DNS_TTL" --log-facility="$WORK/dnsmasq.log" \
  "--txt-record=$SELECTOR._domainkey.$USER_DOMAIN,$txt" </dev/null >"$WORK/dnsmasq.out" 2>&1 &
PIDS+=($!); DNSMASQ_PID=$!
wait_for dnsmasq "$DNSMASQ_PID" 10 grep -q "started, version" "$WORK/dnsmasq.log" || { show_logs "$WORK/dnsmasq.out" "$WORK/dnsmasq.log"; exit 1; }

# --- our server: fresh data directory, development CA and TLS certificate generated on first start ---
OURS_DATA=$WORK/ours-data
OURS_PID=0
# The mail folders stand in for SMTP and IMAP. On this kind of VM's ext4 (no journal) creating a file after a
# run deleted thousands costs 10 to 300 us, varying with what was deleted in the last minutes (ext4 skips
# recently freed inodes one by one): measured as 2 to 4 % of the server's samples and 4 to 6 % of the client's,
# run to run. On tmpfs a file costs what it costs; the database, and its log syncs, stay on disk.
mkdir -p "$OURS_DATA"
if [ "$mail_on_disk" -eq 0 ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  MAIL_TMPFS=$(mktemp -d /dev/shm/acme-bench-mail.XXXXXX)
  ln -s "$MAIL_TMPFS" "$OURS_DATA/mail"
fi
if want ours; then
  # Started from its output directory, as deployed: the content root is the working directory, and only there
  # does the server read its appsettings.json (logging levels). Development environment: the development CA
  # and DKIM key, which Production refuses. The CRL and CA-certificate URLs name a public host (a documentation
  # name, RFC 2606), as a CA's do: the loopback defaults draw two pre-issuance lint warnings, logged for every
  # certificate.
  (cd "$(dirname "$SERVER_DLL")" && exec env ${server_env[@]+"${server_env[@]}"} dotnet "$SERVER_DLL" --environment Development \
    --urls "https://127.0.0.1:$OURS_HTTPS;http://127.0.0.1:$OURS_HTTP" \
    --Acme:DataDirectory="$OURS_DATA" --Acme:ChallengeMailbox="$CHALLENGE_MAILBOX" \
    --Dns:Servers:0="127.0.0.1:$DNS_PORT" \
    --Mail:FirstSendDelay=00:00:00 \
    --Issuance:CrlUrl="http://ca.bench.example.com/crl/issuing.crl" --Issuance:CaIssuersUrl="http://ca.bench.example.com/ca/issuing.cer" \
    --Mail:MaxChallengesPerAccountPerHour=1000000 --Mail:MaxChallengesPerDomainPerHour=1000000 \
    ${server_args[@]+"${server_args[@]}"}) </dev/null >"$WORK/ours.log" 2>&1 &
  PIDS+=($!); OURS_PID=$!
  ours_up() { [ -f "$OURS_DATA/tls/server.pem" ] && curl -sf --max-time 2 --cacert "$OURS_DATA/tls/server.pem" "https://127.0.0.1:$OURS_HTTPS/directory"; }
  started_ms=$(date +%s%3N)
  wait_for "our server" "$OURS_PID" 60 ours_up || { show_logs "$WORK/ours.log"; exit 1; }
  read -r -a stat < "/proc/$OURS_PID/stat" || true
  echo "bench: our server answered $(( $(date +%s%3N) - started_ms )) ms after its start, having used $(( (${stat[13]:-0} + ${stat[14]:-0}) * 1000 / $(getconf CLK_TCK) )) ms of CPU"
fi

# --- Pebble: its own TLS CA (trusted by the client only), always-valid challenges, no sleeps ---
PEBBLE_DIR=$WORK/pebble
PEBBLE_PID=0
if want pebble; then
  mkdir -p "$PEBBLE_DIR"
  {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PEBBLE_DIR/ca.key" \
      -out "$PEBBLE_DIR/ca.pem" -days 2 -subj "/CN=bench pebble TLS CA" &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PEBBLE_DIR/key.pem" \
      -out "$PEBBLE_DIR/server.csr" -subj "/CN=127.0.0.1" &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$PEBBLE_DIR/ext.cnf" &&
    openssl x509 -req -in "$PEBBLE_DIR/server.csr" -CA "$PEBBLE_DIR/ca.pem" -CAkey "$PEBBLE_DIR/ca.key" \
      -CAcreateserial -days 2 -extfile "$PEBBLE_DIR/ext.cnf" -out "$PEBBLE_DIR/cert.pem"
  } >"$PEBBLE_DIR/openssl.log" 2>&1 || { show_logs "$PEBBLE_DIR/openssl.log"; die "TLS certificate for Pebble failed"; }
  cat >"$PEBBLE_DIR/config.json" <<EOF
{ "pebble": { "listenAddress": "127.0.0.1:$PEBBLE_PORT", "managementListenAddress": "127.0.0.1:$PEBBLE_MGMT",
  "certificate": "$PEBBLE_DIR/cert.pem", "privateKey": "$PEBBLE_DIR/key.pem", "httpPort": 5002, "tlsPort": 5001,
  "ocspResponderURL": "", "externalAccountBindingRequired": false } }
EOF
  PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=${PEBBLE_NONCE_REJECT:-0} PEBBLE_AUTHZREUSE=0 \
    pebble -config "$PEBBLE_DIR/config.json" </dev/null >"$WORK/pebble.log" 2>&1 &
  PIDS+=($!); PEBBLE_PID=$!
  pebble_up() { curl -sf --max-time 2 --cacert "$PEBBLE_DIR/ca.pem" "https://127.0.0.1:$PEBBLE_PORT/dir"; }
  wait_for pebble "$PEBBLE_PID" 20 pebble_up || { show_logs "$WORK/pebble.log"; exit 1; }
fi

echo "bench: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)'), $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: ours pid $OURS_PID (data $OURS_DATA, mail folders ${MAIL_TMPFS:-on disk}), pebble pid $PEBBLE_PID, dnsmasq pid $DNSMASQ_PID on 127.0.0.1:$DNS_PORT"
[ "$custom_dll" = 0 ] || echo "bench: our server from $SERVER_DLL"
[ ${#server_env[@]} -eq 0 ] || echo "bench: our server's environment: ${server_env[*]}"
# In the background with `wait`, so an INT or TERM reaches the trap at once and the client is stopped too.
set +e
dotnet "$BENCH_DLL" \
  --ours-directory "https://127.0.0.1:$OURS_HTTPS/directory" --ours-trust "$OURS_DATA/tls/server.pem" \
  --ours-pid "$OURS_PID" --ours-data "$OURS_DATA" \
  --pebble-directory "https://127.0.0.1:$PEBBLE_PORT/dir" --pebble-trust "$PEBBLE_DIR/ca.pem" --pebble-pid "$PEBBLE_PID" \
  --dkim-key "$WORK/dkim.pem" --dkim-selector "$SELECTOR" --user-domain "$USER_DOMAIN" \
  --clock-ticks "$(getconf CLK_TCK)" ${bench_args[@]+"${bench_args[@]}"} </dev/null &
PIDS+=($!)
wait $!
rc=$?
set -e
# (in --smoke mode the client's "bench smoke: ..." line stays the last one)
[ "$smoke" -eq 1 ] || echo "bench: finished $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$rc" -ne 0 ]; then
  echo "bench: the client exited with $rc"
  show_logs "$WORK/ours.log" "$WORK/pebble.log"
fi
exit "$rc"
