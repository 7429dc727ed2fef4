// S/MIME CSR (PKCS#10, RFC 2986) built with node:crypto and a minimal DER writer.
// Why not acme-client's own helpers: acme.crypto.createCsr (5.4.0) puts every altName into a dNSName
// (or iPAddress) SAN and always adds keyUsage digitalSignature|keyEncipherment, and acme.forge.createCsr
// handles RSA keys only, with the same dNSName SANs. An S/MIME CSR needs rfc822Name SANs and, for the
// usage choice of RFC 8823 section 3.3, a keyUsage request of our own (keyAgreement for EC keys).
import { generateKeyPairSync, sign } from 'node:crypto';

function len(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...p) => tlv(0x30, ...p);
const set = (...p) => tlv(0x31, ...p);
const oid = (dotted) => {
  const a = dotted.split('.').map(Number);
  const out = [40 * a[0] + a[1]];
  for (const v of a.slice(2)) {
    const b = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) b.unshift(0x80 | (x & 0x7f));
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
};
const utf8 = (s) => tlv(0x0c, Buffer.from(s, 'utf8'));
const octets = (b) => tlv(0x04, b);
const bits = (b) => tlv(0x03, Buffer.from([0]), b);

// KeyUsage bits (RFC 5280 4.2.1.3), first octet: digitalSignature 0x80, keyEncipherment 0x20, keyAgreement 0x08
function keyUsageExtension(usage, keyType) {
  let v = 0;
  if (usage === 'sign' || usage === 'dual') v |= 0x80;
  if (usage === 'encrypt' || usage === 'dual') v |= keyType === 'rsa' ? 0x20 : 0x08;
  let unused = 0;
  while (unused < 7 && !(v & (1 << unused))) unused += 1;
  const bitString = tlv(0x03, Buffer.from([unused, v]));
  return seq(oid('2.5.29.15'), tlv(0x01, Buffer.from([0xff])), octets(bitString)); // critical
}

/** Generates the certificate key (P-256 or RSA 2048); returns the KeyObject pair. */
export function newKeyPair(keyType) {
  return keyType === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/**
 * CSR with CN = the first address, one rfc822Name SAN per address and, unless usage is 'none',
 * a critical keyUsage request (sign: digitalSignature; encrypt: keyEncipherment for RSA,
 * keyAgreement for EC; dual: both). Returns the PEM text.
 */
export function smimeCsr({ privateKey, publicKey }, mailboxes, usage, keyType) {
  const subject = seq(set(seq(oid('2.5.4.3'), utf8(mailboxes[0]))));
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const san = seq(oid('2.5.29.17'), octets(seq(...mailboxes.map((m) => tlv(0x81, Buffer.from(m, 'ascii'))))));
  const exts = [san];
  if (usage !== 'none') exts.push(keyUsageExtension(usage, keyType));
  const extensionRequest = seq(oid('1.2.840.113549.1.9.14'), set(seq(...exts)));
  const info = seq(tlv(0x02, Buffer.from([0])), subject, spki, tlv(0xa0, extensionRequest));
  const alg = keyType === 'rsa'
    ? seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]))
    : seq(oid('1.2.840.10045.4.3.2'));
  const der = seq(info, alg, bits(sign('sha256', info, privateKey)));
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${b64}-----END CERTIFICATE REQUEST-----\n`;
}
