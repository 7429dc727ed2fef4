# Debian's certbot (2.1) against our server, RFC 8555 account management only (sourced by run-interop.sh).
# One flow, one row per step; a step whose predecessor failed is a FAIL naming that predecessor.
#   certbot-register          register --agree-tos -m A --no-eff-email: Account registered, regr.json with
#                             an account URL on our server, server answered newAccount 201
#   certbot-show-account      show_account: certbot asks the server (newAccount onlyReturnExisting) and
#                             prints the same account URL and contact A
#   certbot-update-account    update_account -m B: server answers 200, show_account (from the server) says B
#   certbot-unregister        unregister: server answers the deactivation 200 with status "deactivated",
#                             certbot drops the local account
#   certbot-deactivated-refused  with the account files restored, show_account must be refused: the server's
#                             answer is 401 urn:ietf:params:acme:error:unauthorized (RFC 8555 7.3.6)
# certbot 2.1 has no account key rollover (no command, and its acme library has no keyChange call);
# pebble-diff covers keyChange. TLS trust: REQUESTS_CA_BUNDLE=$CA_FILE. Everything under $WORK/certbot/.
CERTBOT_STEPS=(certbot-register certbot-show-account certbot-update-account certbot-unregister certbot-deactivated-refused)

# cb STEP ARGS...: runs certbot non-interactively with its own dirs; output in $d/STEP.out, log in $d/logs-STEP/
cb() {
  local step=$1; shift
  echo "+ certbot $* --server $DIRECTORY" >"$d/$step.out"
  REQUESTS_CA_BUNDLE=$CA_FILE timeout 90 certbot "$@" -n --server "$DIRECTORY" --config-dir "$d/config" \
    --work-dir "$d/work" --logs-dir "$d/logs-$step" >>"$d/$step.out" 2>&1
}

# answer STEP METHOD PATH-REGEX: HTTP status of the last such request in the step's certbot log
answer() {
  grep -E "\"$2 $3 HTTP/1.1\" [0-9]{3}" "$d/logs-$1/letsencrypt.log" 2>/dev/null | tail -n 1 | sed -E 's/.*HTTP\/1.1" ([0-9]{3}).*/\1/'
  return 0
}

# first_error STEP: a short reason from certbot's output
first_error() { grep -vE '^(\+ certbot|Saving debug log)' "$d/$1.out" | grep -v '^ *$' | head -n 2 | tr '\n' ' ' | cut -c1-200; return 0; }
# contact STEP: the "Email contact" line of a show_account output
contact() { grep -m1 'Email contact' "$d/$1.out" | sed 's/^ *//'; return 0; }

