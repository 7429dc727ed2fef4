#!/usr/bin/python3
"""teststack.sh smoke: one opendkim-signed mail alice -> acme+smoke through postfix, read over IMAP, DKIM verified
via the loopback DNS; the CA's DKIM TXT and a CAA fixture resolve; submission needs STARTTLS and AUTH.
Environment: BASE, SMTP_PORT, IMAP_PORT, DNS_PORT, SUBMISSION_PORT (set by teststack.sh)."""
import imaplib, os, smtplib, ssl, time, uuid, dkim, dns.resolver
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
r = dns.resolver.Resolver(configure=False); r.nameservers = ['127.0.0.1']; r.port = int(os.environ['DNS_PORT'])
def txt(name, timeout=5):
    return b''.join(b''.join(x.strings) for x in r.resolve(name.decode() if isinstance(name, bytes) else name, 'TXT'))
tag = uuid.uuid4().hex[:12]
m = EmailMessage()
m['From'] = 'alice@users.example.test'; m['To'] = 'acme+smoke@ca.example.test'
m['Subject'] = 'Re: ACME: smoke ' + tag; m['Date'] = formatdate(); m['Message-ID'] = make_msgid(domain='users.example.test')
m.set_content('smoke\n')
with smtplib.SMTP('127.0.0.1', int(os.environ['SMTP_PORT']), timeout=10) as s:
    s.send_message(m)
pw = open(os.path.join(os.environ['BASE'], 'secrets', 'acme@ca.example.test.pass')).read().strip()
i = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT'])); i.login('acme@ca.example.test', pw)
ids = []
for _ in range(50):
    i.select('INBOX'); ids = i.search(None, 'SUBJECT', '"' + tag + '"')[1][0].split()
    if ids: break
    time.sleep(0.1)
assert ids, 'smoke mail not delivered to acme INBOX (see log/postfix.log, log/dovecot.log)'
raw = i.fetch(ids[-1], '(BODY.PEEK[])')[1][0][1]
i.logout()
assert b'd=users.example.test' in raw, 'no opendkim signature'
assert dkim.verify(raw, dnsfunc=txt), 'DKIM verify failed'
assert txt('acme._domainkey.ca.example.test').startswith(b'v=DKIM1'), 'CA DKIM TXT missing'
caa = [c.to_text() for c in r.resolve('users.example.test', 'CAA')]
# submission: STARTTLS against the stack's certificate, then AUTH with alice's password; relaying refused before AUTH
tls = ssl.create_default_context(cafile=os.path.join(os.environ['BASE'], 'tls', 'submission.pem'))
alice_pw = open(os.path.join(os.environ['BASE'], 'secrets', 'alice@users.example.test.pass')).read().strip()
with smtplib.SMTP('127.0.0.1', int(os.environ['SUBMISSION_PORT']), timeout=10) as s:
    s.starttls(context=tls)
    try:
        s.sendmail('alice@users.example.test', ['acme+smoke@ca.example.test'], 'Subject: unauthenticated\n\nx\n')
        raise AssertionError('submission accepted mail without AUTH')
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused):
        pass
    s.login('alice@users.example.test', alice_pw)
print('smoke: delivered to acme+smoke, IMAP read, DKIM verified; submission STARTTLS + AUTH; CAA', caa)
