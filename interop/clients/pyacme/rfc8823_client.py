#!/usr/bin/python3
"""RFC 8823 (ACME for S/MIME) command-line client on Debian's python3-acme (certbot's ACME library).

Run with /usr/bin/python3 (Debian's python3-acme is importable only there).

Flow: new account -> newOrder with `email` identifiers -> for each authorization: read the challenge
mail from the user's IMAP mailbox, check it the way acme4j does, reply through the MTA (so the MTA's
opendkim signs it), POST {} to the challenge, poll the authorization -> finalize with an S/MIME CSR ->
download the chain -> write leaf.pem, chain.pem, fullchain.pem, key.pem into --out.
Optionally revoke the certificate again by account (--revoke).

Exit status 0 on success (or, with --expect-invalid, when every challenge ended invalid), 1 otherwise;
the last line of output says why.
"""
import argparse
import base64
import hashlib
import logging
import os
import sys
import time

import josepy as jose
from acme import challenges, client, errors, messages

from accountops import jwk_and_alg, roll_account_key
from certstep import finalize, new_key
from mailstep import Failure, b64u, build_reply, check_challenge_mail, send_reply, wait_for_challenge_mail

# ---- RFC 8823 types for python3-acme --------------------------------------------------------
IDENTIFIER_EMAIL = messages.IdentifierType('email')  # the constructor registers the name
# python3-acme 2.1 does not know RFC 8555's authorization status "expired" (section 7.1.6) and fails to
# parse such an authorization; registering the name the same way lets the client read it.
STATUS_EXPIRED = messages.Status('expired')


@challenges.Challenge.register
class EmailReply00(challenges.Challenge):
    """RFC 8823 section 3: token = token-part2, from = the address the challenge mail comes from."""
    typ = 'email-reply-00'
    token: str = jose.field('token')
    from_: str = jose.field('from')


@challenges.ChallengeResponse.register
class EmailReply00Response(challenges.ChallengeResponse):
    """The challenge POST body: {}.

    python3-acme sends an empty payload (a POST-as-GET, which changes nothing) for a response object
    without fields, because such an object is falsy; the digest field keeps it truthy and is never sent.
    """
    typ = 'email-reply-00'
    digest: str = jose.field('digest', omitempty=True)

    def to_partial_json(self):
        return {}


def log(msg):
    print(msg, flush=True)


class NonceRetryCounter(logging.Handler):
    """Counts python3-acme's badNonce retries (it logs each one before posting again)."""
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        if record.getMessage().startswith('Retrying request after error') and 'badNonce' in record.getMessage():
            self.count += 1


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


def response_digest(token1, token2, thumbprint, join):
    """RFC 8823 section 3.1: base64url(SHA-256(key authorization of token-part1 || token-part2))."""
    if join == 'string':  # acme4j, RapidMX
        token = token1 + token2
    else:                 # acmez, acme_email: join the decoded bytes
        token = b64u(b64u_decode(token1) + b64u_decode(token2))
    return b64u(hashlib.sha256((token + '.' + thumbprint).encode('ascii')).digest())


# ---- ACME -------------------------------------------------------------------------------------
def poll_authorization(acme, authzr, seconds, wanted=None):
    """Polls the authorization (bounded) until it leaves pending/processing, or with `wanted` until it has that status."""
    end = time.monotonic() + seconds
    while True:
        authzr, _ = acme.poll(authzr)
        status = authzr.body.status
        if (status.name == wanted) if wanted else status not in (messages.STATUS_PENDING, messages.STATUS_PROCESSING):
            return authzr
        if time.monotonic() > end:
            raise Failure('authorization %s is %s, not %s, after %d s' % (authzr.uri, status, wanted or 'final', seconds))
        time.sleep(0.5)