certbot_scenarios() {
  local s want=() d=$WORK/certbot
  for s in "${CERTBOT_STEPS[@]}"; do run_here default "$s" && want+=("$s"); done
  [ ${#want[@]} -eq 0 ] && return 0
  mkdir -p "$d"
  if ! command -v certbot >/dev/null; then
    for s in "${want[@]}"; do record certbot "$s" FAIL "certbot not installed (apt-get install certbot)"; done; return 0
  fi
  local a=certbot-a@users.example.test b=certbot-b@users.example.test prev="" reason url st
  # step STEP: true when STEP is wanted and its predecessor passed; records the FAIL otherwise
  step() {
    wanted "$1" || return 1
    [ -z "$prev" ] && return 0
    record certbot "$1" FAIL "not run: $prev failed"; return 1
  }
  # The flow needs its predecessors, so a named step runs the steps before it too (their rows included).
  local last=-1 i
  for i in "${!CERTBOT_STEPS[@]}"; do wanted "${CERTBOT_STEPS[$i]}" && last=$i; done
  local INTEROP_ONLY="${CERTBOT_STEPS[*]:0:$((last + 1))}"

  if step certbot-register; then
    if ! cb certbot-register register --agree-tos -m "$a" --no-eff-email; then
      record certbot certbot-register FAIL "certbot register: $(first_error certbot-register)"; prev=certbot-register
    else
      url=$(sed -nE 's/.*"uri": *"([^"]+)".*/\1/p' "$d"/config/accounts/*/*/*/regr.json 2>/dev/null | head -n 1 || true)
      st=$(answer certbot-register POST /new-account)
      if ! grep -q '^Account registered' "$d/certbot-register.out"; then reason="no 'Account registered' in the output"
      elif [ "${url#https://127.0.0.1:$HTTPS_PORT/}" = "$url" ]; then reason="regr.json has no account URL on our server ('$url')"
      elif [ "$st" != 201 ]; then reason="newAccount answered $st, want 201"
      else reason=""; fi
      if [ -n "$reason" ]; then record certbot certbot-register FAIL "$reason"; prev=certbot-register
      else record certbot certbot-register PASS "account $url (newAccount 201)"; fi
    fi
  fi

  if step certbot-show-account; then
    if ! cb certbot-show-account show_account; then reason="certbot show_account: $(first_error certbot-show-account)"
    elif ! grep -qF "Account URL: $url" "$d/certbot-show-account.out"; then reason="account URL is not $url: $(first_error certbot-show-account)"
    elif ! grep -qxF "  Email contact: $a" "$d/certbot-show-account.out"; then reason="contact is not $a: $(contact certbot-show-account)"
    elif [ "$(answer certbot-show-account POST /new-account)" != 200 ]; then reason="newAccount with onlyReturnExisting answered '$(answer certbot-show-account POST /new-account)', want 200"
    else reason=""; fi
    if [ -n "$reason" ]; then record certbot certbot-show-account FAIL "$reason"; prev=certbot-show-account
    else record certbot certbot-show-account PASS "server returned the account (newAccount onlyReturnExisting 200): URL and contact $a"; fi
  fi

  if step certbot-update-account; then
    if ! cb certbot-update-account update_account -m "$b"; then reason="certbot update_account: $(first_error certbot-update-account)"
    elif [ "$(answer certbot-update-account POST "${url#https://127.0.0.1:$HTTPS_PORT}")" != 200 ]; then reason="account update did not answer 200"
    elif ! cb certbot-update-account-show show_account; then reason="show_account after the update: $(first_error certbot-update-account-show)"
    elif ! grep -qxF "  Email contact: $b" "$d/certbot-update-account-show.out"; then reason="server still says '$(contact certbot-update-account-show)', want $b"
    else reason=""; fi
    if [ -n "$reason" ]; then record certbot certbot-update-account FAIL "$reason"; prev=certbot-update-account
    else record certbot certbot-update-account PASS "contact changed to $b (update 200; show_account reads it back from the server)"; fi
  fi

  if step certbot-unregister; then
    cp -a "$d/config/accounts" "$d/accounts-before-unregister"
    if ! cb certbot-unregister unregister; then reason="certbot unregister: $(first_error certbot-unregister)"
    elif ! grep -q '^Account deactivated' "$d/certbot-unregister.out"; then reason="no 'Account deactivated' in the output"
    elif [ "$(answer certbot-unregister POST "${url#https://127.0.0.1:$HTTPS_PORT}")" != 200 ]; then reason="deactivation did not answer 200"
    elif ! grep -qE '"status": *"deactivated"' "$d/logs-certbot-unregister/letsencrypt.log"; then reason="the server's answer does not say status deactivated"
    elif ls "$d"/config/accounts/*/*/*/regr.json >/dev/null 2>&1; then reason="certbot kept the local account"
    else reason=""; fi
    if [ -n "$reason" ]; then record certbot certbot-unregister FAIL "$reason"; prev=certbot-unregister
    else record certbot certbot-unregister PASS "account deactivated (200, status deactivated), local account removed"; fi
  fi

  if step certbot-deactivated-refused; then
    rm -rf "$d/config/accounts"; cp -a "$d/accounts-before-unregister" "$d/config/accounts"
    local log=$d/logs-certbot-deactivated-refused/letsencrypt.log
    if cb certbot-deactivated-refused show_account; then
      record certbot certbot-deactivated-refused FAIL "show_account with the deactivated account's key succeeded: $(first_error certbot-deactivated-refused)"
    else
      st=$(answer certbot-deactivated-refused POST /new-account)
      if [ "$st" = 401 ] && grep -q '"type": *"urn:ietf:params:acme:error:unauthorized"' "$log"; then
        reason="server refused the deactivated key: 401 unauthorized"
        grep -q "AttributeError: can't set attribute" "$d/certbot-deactivated-refused.out" &&
          reason="$reason (certbot 2.1 then crashes with AttributeError on Python 3.11: certbot/certbot#9539, fixed in 2.2)"
        record certbot certbot-deactivated-refused PASS "$reason"
      else
        record certbot certbot-deactivated-refused FAIL "refused, but newAccount answered ${st:-nothing}, want 401 unauthorized (RFC 8555 7.3.6): $(first_error certbot-deactivated-refused)"
      fi
    fi
  fi
  unset -f step
}
