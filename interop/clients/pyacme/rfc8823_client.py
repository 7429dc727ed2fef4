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
import datetime
import email
import email.policy
import email.utils
import hashlib
import imaplib
import json
import os
import re
import smtplib
import sys
import textwrap
import time

import josepy as jose
import OpenSSL
from acme import challenges, client, errors, messages
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

# ---- RFC 8823 types for python3-acme --------------------------------------------------------
IDENTIFIER_EMAIL = messages.IdentifierType('email')  # the constructor registers the name


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


ACME4J_SUBJECT = re.compile(r'^ACME:\s+([0-9A-Za-z_\s-]+=?)\s*$')


class Failure(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


def response_digest(token1, token2, thumbprint, join):
    """RFC 8823 section 3.1: base64url(SHA-256(key authorization of token-part1 || token-part2))."""
    if join == 'string':  # acme4j, RapidMX
        token = token1 + token2
    else:                 # acmez, acme_email: join the decoded bytes
        token = b64u(b64u_decode(token1) + b64u_decode(token2))
    return b64u(hashlib.sha256((token + '.' + thumbprint).encode('ascii')).digest())


# ---- mail -------------------------------------------------------------------------------------
def imap_login(args, mailbox):
    with open(os.path.join(args.secrets, mailbox + '.pass')) as f:
        password = f.read().strip()
    imap = imaplib.IMAP4(args.imap_host, args.imap_port, timeout=10)
    imap.login(mailbox, password)
    imap.select('INBOX')
    return imap


def wait_for_challenge_mail(args, mailbox, from_addr, deadline):
    """Polls the user's INBOX (bounded by deadline) for a mail From the challenge `from` address."""
    imap = imap_login(args, mailbox)
    try:
        while True:
            typ, data = imap.search(None, 'HEADER', 'From', '"%s"' % from_addr)
            ids = data[0].split() if typ == 'OK' and data and data[0] else []
            if ids:
                typ, fetched = imap.fetch(ids[-1], '(BODY.PEEK[])')
                raw = next(part[1] for part in fetched if isinstance(part, tuple))
                return email.message_from_bytes(raw, policy=email.policy.default)
            if time.monotonic() > deadline:
                raise Failure('no challenge mail from %s in %s within %d s' % (from_addr, mailbox, args.mail_timeout))
            time.sleep(0.5)
            imap.noop()
    finally:
        try:
            imap.logout()
        except Exception:
            pass


def check_challenge_mail(msg, mailbox, from_addr):
    """acme4j-smime EmailProcessor's checks; returns token-part1."""
    auto = str(msg.get('Auto-Submitted', '')).strip()
    if not (auto == 'auto-generated' or auto.startswith('auto-generated;')):
        raise Failure('challenge mail: Message is not auto-generated (Auto-Submitted: %r)' % auto)
    froms = email.utils.getaddresses(msg.get_all('From', []))
    if len(froms) != 1 or froms[0][1] != from_addr:
        raise Failure('challenge mail: From %r is not exactly the challenge from %r' % (froms, from_addr))
    tos = email.utils.getaddresses(msg.get_all('To', []))
    if len(tos) != 1 or tos[0][1] != mailbox:
        raise Failure('challenge mail: To %r is not exactly the identifier %r' % (tos, mailbox))
    if len(msg.get_all('Message-ID', [])) > 1:
        raise Failure('challenge mail: more than one Message-ID')
    subject = str(msg.get('Subject', ''))
    m = ACME4J_SUBJECT.match(subject)
    if not m:
        raise Failure('challenge mail: Subject %r does not match "ACME: <token>"' % subject)
    return re.sub(r'\s', '', m.group(1))


def build_reply(args, mailbox, challenge_mail, token1, digest):
    """The reply in the chosen client style, as raw bytes."""
    reply_to = email.utils.getaddresses(challenge_mail.get_all('Reply-To', []))
    to = ', '.join(a for _, a in reply_to) if reply_to else email.utils.parseaddr(str(challenge_mail['From']))[1]
    block = ['-----BEGIN ACME RESPONSE-----', digest, '-----END ACME RESPONSE-----']
    intro = ('This is the automatic answer of an RFC 8823 interop client to the ACME challenge for '
             + mailbox + '; it proves control of the mailbox and may be ignored by humans.')
    lines = (textwrap.wrap(intro, args.wrap) if args.wrap > 0 else [intro]) + [''] + block + ['']
    headers = [
        ('From', mailbox),
        ('To', to),
        ('Subject', '%s ACME: %s' % (args.subject_prefix, token1)),
        ('Date', email.utils.formatdate(localtime=False)),
        ('Message-ID', email.utils.make_msgid(domain=mailbox.split('@')[1])),
        ('MIME-Version', '1.0'),
    ]
    if challenge_mail['Message-ID']:
        headers.append(('In-Reply-To', str(challenge_mail['Message-ID']).strip()))

    def text_part(ctype_lines):
        if args.qp:
            # quoted-printable with a soft line break inside the digest and an encoded non-ASCII word
            qp_lines = []
            for line in lines:
                if line == digest:
                    qp_lines += [digest[:20] + '=', digest[20:]]
                else:
                    qp_lines.append(line.replace('=', '=3D'))
            qp_lines.append('Gr=C3=BC=C3=9Fe')
            return ctype_lines + ['Content-Type: text/plain; charset=utf-8',
                                  'Content-Transfer-Encoding: quoted-printable', ''] + qp_lines
        return ctype_lines + ['Content-Type: text/plain; charset=us-ascii',
                              'Content-Transfer-Encoding: 7bit', ''] + lines

    out = ['%s: %s' % h for h in headers]
    if args.alternative:
        boundary = '=_alt_' + b64u(os.urandom(12))
        html = ('<html><body><p>%s</p><pre>%s</pre></body></html>' % (intro, '<br>'.join(block)))
        out += ['Content-Type: multipart/alternative; boundary="%s"' % boundary, '',
                'This is a multi-part message in MIME format.', '--' + boundary]
        out += text_part([])
        out += ['--' + boundary, 'Content-Type: text/html; charset=us-ascii',
                'Content-Transfer-Encoding: 7bit', '', html, '--' + boundary + '--', '']
    else:
        out += text_part([])
    nl = '\r\n' if args.newline == 'crlf' else '\n'
    return to, nl.join(out).encode('utf-8')


def send_reply(args, mailbox, to, raw):
    rcpts = [a.strip() for a in to.split(',')]
    if args.unsigned:  # straight into dovecot's LMTP: no opendkim, so no DKIM signature
        with smtplib.LMTP(args.lmtp_host, args.lmtp_port, timeout=15) as lmtp:
            refused = lmtp.sendmail(mailbox, rcpts, raw)
    else:              # through the MTA, which DKIM-signs mail From the user domain
        with smtplib.SMTP(args.smtp_host, args.smtp_port, timeout=15) as smtp:
            refused = smtp.sendmail(mailbox, rcpts, raw)
    if refused:
        raise Failure('reply refused by the MTA: %r' % refused)


# ---- keys and CSR -----------------------------------------------------------------------------
def new_key(kind):
    if kind == 'rsa':
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def make_csr(key, mailboxes, usage, kind):
    sign = usage in ('sign', 'dual')
    enc = usage in ('encrypt', 'dual')
    ku = x509.KeyUsage(
        digital_signature=sign, content_commitment=False,
        key_encipherment=enc and kind == 'rsa', data_encipherment=False,
        key_agreement=enc and kind == 'ec', key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, mailboxes[0])]))
           .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(m) for m in mailboxes]), critical=False)
           .add_extension(ku, critical=True)
           .sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.PEM)


