"""Certificate step of the RFC 8823 interop client: the S/MIME CSR, finalize, the chain written to --out, and
revocation afterwards (by account, or signed by the certificate's own key)."""
import datetime
import os
import re

import josepy as jose
import OpenSSL
from acme import messages
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from accountops import revoke_with_certificate_key
from mailstep import Failure


def new_key(kind):
    if kind == 'rsa':
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def make_csr(key, mailboxes, usage, kind, dns_san=False):
    sign = usage in ('sign', 'dual')
    enc = usage in ('encrypt', 'dual')
    ku = x509.KeyUsage(
        digital_signature=sign, content_commitment=False,
        key_encipherment=enc and kind == 'rsa', data_encipherment=False,
        key_agreement=enc and kind == 'ec', key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False)
    names = [x509.RFC822Name(m) for m in mailboxes]
    if dns_san:  # acme_email puts the address into a dNSName as well
        names += [x509.DNSName(m) for m in mailboxes]
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, mailboxes[0])]))
           .add_extension(x509.SubjectAlternativeName(names), critical=False)
           .add_extension(ku, critical=True)
           .sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.PEM)


def deadline_dt(seconds):
    return datetime.datetime.now() + datetime.timedelta(seconds=seconds)


def finalize(args, acme, net, order_uri, log):
    kind = args.key_type
    cert_key = new_key(kind)
    csr_pem = make_csr(cert_key, args.email, args.usage, kind, args.csr_dns_san)
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
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    if sorted(sans.get_values_for_type(x509.RFC822Name)) != sorted(args.email) or sans.get_values_for_type(x509.DNSName):
        raise Failure('leaf SAN %s differs from the order %s (rfc822Name only)' % (sans, args.email))
    os.makedirs(args.out, exist_ok=True)
    files = {'leaf.pem': certs[0], 'chain.pem': ''.join(certs[1:]), 'issuing.pem': certs[1], 'root.pem': certs[-1],
             'fullchain.pem': chain,
             'key.pem': cert_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()).decode()}
    for name, text in files.items():
        with open(os.path.join(args.out, name), 'w') as f:
            f.write(text)
    log('certificate: serial %x, SAN %s, %d certificates in the chain, written to %s'
        % (leaf.serial_number, args.email, len(certs), args.out))

    if args.revoke == 'account':
        acme.revoke(jose.ComparableX509(OpenSSL.crypto.load_certificate(OpenSSL.crypto.FILETYPE_PEM, certs[0].encode())),
                    args.revoke_reason)
        log('revoked by account (reason %d)' % args.revoke_reason)
    elif args.revoke == 'cert-key':
        revoke_with_certificate_key(acme, net, certs[0], cert_key, kind, args.revoke_reason)
        log('revoked by certificate key (reason %d)' % args.revoke_reason)
