"""acme_email 0.17.2's challenge-mail checks and reply body, reproduced for the interop harness.

What the real client does (certbot_castle/plugins/castle/utils.py and dkim.py), step by step:
* Subject must start with "ACME: " (else BadSubject); the token is the Subject's last space-separated word.
* The From address (email.utils.parseaddr) must equal the challenge's `from` exactly, case-sensitively (else
  FromAddressMismatch: the plug-in skips the mail); then the raw To header must equal the identifier string
  exactly (else ReceiptAddressMismatch: skipped too).
* A DKIM-Signature present: unless the mail has an Authentication-Results header, python dkim verifies
  bytes(msg), the message as Python's email package writes it again, and the result is stored in a new
  Authentication-Results header; it must contain dkim=pass. Then the first DKIM-Signature is split on ';' and
  '=', its h= on ':' WITHOUT trimming, and from, auto-submitted, date, message-id, subject and to must all be
  there; d= (lower-cased) must equal the From domain. No DKIM-Signature but multipart/signed: a PKCS#7 check
  (not reproduced: our challenge mails are always DKIM-signed).
* Digest: token-part1 decoded from base64url, joined as BYTES with the challenge's decoded token, the key
  authorization of that joined token, SHA-256, base64url; the body is the BEGIN line, the digest, the END line, LF.
The one deliberate difference: the real client asks the public DNS for the DKIM key; here the stack's dnsmasq
(ACME_EMAIL_DNS=host:port) answers, as the CA's key is published nowhere else.
"""
import email.utils
import hashlib
import os

import dkim
import dns.resolver
import josepy as jose
from acme import messages

ACME_EMAIL_H = ['from', 'auto-submitted', 'date', 'message-id', 'subject', 'to']


class CastleError(Exception):
    """acme_email's castle.exception.Error: built with a message, but (as in the real client) no .message attribute."""


class FromAddressMismatch(CastleError):
    def __init__(self):
        super().__init__('Email From Address does not match with challenge From Address')


class ReceiptAddressMismatch(CastleError):
    def __init__(self):
        super().__init__('Email Receipt Address does not match with challenge email identifier')


class BadSubject(CastleError):
    def __init__(self):
        super().__init__('Subject malformed')


class VerificationFailed(CastleError):
    def __init__(self):
        super().__init__('DKIM-Signature does not pass the verification')


class BadSignatureHeader(CastleError):
    def __init__(self):
        super().__init__('Bad DKIM-Signature header')


class MissingTags(CastleError):
    def __init__(self):
        super().__init__('Missing h fields in DKIM-Signature header')


class UnmatchedTagD(CastleError):
    def __init__(self):
        super().__init__("From's email domain does not match DKIM d tag")


def _stack_dns_txt(name, timeout=5):
    """dkim's dnsfunc, pointed at the stack's dnsmasq instead of the public DNS."""
    host, port = os.environ.get('ACME_EMAIL_DNS', '127.0.0.1:5353').rsplit(':', 1)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = int(port)
    resolver.lifetime = timeout
    try:
        answer = resolver.resolve(name.decode() if isinstance(name, bytes) else name, 'TXT')
    except dns.exception.DNSException:
        return None
    return b''.join(b''.join(r.strings) for r in answer)


def check_dkim(msg, from_addr, log):
    signature = msg.get('DKIM-Signature', None)
    if 'Authentication-Results' not in msg:
        verified = dkim.verify(bytes(msg), dnsfunc=_stack_dns_txt)
        log('dkim.verify(bytes(msg)) of the first DKIM-Signature: %s' % verified)
        msg['Authentication-Results'] = 'dkim=pass' if verified else 'dkim=nopass'
    if 'dkim=pass' not in msg['Authentication-Results'].lower():
        raise VerificationFailed
    tags = {}
    for part in signature.split(';'):
        t = part.strip().split('=')
        tags[t[0]] = t[1]
    if 'h' not in tags:
        raise BadSignatureHeader
    names = tags['h'].split(':')
    log('h= split on ":" as the client does: %r' % names)
    if not set(ACME_EMAIL_H).issubset(set(names)):
        raise MissingTags
    if tags['d'].lower() != from_addr.split('@')[1]:
        raise UnmatchedTagD


def reply_body(subject, achall):
    """The digest over the byte join of token-part1 and token-part2, and the response block."""
    token1 = jose.b64.b64decode(subject.split(' ')[-1])
    full = bytes(token1 + achall.chall.token)
    rebuilt = messages.ChallengeBody.from_json({
        'type': 'email-reply-00', 'token': jose.b64.b64encode(full).decode('ascii'), 'url': achall.challb.uri,
        'status': achall.challb.status.to_json(), 'from': achall.challb.chall.from_addr})
    response, validation = rebuilt.response_and_validation(achall.account_key)
    digest = jose.b64encode(hashlib.sha256(validation.encode()).digest()).decode()
    return response, '-----BEGIN ACME RESPONSE-----\n{}\n-----END ACME RESPONSE-----\n'.format(digest)


def process_challenge_mail(msg, achall, log):
    subject = msg['Subject']
    if not subject.startswith('ACME: '):
        raise BadSubject
    if email.utils.parseaddr(msg['From'])[1] != achall.challb.chall.from_addr:
        raise FromAddressMismatch
    if msg['To'] != achall.domain:
        raise ReceiptAddressMismatch
    from_addr = email.utils.parseaddr(msg['From'])[1]
    if msg.get('DKIM-Signature', None):
        check_dkim(msg, from_addr, log)
    elif msg.get_content_subtype() == 'signed':
        log('multipart/signed without DKIM: the real client checks PKCS#7 here (not reproduced)')
    return reply_body(subject, achall)