# ---- ACME -------------------------------------------------------------------------------------
def deadline_dt(seconds):
    return datetime.datetime.now() + datetime.timedelta(seconds=seconds)


def poll_authorization(acme, authzr, seconds):
    end = time.monotonic() + seconds
    while True:
        authzr, _ = acme.poll(authzr)
        if authzr.body.status not in (messages.STATUS_PENDING, messages.STATUS_PROCESSING):
            return authzr
        if time.monotonic() > end:
            raise Failure('authorization %s still %s after %d s' % (authzr.uri, authzr.body.status, seconds))
        time.sleep(0.5)


def email_challenge(authzr):
    for challb in authzr.body.challenges:
        if isinstance(challb.chall, EmailReply00):
            return challb
    raise Failure('authorization %s has no email-reply-00 challenge: %s'
                  % (authzr.uri, [c.chall.to_partial_json() for c in authzr.body.challenges]))


def run(args):
    mailboxes = args.email
    kind = args.key_type
    account_key = new_key(kind)
    jwk = jose.JWKRSA(key=account_key) if kind == 'rsa' else jose.JWKEC(key=account_key)
    alg = jose.RS256 if kind == 'rsa' else jose.ES256
    verify = args.ca_file or True
    net = client.ClientNetwork(jwk, alg=alg, user_agent='rfc8823-interop-pyacme', verify_ssl=verify)
    directory = client.ClientV2.get_directory(args.directory, net)
    acme = client.ClientV2(directory, net)
    reg = acme.new_account(messages.NewRegistration.from_data(terms_of_service_agreed=True))
    net.account = reg
    log('account: %s (%s)' % (reg.uri, alg.name))
    thumbprint = b64u(jwk.thumbprint())

    order_body = messages.NewOrder(identifiers=[messages.Identifier(typ=IDENTIFIER_EMAIL, value=m) for m in mailboxes])
    resp = acme._post(directory['newOrder'], order_body)  # new_order() builds only dns/ip identifiers
    order = messages.Order.from_json(resp.json())
    order_uri = resp.headers.get('Location')
    log('order: %s %s' % (order_uri, [i.value for i in order.identifiers]))

    authzrs = []
    for url in order.authorizations:
        authzrs.append(acme._authzr_from_response(acme._post_as_get(url), uri=url))

    pending = []
    for authzr in authzrs:
        mailbox = authzr.body.identifier.value
        if authzr.body.status == messages.STATUS_VALID:
            log('authorization for %s already valid' % mailbox)
            continue
        challb = email_challenge(authzr)
        from_addr = challb.chall.from_
        log('challenge for %s: %s from %s' % (mailbox, challb.uri, from_addr))
        mail = wait_for_challenge_mail(args, mailbox, from_addr, time.monotonic() + args.mail_timeout)
        token1 = check_challenge_mail(mail, mailbox, from_addr)
        digest = response_digest(token1, challb.chall.token, thumbprint, args.join)
        if args.wrong_digest:
            digest = response_digest(token1 + 'x', challb.chall.token, thumbprint, args.join)
        to, raw = build_reply(args, mailbox, mail, token1, digest)
        send_reply(args, mailbox, to, raw)
        log('reply sent %s -> %s via %s' % (mailbox, to, 'LMTP (unsigned)' if args.unsigned else 'SMTP'))
        acme.answer_challenge(challb, EmailReply00Response(digest=digest))
        pending.append(authzr)

    failures = []
    for authzr in pending:
        authzr = poll_authorization(acme, authzr, args.poll_timeout)
        mailbox = authzr.body.identifier.value
        challb = email_challenge(authzr)
        err = challb.error
        if authzr.body.status == messages.STATUS_VALID:
            log('authorization for %s: valid' % mailbox)
        else:
            detail = '%s: %s' % (err.typ, err.detail) if err else 'no error object'
            log('authorization for %s: %s, challenge %s (%s)' % (mailbox, authzr.body.status, challb.status, detail))
            failures.append((mailbox, challb, err))

    if args.expect_invalid:
        if len(failures) != len(pending) or not pending:
            raise Failure('expected every challenge to end invalid, but %d of %d did'
                          % (len(failures), len(pending)))
        for mailbox, challb, err in failures:
            if challb.status != messages.STATUS_INVALID:
                raise Failure('challenge for %s is %s, not invalid' % (mailbox, challb.status))
            if err is None:
                raise Failure('invalid challenge for %s carries no error' % mailbox)
            if args.expect_error and err.typ != 'urn:ietf:params:acme:error:' + args.expect_error:
                raise Failure('challenge for %s: error %s, expected %s' % (mailbox, err.typ, args.expect_error))
            log('EXPECTED-INVALID %s %s %s' % (mailbox, err.typ, err.detail))
        return
    if failures:
        mailbox, challb, err = failures[0]
        raise Failure('authorization for %s not valid: %s' % (mailbox, '%s: %s' % (err.typ, err.detail) if err else challb.status))

    cert_key = new_key(kind)
    csr_pem = make_csr(cert_key, mailboxes, args.usage, kind)
    orderr = messages.OrderResource(body=messages.Order.from_json(acme._post_as_get(order_uri).json()),
                                    uri=order_uri, csr_pem=csr_pem)
    if orderr.body.status != messages.STATUS_READY:
        raise Failure('order is %s, not ready, after all authorizations' % orderr.body.status)
    orderr = acme.finalize_order(orderr, deadline_dt(args.poll_timeout))
    chain = orderr.fullchain_pem
    certs = re.findall(r'-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?', chain, re.S)
    if len(certs) < 2:
        raise Failure('chain has %d certificate(s), expected leaf + issuing CA (+ root)' % len(certs))
    leaf = x509.load_pem_x509_certificate(certs[0].encode())
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.RFC822Name)
    if sorted(sans) != sorted(mailboxes):
        raise Failure('leaf SAN %s differs from the order %s' % (sans, mailboxes))
    os.makedirs(args.out, exist_ok=True)

    def write(name, text):
        with open(os.path.join(args.out, name), 'w') as f:
            f.write(text)
    write('leaf.pem', certs[0])
    write('chain.pem', ''.join(certs[1:]))
    write('issuing.pem', certs[1])
    write('root.pem', certs[-1])
    write('fullchain.pem', chain)
    write('key.pem', cert_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()).decode())
    log('certificate: serial %x, SAN %s, %d certificates in the chain, written to %s'
        % (leaf.serial_number, sans, len(certs), args.out))

    if args.revoke:
        cert = jose.ComparableX509(OpenSSL.crypto.load_certificate(OpenSSL.crypto.FILETYPE_PEM, certs[0].encode()))
        acme.revoke(cert, args.revoke_reason)
        log('revoked by account (reason %d)' % args.revoke_reason)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--directory', default='https://127.0.0.1:14000/directory')
    p.add_argument('--ca-file', help='PEM to trust for the server TLS certificate')
    p.add_argument('--email', action='append', required=True, help='mailbox identifier (repeatable)')
    p.add_argument('--key-type', choices=['ec', 'rsa'], default='ec', help='account and certificate key (P-256/ES256 or RSA 2048/RS256)')
    p.add_argument('--usage', choices=['sign', 'encrypt', 'dual'], default='dual', help='critical KeyUsage requested in the CSR')
    p.add_argument('--join', choices=['string', 'bytes'], default='string', help='token-part1 || token-part2 as text (acme4j) or decoded bytes (acmez)')
    p.add_argument('--subject-prefix', default='Re:', help='reply Subject prefix, e.g. "Re:" or "RE:"')
    p.add_argument('--newline', choices=['crlf', 'lf'], default='crlf')
    p.add_argument('--wrap', type=int, default=72, help='wrap body text at N columns (0: no wrap)')
    p.add_argument('--qp', action='store_true', help='quoted-printable body with a soft break inside the digest')
    p.add_argument('--alternative', action='store_true', help='multipart/alternative with text/plain and text/html')
    p.add_argument('--unsigned', action='store_true', help='deliver the reply through LMTP, bypassing opendkim')
    p.add_argument('--wrong-digest', action='store_true', help='reply with a digest over a wrong token')
    p.add_argument('--expect-invalid', action='store_true', help='success = every challenge ends invalid')
    p.add_argument('--expect-error', help='with --expect-invalid: the ACME error type expected (e.g. unauthorized)')
    p.add_argument('--revoke', action='store_true', help='revoke the issued certificate by account afterwards')
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
    log('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
