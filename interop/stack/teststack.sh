#!/usr/bin/env bash
# Loopback-only mail + DNS stack for the RFC 8823 integration tests (Debian 12, root, no systemd).
#   SMTP   127.0.0.1:$SMTP_PORT   (2525) postfix -> opendkim milter 127.0.0.1:$MILTER_PORT (8891)
#                                         (signs mail From users.example.test, selector sel1)
#                                         -> dovecot LMTP 127.0.0.1:$LMTP_PORT (2424) -> Maildir
#   SUBMISSION 127.0.0.1:$SUBMISSION_PORT (5587) postfix submission as real providers run it: STARTTLS
#                                         required, then SMTP AUTH (PLAIN/LOGIN) checked by dovecot SASL
#                                         (certificate $BASE/tls/submission.pem, IP SAN 127.0.0.1: trust it
#                                         with SSL_CERT_FILE); same milter and delivery as SMTP
#   IMAP   127.0.0.1:$IMAP_PORT   (1143) dovecot, LOGIN / AUTH=PLAIN without TLS
#   DNS    127.0.0.1:$DNS_PORT    (5353) dnsmasq: DKIM TXT of both domains and of elsewhere.example.test
#                                         (key $BASE/dkim/elsewhere.example.test.private, selector sel1,
#                                         signed by no MTA: clients use it for a foreign d=), CAA fixtures, MX
# Mail the ACME server sends is signed by the server itself: `setup` generates the CA's key
# ($BASE/dkim/acme.ca.example.test.rsa.pem, selector "acme") and publishes its TXT record; point
# the server's Dkim:KeyPath at it. Extra TXT records: lines "name,value" in $BASE/dns/extra-txt.
# Passwords: $BASE/secrets/<address>.pass (mode 0600).
# usage: teststack.sh install|setup|start|smoke|stop|status ...   (several commands run in order)
set -euo pipefail
BASE=${BASE:-$PWD/.teststack}
SMTP_PORT=${SMTP_PORT:-2525}; IMAP_PORT=${IMAP_PORT:-1143}; LMTP_PORT=${LMTP_PORT:-2424}
MILTER_PORT=${MILTER_PORT:-8891}; DNS_PORT=${DNS_PORT:-5353}; SUBMISSION_PORT=${SUBMISSION_PORT:-5587}
CA_DOMAIN=ca.example.test; USER_DOMAIN=users.example.test; OTHER_DOMAIN=elsewhere.example.test
IDN_DOMAIN=xn--bcher-kva.example.test   # bücher.example.test: an internationalized user domain
# MailKit sends an IDN domain as U-labels under SMTPUTF8 (it keeps addresses IDN-decoded), so postfix
# serves both spellings of that domain as one Maildir.
IDN_DOMAIN_U=bücher.example.test
USER_SELECTOR=sel1; CA_SELECTOR=acme
# jörg@ (a UTF-8 local part, RFC 6531) and idn@bücher (an IDN domain) prove EAI mail end to end.
USERS="acme@$CA_DOMAIN:acmepass alice@$USER_DOMAIN:alicepass bob@$USER_DOMAIN:bobpass jörg@$USER_DOMAIN:joergpass idn@$IDN_DOMAIN:idnpass"
PACKAGES="postfix dovecot-imapd dovecot-lmtpd opendkim dnsmasq-base openssl python3-dkim python3-dnspython"

