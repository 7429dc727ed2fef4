"""Account-level RFC 8555 operations python3-acme 2.1 lacks or hides: account key rollover (section 7.3.5)
and revocation signed by the certificate's own key (section 7.6)."""
import json

import josepy as jose
import OpenSSL
from acme import client, errors, jws, messages

from mailstep import Failure


def jwk_and_alg(key, kind):
    return (jose.JWKRSA(key=key), jose.RS256) if kind == 'rsa' else (jose.JWKEC(key=key), jose.ES256)


def roll_account_key(acme, net, reg, new_key, kind, log):
    """keyChange: an inner JWS signed by the new key (jwk + url, no nonce) inside the outer request signed by
    the old key; afterwards the old key must be refused and the account must answer to the new one."""
    url = acme.directory['keyChange']
    old_jwk, old_alg = net.key, net.alg
    new_jwk, new_alg = jwk_and_alg(new_key, kind)
    payload = json.dumps({'account': reg.uri, 'oldKey': old_jwk.public_key().to_partial_json()}).encode()
    inner = jws.JWS.sign(payload, new_jwk, new_alg, None, url=url)
    acme._post(url, inner)
    net.key, net.alg = new_jwk, new_alg
    log('account key rolled over at %s' % url)

    old_net = client.ClientNetwork(old_jwk, alg=old_alg, account=reg, user_agent=net.user_agent, verify_ssl=net.verify_ssl)
    old_client = client.ClientV2(acme.directory, old_net)
    try:
        old_client._post_as_get(reg.uri)
    except messages.Error as e:
        if e.typ not in ('urn:ietf:params:acme:error:unauthorized', 'urn:ietf:params:acme:error:accountDoesNotExist',
                         'urn:ietf:params:acme:error:malformed'):
            raise Failure('the old account key was refused with %s, expected unauthorized' % e.typ)
        log('old account key refused: %s' % e.typ)
    else:
        raise Failure('the server still accepts the old account key after keyChange')
    acme._post_as_get(reg.uri)  # the new key works
    return new_jwk


def revoke_with_certificate_key(acme, net, cert_pem, cert_key, kind, reason):
    """revokeCert signed by the certificate's key (jwk in the header, no account)."""
    key_jwk, key_alg = jwk_and_alg(cert_key, kind)
    cert_net = client.ClientNetwork(key_jwk, alg=key_alg, account=None, user_agent=net.user_agent, verify_ssl=net.verify_ssl)
    cert_client = client.ClientV2(acme.directory, cert_net)
    cert = jose.ComparableX509(OpenSSL.crypto.load_certificate(OpenSSL.crypto.FILETYPE_PEM, cert_pem.encode()))
    try:
        cert_client.revoke(cert, reason)
    except errors.Error as e:
        raise Failure('revocation signed by the certificate key refused: %s' % e)
