#!/usr/bin/python3
"""acme_email 0.17.2's `cert --imap` command, reproduced for the interop harness on Debian's certbot 2.1.

Like the real cli.py it writes the key and the CSR itself, then runs certbot `certonly --csr` with one `-d`
per address and the `castle-imap` authenticator (castle_imap.py, found by certbot through CERTBOT_PLUGIN_PATH
and a generated egg-info), so certbot's own code places the order (identifiers taken from the CSR: `dns`,
holding the addresses), fetches the authorizations, calls the plug-in, POSTs the challenges, polls and
finalizes. The CSR is acme_email's: RSA 2048 (certbot's default key size), subject CN and emailAddress = the
first address, per address an rfc822Name AND a dNSName SAN holding the address, no keyUsage (no --usage).
Not reproduced: the castle-installer step after issuance (PKCS#12 packing, local only).

Afterwards it writes leaf.pem, issuing.pem, root.pem, fullchain.pem and key.pem to --out, or says why not:
the last line is `OK` or `FAILED: <what certbot printed> | letsencrypt.log: <the ACME problem logged>`, because
certbot 2.1 on Python 3.11 prints "AttributeError: can't set attribute" for every ACME error.
"""
import argparse
import os
import re
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))


def make_key_and_csr(emails):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, emails[0]),
                                    x509.NameAttribute(NameOID.EMAIL_ADDRESS, emails[0])]))
           .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(e) for e in emails] + [x509.DNSName(e) for e in emails]),
                          critical=False)
           .sign(key, hashes.SHA256()))
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
            csr.public_bytes(serialization.Encoding.PEM))


def plugin_path(work):
    """A directory with an egg-info that names castle_imap:Authenticator as the certbot plug-in `castle-imap`."""
    path = os.path.join(work, 'plugin-path')
    info = os.path.join(path, 'acme_email_interop.egg-info')
    os.makedirs(info, exist_ok=True)
    with open(os.path.join(info, 'PKG-INFO'), 'w') as f:
        f.write('Metadata-Version: 1.0\nName: acme-email-interop\nVersion: 0.17.2\n')
    with open(os.path.join(info, 'entry_points.txt'), 'w') as f:
        f.write('[certbot.plugins]\ncastle-imap = castle_imap:Authenticator\n')
    return path + ':' + HERE


def logged_problem(logs):
    """The ACME problem or final exception certbot wrote to letsencrypt.log."""
    try:
        with open(os.path.join(logs, 'letsencrypt.log'), errors='replace') as f:
            text = f.read()
    except OSError:
        return 'no letsencrypt.log'
    problem = re.search(r'^acme\.messages\.Error: (urn:ietf:params:acme:error:\w+) :: [^:]*:: (.*)$', text, re.M)
    if problem:
        return '%s: %s' % (problem.group(1), problem.group(2)[:200])
    errors = re.findall(r'^(?:[\w.]+(?:Error|Exception)|[\w.]+\.\w+Error): .*$', text, re.M)
    return errors[-1][:240] if errors else 'no error in letsencrypt.log'


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('-e', '--email', action='append', required=True)
    p.add_argument('--server', required=True)
    p.add_argument('--login', required=True)
    p.add_argument('--password-file', required=True, help='file holding the IMAP/SMTP password')
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', required=True)
    p.add_argument('--smtp-method', default='STARTTLS', choices=['STARTTLS', 'SSL', 'plain'])
    p.add_argument('--smtp-host', default='127.0.0.1')
    p.add_argument('--smtp-port', required=True)
    p.add_argument('--out', required=True)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    key_pem, csr_pem = make_key_and_csr(args.email)
    key_file, csr_file = os.path.join(args.out, 'key.pem'), os.path.join(args.out, 'csr.pem')
    for name, data in ((key_file, key_pem), (csr_file, csr_pem)):
        with open(name, 'wb') as f:
            f.write(data)
    with open(args.password_file) as f:
        password = f.read().strip()
    logs = os.path.join(args.out, 'logs')
    cmd = ['certbot', '--config-dir', os.path.join(args.out, 'config'), '--work-dir', os.path.join(args.out, 'work'),
           '--logs-dir', logs, 'certonly', '--server', args.server, '-n']
    for address in args.email:
        cmd += ['-d', address]
    cmd += ['--csr', csr_file, '-a', 'castle-imap', '--castle-imap-login', args.login, '--castle-imap-password', password,
            '--castle-imap-host', args.host, '--castle-imap-port', args.port, '--castle-imap-smtp-method', args.smtp_method,
            '--castle-imap-smtp-host', args.smtp_host, '--castle-imap-smtp-port', args.smtp_port,
            '-m', args.email[0], '--agree-tos',
            '--cert-path', os.path.join(args.out, 'cert.pem'), '--chain-path', os.path.join(args.out, 'chain.pem'),
            '--fullchain-path', os.path.join(args.out, 'fullchain.pem')]
    env = dict(os.environ, CERTBOT_PLUGIN_PATH=plugin_path(args.out))
    print('+ ' + ' '.join(c if c != password else '***' for c in cmd), flush=True)
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(done.stdout, flush=True)
    fullchain = os.path.join(args.out, 'fullchain.pem')
    if done.returncode != 0 or not os.path.exists(fullchain):
        said = [l.strip() for l in done.stdout.splitlines() if l.strip() and not l.startswith(('Saving debug log', 'acme-email:', 'Ask for help'))]
        print('FAILED: certbot exit %d: %s | letsencrypt.log: %s'
              % (done.returncode, said[-1][:200] if said else '-', logged_problem(logs)), flush=True)
        return 1
    with open(fullchain) as f:
        certs = re.findall(r'-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?', f.read(), re.S)
    for name, text in (('leaf.pem', certs[0]), ('issuing.pem', certs[1] if len(certs) > 1 else ''), ('root.pem', certs[-1])):
        with open(os.path.join(args.out, name), 'w') as f:
            f.write(text)
    print('OK', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