def email_challenge(authzr):
    for challb in authzr.body.challenges:
        if isinstance(challb.chall, EmailReply00):
            return challb
    raise Failure('authorization %s has no email-reply-00 challenge: %s'
                  % (authzr.uri, [c.chall.to_partial_json() for c in authzr.body.challenges]))


def wait_for_log_line(path, needle, seconds):
    """Waits (bounded) until the server log names the challenge, i.e. the server has judged the reply."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with open(path, errors='replace') as f:
            for line in f:
                if needle in line:
                    return line.strip()
        time.sleep(0.5)
    raise Failure('the server did not judge the reply (no "%s" in %s) within %d s' % (needle, path, seconds))


def open_account(args):
    kind = args.key_type
    jwk, alg = jwk_and_alg(new_key(kind), kind)
    net = client.ClientNetwork(jwk, alg=alg, user_agent='rfc8823-interop-pyacme', verify_ssl=args.ca_file or True)
    directory = client.ClientV2.get_directory(args.directory, net)
    acme = client.ClientV2(directory, net)
    reg = acme.new_account(messages.NewRegistration.from_data(terms_of_service_agreed=True))
    net.account = reg
    log('account: %s (%s)' % (reg.uri, alg.name))
    if args.key_change:
        jwk = roll_account_key(acme, net, reg, new_key(kind), kind, log)
    return acme, net, b64u(jwk.thumbprint())


def new_order(args, acme):
    """newOrder with the identifiers; None when it was refused as --expect-order-error wants."""
    typ = IDENTIFIER_EMAIL if args.identifier_type == 'email' else messages.IDENTIFIER_FQDN
    body = messages.NewOrder(identifiers=[messages.Identifier(typ=typ, value=m) for m in args.email])
    try:
        resp = acme._post(acme.directory['newOrder'], body)  # new_order() builds only dns/ip identifiers
    except messages.Error as e:
        if args.expect_order_error and e.typ == 'urn:ietf:params:acme:error:' + args.expect_order_error:
            sub = '; '.join('%s %s' % (p.identifier.value if p.identifier else '-', p.detail) for p in (e.subproblems or []))
            log('EXPECTED-REFUSED %s %s %s%s' % (','.join(args.email), e.typ, e.detail, (' [' + sub + ']') if sub else ''))
            return None, None
        raise
    if args.expect_order_error:
        raise Failure('newOrder was accepted, expected an %s error' % args.expect_order_error)
    order = messages.Order.from_json(resp.json())
    log('order: %s %s' % (resp.headers.get('Location'), [i.value for i in order.identifiers]))
    return resp.headers.get('Location'), order


def answer(args, acme, authzr, thumbprint):
    """Reads the challenge mail, replies, POSTs the challenge (with --late: POST, wait for expiry, reply)."""
    mailbox = authzr.body.identifier.value
    challb = email_challenge(authzr)
    from_addr = challb.chall.from_
    log('challenge for %s: %s from %s' % (mailbox, challb.uri, from_addr))
    mail = wait_for_challenge_mail(args, mailbox, from_addr, time.monotonic() + args.mail_timeout)
    token1 = check_challenge_mail(mail, mailbox, from_addr)
    digest = response_digest(token1 + ('x' if args.wrong_digest else ''), challb.chall.token, thumbprint, args.join)
    to, raw = build_reply(args, mailbox, mail, token1, digest)
    if args.late:
        acme.answer_challenge(challb, EmailReply00Response(digest=digest))
        poll_authorization(acme, authzr, args.expire_timeout, wanted='expired')
        log('authorization for %s expired before the reply was sent' % mailbox)
    send_reply(args, mailbox, to, raw)
    log('reply sent %s -> %s via %s' % (mailbox, to, 'SMTP' if not (args.unsigned or args.dkim_domain) else 'LMTP'))
    if args.late:
        line = wait_for_log_line(args.judged_log, 'for challenge %s:' % challb.uri.rstrip('/').rsplit('/', 1)[-1], args.poll_timeout)
        authzr, _ = acme.poll(authzr)
        challenge_status = email_challenge(authzr).status.name
        if authzr.body.status.name != 'expired' or challenge_status == 'valid':
            raise Failure('the late reply changed the authorization to %s (challenge %s)' % (authzr.body.status, challenge_status))
        log('EXPECTED-EXPIRED %s authorization stays expired, challenge %s; server: %s'
            % (mailbox, challenge_status, line.split(': ', 1)[-1][:120]))
        return False
    acme.answer_challenge(challb, EmailReply00Response(digest=digest))
    return True


def judge(args, acme, pending):
    failures = []
    for authzr in pending:
        authzr = poll_authorization(acme, authzr, args.poll_timeout)
        mailbox = authzr.body.identifier.value
        challb = email_challenge(authzr)
        err = challb.error
        if authzr.body.status == messages.STATUS_VALID:
            log('authorization for %s: valid' % mailbox)
            continue
        log('authorization for %s: %s, challenge %s (%s)' % (mailbox, authzr.body.status, challb.status,
                                                            '%s: %s' % (err.typ, err.detail) if err else 'no error object'))
        failures.append((mailbox, challb, err))
    if args.expect_invalid:
        if len(failures) != len(pending) or not pending:
            raise Failure('expected every challenge to end invalid, but %d of %d did' % (len(failures), len(pending)))
        for mailbox, challb, err in failures:
            if challb.status != messages.STATUS_INVALID or err is None:
                raise Failure('challenge for %s is %s with error %s, expected invalid with an error' % (mailbox, challb.status, err))
            if args.expect_error and err.typ != 'urn:ietf:params:acme:error:' + args.expect_error:
                raise Failure('challenge for %s: error %s, expected %s' % (mailbox, err.typ, args.expect_error))
            log('EXPECTED-INVALID %s %s %s' % (mailbox, err.typ, err.detail))
    elif failures:
        mailbox, challb, err = failures[0]
        raise Failure('authorization for %s not valid: %s' % (mailbox, '%s: %s' % (err.typ, err.detail) if err else challb.status))


def run(args):
    acme, net, thumbprint = open_account(args)
    order_uri, order = new_order(args, acme)
    if order is None:
        return
    pending = []
    for url in order.authorizations:
        authzr = acme._authzr_from_response(acme._post_as_get(url), uri=url)
        if authzr.body.status == messages.STATUS_VALID:
            log('authorization for %s already valid' % authzr.body.identifier.value)
        elif answer(args, acme, authzr, thumbprint):
            pending.append(authzr)
    if args.late:
        return
    judge(args, acme, pending)
    if not args.expect_invalid:
        finalize(args, acme, net, order_uri, log)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--directory', default='https://127.0.0.1:14000/directory')
    p.add_argument('--ca-file', help='PEM to trust for the server TLS certificate')
    p.add_argument('--email', action='append', required=True, help='mailbox identifier (repeatable)')
    p.add_argument('--identifier-type', choices=['email', 'dns'], default='email', help='dns: the acme_email style')
    p.add_argument('--csr-dns-san', action='store_true', help='also put each address into a dNSName SAN (acme_email)')
    p.add_argument('--key-type', choices=['ec', 'rsa'], default='ec', help='account and certificate key (P-256/ES256 or RSA 2048/RS256)')
    p.add_argument('--key-change', action='store_true', help='roll the account key over (keyChange) before ordering')
    p.add_argument('--usage', choices=['sign', 'encrypt', 'dual'], default='dual', help='critical KeyUsage requested in the CSR')
    p.add_argument('--join', choices=['string', 'bytes'], default='string', help='token-part1 || token-part2 as text (acme4j) or decoded bytes (acmez)')
    p.add_argument('--subject-prefix', default='Re:', help='reply Subject prefix, e.g. "Re:" or "RE:"')
    p.add_argument('--newline', choices=['crlf', 'lf'], default='crlf')
    p.add_argument('--wrap', type=int, default=72, help='wrap body text at N columns (0: no wrap)')
    p.add_argument('--qp', action='store_true', help='quoted-printable body with a soft break inside the digest')
    p.add_argument('--alternative', action='store_true', help='multipart/alternative with text/plain and text/html')
    p.add_argument('--list-id', action='store_true', help='add a List-Id header to the reply')
    p.add_argument('--unsigned', action='store_true', help='deliver the reply through LMTP, bypassing opendkim')
    p.add_argument('--dkim-domain', help='sign the reply here with this domain\'s stack key (selector sel1) and deliver via LMTP')
    p.add_argument('--dkim-key-dir', default=os.path.join(os.environ.get('BASE', '.teststack'), 'dkim'))
    p.add_argument('--wrong-digest', action='store_true', help='reply with a digest over a wrong token')
    p.add_argument('--late', action='store_true', help='POST the challenge, wait until the authorization expired, then reply; '
                   'success = it stays expired after the server judged the reply (needs --judged-log)')
    p.add_argument('--judged-log', help='the server log, to see when the late reply was judged')
    p.add_argument('--expire-timeout', type=int, default=100, help='seconds to wait for the authorization to expire')
    p.add_argument('--expect-invalid', action='store_true', help='success = every challenge ends invalid')
    p.add_argument('--expect-error', help='with --expect-invalid: the ACME error type expected (e.g. unauthorized)')
    p.add_argument('--expect-order-error', help='success = newOrder is refused with this ACME error type (e.g. caa)')
    p.add_argument('--revoke', choices=['account', 'cert-key'], help='revoke the issued certificate afterwards, signed by the account or the certificate key')
    p.add_argument('--expect-nonce-retries', action='store_true', help='fail unless the client retried at least one badNonce')
    p.add_argument('--revoke-reason', type=int, default=4, help='CRL reason code (default 4, superseded)')
    p.add_argument('--out', default='out', help='directory for leaf.pem, chain.pem, issuing.pem, root.pem, fullchain.pem, key.pem')
    p.add_argument('--secrets', default=os.path.join(os.environ.get('BASE', '.teststack'), 'secrets'),
                   help='directory with <address>.pass IMAP passwords')
    p.add_argument('--smtp-host', default='127.0.0.1')
    p.add_argument('--smtp-port', type=int, default=int(os.environ.get('SMTP_PORT', 2525)))
    p.add_argument('--lmtp-host', default='127.0.0.1')
    p.add_argument('--lmtp-port', type=int, default=int(os.environ.get('LMTP_PORT', 2424)))
    p.add_argument('--imap-host', default='127.0.0.1')
    p.add_argument('--imap-port', type=int, default=int(os.environ.get('IMAP_PORT', 1143)))
    p.add_argument('--mail-timeout', type=int, default=60, help='seconds to wait for each challenge mail')
    p.add_argument('--poll-timeout', type=int, default=60, help='seconds to wait for an authorization / the order')
    args = p.parse_args()
    if args.late and not args.judged_log:
        p.error('--late needs --judged-log')
    retries = NonceRetryCounter()
    acme_log = logging.getLogger('acme.client')
    acme_log.setLevel(logging.DEBUG)
    acme_log.addHandler(retries)
    acme_log.propagate = False
    try:
        run(args)
    except Failure as e:
        log('FAILED: %s' % e)
        return 1
    except errors.Error as e:
        log('FAILED: ACME error: %s' % e)
        return 1
    except Exception as e:  # network, IMAP, SMTP: still one clear line
        log('FAILED: %s: %s' % (type(e).__name__, e))
        return 1
    log('badNonce retries: %d' % retries.count)
    if args.expect_nonce_retries and retries.count == 0:
        log('FAILED: the server refused no nonce, so the client never had to retry (is the nonce-reject profile on?)')
        return 1
    log('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