install_pkgs() {
  local missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && { echo "teststack: packages present"; return 0; }
  echo "teststack: installing$missing"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq
  # policy-rc.d / no systemd: the packaged services are not started
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

txt_of_key() {   # PEM private key -> "v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>"
  echo "v=DKIM1; k=rsa; p=$(openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | base64 -w0)"
}

dns_txt_line() {  # name value -> dnsmasq txt-record line, value split into 255-byte strings
  echo "txt-record=$1,$(echo -n "$2" | fold -w 255 | sed 's/.*/"&"/' | paste -sd, -)"
}

setup() {
  mkdir -p "$BASE"/{pf/etc,pf/spool,pf/data,dc/run,dc/state,mail,dkim,log,run,dns,secrets,tls}
  chmod 755 "$BASE" "$BASE/pf" "$BASE/dc"; chmod 700 "$BASE/secrets"
  id vmail >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin vmail
  chown vmail:vmail "$BASE/mail"; chown postfix:postfix "$BASE/pf/data"; chown opendkim:opendkim "$BASE/run"
  # ---- postfix: own config dir and queue, no chroot, loopback only, plus addressing ----
  cat >"$BASE/pf/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $BASE/pf/spool
data_directory = $BASE/pf/data
maillog_file = $BASE/log/postfix.log
maillog_file_prefixes = $BASE/log
myhostname = mx.$CA_DOMAIN
mydomain = $CA_DOMAIN
myorigin = \$mydomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
default_transport = error:no outbound mail in tests
relay_transport = error:no outbound mail in tests
virtual_mailbox_domains = $CA_DOMAIN, $USER_DOMAIN, $IDN_DOMAIN, $IDN_DOMAIN_U
# postfix's own virtual(8) writes the Maildirs dovecot serves: dovecot 2.3's LMTP offers no SMTPUTF8,
# so postfix would bounce every mail to or from a UTF-8 address (RFC 6531) on its way there.
virtual_transport = virtual
virtual_mailbox_base = $BASE/mail
virtual_mailbox_maps = texthash:$BASE/pf/etc/vmailbox
virtual_uid_maps = static:$(id -u vmail)
virtual_gid_maps = static:$(id -g vmail)
virtual_minimum_uid = 100
recipient_delimiter = +
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_milters = inet:127.0.0.1:$MILTER_PORT
non_smtpd_milters = \$smtpd_milters
milter_default_action = tempfail
alias_maps =
alias_database =
biff = no
smtputf8_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $BASE/dc/run/auth-postfix
EOF
  # ---- TLS certificate of the submission service (self-signed; clients trust it through SSL_CERT_FILE) ----
  [ -f "$BASE/tls/submission.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=mx.$CA_DOMAIN" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:mx.$CA_DOMAIN" \
    -keyout "$BASE/tls/submission.key" -out "$BASE/tls/submission.pem" >/dev/null 2>&1
  chmod 600 "$BASE/tls/submission.key"
  # The port-25-style listener stays as it was (no TLS, no AUTH; trusted as mynetworks) for the other clients
  # and the server; submission is what users' mail programs use: STARTTLS first, then AUTH, then relay.
  { echo "127.0.0.1:$SMTP_PORT inet n - n - - smtpd"
    echo "127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd"
    echo "  -o syslog_name=postfix/submission"
    echo "  -o smtpd_tls_security_level=encrypt"
    echo "  -o smtpd_tls_cert_file=$BASE/tls/submission.pem"
    echo "  -o smtpd_tls_key_file=$BASE/tls/submission.key"
    echo "  -o smtpd_sasl_auth_enable=yes"
    echo "  -o smtpd_tls_auth_only=yes"
    echo "  -o smtpd_client_restrictions=permit_sasl_authenticated,reject"
    echo "  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject"
    cat <<'EOF'
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
virtual   unix  - n n - - virtual
lmtp      unix  - - n - - lmtp
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
  } >"$BASE/pf/etc/master.cf"
  # ---- dovecot: passwd-file logins, static vmail userdb, "+tag" stripped into INBOX ----
  : >"$BASE/dc/users"; : >"$BASE/pf/etc/vmailbox"
  for up in $USERS; do
    local user=${up%%:*} pass=${up#*:}
    echo "$user:{PLAIN}$pass" >>"$BASE/dc/users"
    echo "$user ${user#*@}/${user%@*}/Maildir/" >>"$BASE/pf/etc/vmailbox"   # dovecot: %d/%n/Maildir
    (umask 077; echo "$pass" >"$BASE/secrets/$user.pass")
  done
  echo "idn@$IDN_DOMAIN_U $IDN_DOMAIN/idn/Maildir/" >>"$BASE/pf/etc/vmailbox"
  chown root:dovecot "$BASE/dc/users"; chmod 640 "$BASE/dc/users"
  cat >"$BASE/dc/dovecot.conf" <<EOF
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $BASE/dc/run
state_dir = $BASE/dc/state
instance_name = teststack
log_path = $BASE/log/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# UTF-8 user names (jörg@...): dovecot's default allows only ASCII letters, digits and .-_@
auth_username_chars =
mail_location = maildir:$BASE/mail/%d/%n/Maildir
mail_uid = vmail
mail_gid = vmail
first_valid_uid = 100
recipient_delimiter = +
lda_mailbox_autocreate = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $BASE/dc/users
}
userdb {
  driver = static
  args = uid=vmail gid=vmail home=$BASE/mail/%d/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
protocol lmtp {
  postmaster_address = postmaster@$CA_DOMAIN
  lmtp_save_to_detail_mailbox = no
}
namespace inbox {
  inbox = yes
}
EOF
  # ---- DKIM keys: users' domain (opendkim signs it) and the CA's (the ACME server signs it) ----
  local dk="$BASE/dkim"
  local user_key="$dk/$USER_DOMAIN.private" ca_key="$dk/$CA_SELECTOR.$CA_DOMAIN.rsa.pem"
  [ -f "$user_key" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$user_key" 2>/dev/null
  [ -f "$ca_key" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$ca_key" 2>/dev/null
  # a third domain's key (not in opendkim's tables): interop clients sign replies with it to prove a
  # signature whose d= is not the From domain is refused (RFC 8823 section 3.2)
  local other_key="$dk/$OTHER_DOMAIN.private"
  [ -f "$other_key" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$other_key" 2>/dev/null
  chmod 600 "$other_key"
  { echo "$USER_SELECTOR._domainkey.$USER_DOMAIN $USER_DOMAIN:$USER_SELECTOR:$user_key"
    echo "$USER_SELECTOR._domainkey.$IDN_DOMAIN $IDN_DOMAIN:$USER_SELECTOR:$user_key"; } >"$dk/key.table"
  { echo "*@$USER_DOMAIN $USER_SELECTOR._domainkey.$USER_DOMAIN"
    echo "*@$IDN_DOMAIN $USER_SELECTOR._domainkey.$IDN_DOMAIN"
    echo "*@$IDN_DOMAIN_U $USER_SELECTOR._domainkey.$IDN_DOMAIN"; } >"$dk/signing.table"   # SMTPUTF8 senders write U-labels
  chown opendkim:opendkim "$dk" "$dk/key.table" "$dk/signing.table" "$user_key"
  chmod 711 "$dk"; chmod 600 "$user_key" "$ca_key"     # the CA key stays root-owned (the tests read it)
  # opendkim's default h= lacks Message-ID, Content-Type, Content-Transfer-Encoding and MIME-Version,
  # which RFC 8823 section 3.2 item 9 wants signed: name (and over-sign) the whole list, like big providers do.
  local DKIM_HEADERS="From,Sender,Reply-To,To,Cc,Subject,Date,In-Reply-To,References,Message-ID,Content-Type,Content-Transfer-Encoding,MIME-Version"
  cat >"$BASE/opendkim.conf" <<EOF
Syslog                 no
Mode                   s
Socket                 inet:$MILTER_PORT@127.0.0.1
PidFile                $BASE/run/opendkim.pid
UserID                 opendkim:opendkim
KeyTable               file:$dk/key.table
SigningTable           refile:$dk/signing.table
InternalHosts          127.0.0.1
Canonicalization       relaxed/relaxed
SignHeaders            $DKIM_HEADERS
OversignHeaders        $DKIM_HEADERS
RequireSafeKeys        false
EOF
  # ---- dnsmasq: DKIM TXT records, CAA issuemail fixtures, MX ----
  {
    echo "port=$DNS_PORT"; echo "listen-address=127.0.0.1"; echo "bind-interfaces"
    echo "no-resolv"; echo "no-hosts"; echo "no-poll"; echo "user=root"
    echo "local=/example.test/"
    echo "log-queries"; echo "log-facility=$BASE/log/dnsmasq.log"; echo "pid-file=$BASE/run/dnsmasq.pid"
    dns_txt_line "$USER_SELECTOR._domainkey.$USER_DOMAIN" "$(txt_of_key "$user_key")"
    dns_txt_line "$USER_SELECTOR._domainkey.$IDN_DOMAIN" "$(txt_of_key "$user_key")"
    dns_txt_line "$CA_SELECTOR._domainkey.$CA_DOMAIN" "$(txt_of_key "$ca_key")"
    dns_txt_line "$USER_SELECTOR._domainkey.$OTHER_DOMAIN" "$(txt_of_key "$other_key")"
    if [ -f "$BASE/dns/extra-txt" ]; then
      while IFS=, read -r name value; do
        [ -n "$name" ] && [ "${name:0:1}" != "#" ] && dns_txt_line "$name" "$value"
      done <"$BASE/dns/extra-txt"
    fi
    echo "caa-record=$USER_DOMAIN,0,issuemail,$CA_DOMAIN"
    echo "caa-record=denied.example.test,0,issuemail,other-ca.example"
    echo "caa-record=critical.example.test,128,futuretag,x"
    echo "mx-host=$USER_DOMAIN,mx.example.test,10"
    echo "mx-host=$CA_DOMAIN,mx.example.test,10"
    echo "address=/mx.example.test/127.0.0.1"
  } >"$BASE/dns/dnsmasq.conf"
  dnsmasq --test -C "$BASE/dns/dnsmasq.conf" >/dev/null 2>&1 || { echo "teststack: bad dnsmasq.conf" >&2; return 1; }
  echo "teststack: set up in $BASE"
}

alive() { [ -f "$1" ] && kill -0 "$(head -1 "$1")" 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "teststack: port $1 not up" >&2; return 1
}
wait_gone() { for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; echo "teststack: pid $1 still running" >&2; return 1; }

start() {
  [ -f "$BASE/dns/dnsmasq.conf" ] || { echo "teststack: run setup first" >&2; return 1; }
  # Daemons get no stdio of ours: an inherited pipe would keep a caller's `| tail` (or CI's log) open.
  alive "$BASE/run/dnsmasq.pid" || dnsmasq -C "$BASE/dns/dnsmasq.conf" </dev/null >/dev/null 2>&1
  alive "$BASE/run/opendkim.pid" || opendkim -x "$BASE/opendkim.conf" </dev/null >/dev/null 2>&1
  alive "$BASE/dc/run/master.pid" || dovecot -c "$BASE/dc/dovecot.conf" </dev/null >/dev/null 2>&1
  # postfix prints errors only to a tty or to maillog_file
  if ! postfix -c "$BASE/pf/etc" status >/dev/null 2>&1; then
    postfix -c "$BASE/pf/etc" start </dev/null >/dev/null 2>&1 || { tail -5 "$BASE/log/postfix.log" >&2; return 1; }
  fi
  for p in $DNS_PORT $MILTER_PORT $LMTP_PORT $IMAP_PORT $SMTP_PORT $SUBMISSION_PORT; do wait_port "$p"; done
  echo "teststack: running (SMTP $SMTP_PORT, submission $SUBMISSION_PORT, IMAP $IMAP_PORT, LMTP $LMTP_PORT, milter $MILTER_PORT, DNS $DNS_PORT)"
}

stop() {
  local pids="" f
  for f in "$BASE/pf/spool/pid/master.pid" "$BASE/dc/run/master.pid" "$BASE/run/opendkim.pid" "$BASE/run/dnsmasq.pid"; do
    alive "$f" && pids="$pids $(head -1 "$f" | tr -d ' ')"
  done
  [ -f "$BASE/pf/etc/main.cf" ] && { postfix -c "$BASE/pf/etc" stop >/dev/null 2>&1 || true; }
  [ -f "$BASE/dc/dovecot.conf" ] && { doveadm -c "$BASE/dc/dovecot.conf" stop >/dev/null 2>&1 || true; }
  for f in "$BASE/run/opendkim.pid" "$BASE/run/dnsmasq.pid"; do
    alive "$f" && kill "$(head -1 "$f")" 2>/dev/null || true
  done
  local rc=0
  for p in $pids; do wait_gone "$p" || rc=1; done
  [ $rc -eq 0 ] && echo "teststack: stopped"
  return $rc
}

smoke() {   # one opendkim-signed mail alice -> acme+smoke, read over IMAP, DKIM verified; submission STARTTLS + AUTH
  SMTP_PORT=$SMTP_PORT IMAP_PORT=$IMAP_PORT DNS_PORT=$DNS_PORT SUBMISSION_PORT=$SUBMISSION_PORT BASE=$BASE \
    /usr/bin/python3 "$(dirname "$0")/smoke.py"
}

status() {
  local rc=0 p
  for p in $SMTP_PORT $SUBMISSION_PORT $IMAP_PORT $LMTP_PORT $MILTER_PORT; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "tcp $p up"; else echo "tcp $p down"; rc=1; fi
  done
  if alive "$BASE/run/dnsmasq.pid"; then echo "dns $DNS_PORT up"; else echo "dns $DNS_PORT down"; rc=1; fi
  return $rc
}

[ $# -gt 0 ] || { echo "usage: $0 install|setup|start|smoke|stop|status ..." >&2; exit 2; }
for cmd in "$@"; do
  case "$cmd" in
    install) install_pkgs ;; setup) setup ;; start) start ;; stop) stop ;; smoke) smoke ;; status) status ;;
    *) echo "usage: $0 install|setup|start|smoke|stop|status ..." >&2; exit 2 ;;
  esac
done
