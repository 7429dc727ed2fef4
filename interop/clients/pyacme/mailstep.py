"""The email step of the RFC 8823 interop client: read the challenge mail over IMAP, check it the way
acme4j does, build the reply in a chosen client style and send it (through the MTA, so that opendkim
signs it, or straight into LMTP, unsigned or signed here with another domain's key)."""
import base64
import email
import email.policy
import email.utils
import imaplib
import os
import re
import smtplib
import textwrap
import time

import dkim

ACME4J_SUBJECT = re.compile(r'^ACME:\s+([0-9A-Za-z_\s-]+=?)\s*$')


class Failure(Exception):
    pass


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


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
    if args.list_id:  # a reply that went through a mailing list (RFC 2919); RFC 8823 section 3.2 wants it refused
        headers.append(('List-Id', 'ACME interop list <acme-interop.%s>' % mailbox.split('@')[1]))

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


def foreign_signature(args, raw):
    """A valid DKIM signature by --dkim-domain (selector sel1, key from the stack), not the From domain."""
    with open(os.path.join(args.dkim_key_dir, args.dkim_domain + '.private'), 'rb') as f:
        key = f.read()
    headers = [b'from', b'to', b'subject', b'date', b'message-id', b'in-reply-to', b'mime-version',
               b'content-type', b'content-transfer-encoding']
    return dkim.sign(raw.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n'), b'sel1', args.dkim_domain.encode(), key,
                     include_headers=headers, canonicalize=(b'relaxed', b'relaxed'))


def send_reply(args, mailbox, to, raw):
    rcpts = [a.strip() for a in to.split(',')]
    if args.dkim_domain:
        raw = foreign_signature(args, raw) + raw
    if args.unsigned or args.dkim_domain:  # straight into dovecot's LMTP: opendkim adds no signature
        with smtplib.LMTP(args.lmtp_host, args.lmtp_port, timeout=15) as lmtp:
            refused = lmtp.sendmail(mailbox, rcpts, raw)
    else:              # through the MTA, which DKIM-signs mail From the user domain
        with smtplib.SMTP(args.smtp_host, args.smtp_port, timeout=15) as smtp:
            refused = smtp.sendmail(mailbox, rcpts, raw)
    if refused:
        raise Failure('reply refused by the MTA: %r' % refused)
