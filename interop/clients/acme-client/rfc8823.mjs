#!/usr/bin/env node
// RFC 8823 (ACME for S/MIME) command-line client on npm acme-client 5.4.0: acme-client does the
// RFC 8555 part (JWS, nonces and badNonce retries, account, order, challenge POST, polling, finalize,
// download, revocation, key roll-over); this file adds the email-reply-00 step (mail.mjs) and an
// S/MIME CSR (csr.mjs). Last output line: OK or FAILED: <reason> (exit status 0 or 1).
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import path from 'node:path';
import acme from 'acme-client';
import { Failure, waitForChallengeMail, checkChallengeMail, sendReply } from './mail.mjs';
import { newKeyPair, smimeCsr } from './csr.mjs';

const env = process.env;
const { values: a } = parseArgs({
  options: {
    directory: { type: 'string', default: 'https://127.0.0.1:14000/directory' },
    'ca-file': { type: 'string' }, // PEM to trust for the server's TLS certificate
    email: { type: 'string', multiple: true, default: [] },
    'key-type': { type: 'string', default: 'ec' }, // account and certificate key: ec (P-256/ES256) | rsa (2048/RS256)
    usage: { type: 'string', default: 'dual' }, // keyUsage request: sign | encrypt | dual | none (no extension)
    'wrong-digest': { type: 'boolean' }, unsigned: { type: 'boolean' },
    'expect-invalid': { type: 'boolean' }, 'expect-error': { type: 'string' },
    revoke: { type: 'boolean' }, 'revoke-reason': { type: 'string', default: '4' },
    'key-change': { type: 'boolean' }, 'update-contact': { type: 'boolean' }, deactivate: { type: 'boolean' },
    'count-nonce-retries': { type: 'boolean' }, verbose: { type: 'boolean' },
    'library-csr': { type: 'boolean' }, // acme-client's own crypto.createCsr (dNSName SANs) instead of csr.mjs
    'expect-finalize-error': { type: 'string' }, // success = finalize refused with this ACME error type
    out: { type: 'string', default: 'out' },
    secrets: { type: 'string', default: path.join(env.BASE || '.teststack', 'secrets') },
    'smtp-port': { type: 'string', default: env.SMTP_PORT || '2525' },
    'lmtp-port': { type: 'string', default: env.LMTP_PORT || '2424' },
    'imap-port': { type: 'string', default: env.IMAP_PORT || '1143' },
    'mail-timeout': { type: 'string', default: '60' }, // seconds to wait for each challenge mail
    'poll-timeout': { type: 'string', default: '60' }, // seconds to wait for an authorization / the order
  },
});
const log = (msg) => console.log(msg);
const ERR = 'urn:ietf:params:acme:error:';
const HOST = '127.0.0.1';
const keyType = a['key-type'];
if (!['ec', 'rsa'].includes(keyType)) throw new Error('--key-type is ec or rsa');
if (!['sign', 'encrypt', 'dual', 'none'].includes(a.usage)) throw new Error('--usage is sign, encrypt, dual or none');

// Every HTTP exchange is bounded (axios timeout; acme-client retries 429/5xx at most 5 times itself).
acme.axios.defaults.timeout = 15000;
if (a['ca-file']) acme.axios.defaults.httpsAgent = new https.Agent({ ca: readFileSync(a['ca-file']) });

// acme-client logs each JWS nonce and each badNonce retry (http.js signedRequest); count both.
const counts = { signed: 0, badNonce: 0 };
acme.setLogger((msg) => {
  if (msg.startsWith('Using nonce:')) counts.signed += 1;
  if (msg.startsWith('Caught invalid nonce error')) counts.badNonce += 1;
  if (a.verbose) log(`  acme-client: ${msg}`);
});

const pollS = Number(a['poll-timeout']);
const newAccountKey = () => (keyType === 'rsa' ? acme.crypto.createPrivateRsaKey(2048) : acme.crypto.createPrivateEcdsaKey('P-256'));
// waitForValidStatus backs off 0.5 s doubling to 2 s: attempts chosen so the wait ends after about pollS
const newClient = (accountKey, accountUrl = null) => new acme.Client({
  directoryUrl: a.directory, accountKey, accountUrl, backoffMin: 500, backoffMax: 2000, backoffAttempts: Math.ceil(pollS / 2) + 3,
});
const thumbprint = (accountKey) => createHash('sha256').update(JSON.stringify(acme.crypto.getJwk(accountKey))).digest('base64url');
// RFC 8823 section 3.1, acme4j's reading: token = token-part1 || token-part2 joined as text
const digestOf = (token1, token2, tp) => createHash('sha256').update(`${token1}${token2}.${tp}`).digest('base64url');
const problem = (resp) => `${resp.status} ${(resp.data && resp.data.type) || '-'} ${(resp.data && resp.data.detail) || ''}`.trim();

/** RFC 8555 7.3.5: roll the key, then the old key must be refused and the new one must find the account. */
async function keyChange(client, oldKey, accountUrl) {
  const newKey = await newAccountKey();
  await client.updateAccountKey(newKey);
  log(`key change: account ${accountUrl} now on a new ${keyType} key`);
  const old = newClient(oldKey, accountUrl);
  const byKid = await old.api.apiRequest(accountUrl, null, []);
  if (byKid.status < 400) throw new Failure(`the old account key still authenticates after keyChange: POST-as-GET ${accountUrl} answered ${byKid.status}`);
  const lookupOld = await newClient(oldKey).api.apiResourceRequest('newAccount', { onlyReturnExisting: true }, [], { includeJwsKid: false });
  if (lookupOld.status !== 400 || lookupOld.data.type !== `${ERR}accountDoesNotExist`) {
    throw new Failure(`newAccount onlyReturnExisting with the old key: ${problem(lookupOld)} (RFC 8555 7.3.1 expects accountDoesNotExist)`);
  }
  const lookupNew = await newClient(newKey).api.apiResourceRequest('newAccount', { onlyReturnExisting: true }, [], { includeJwsKid: false });
  if (lookupNew.status !== 200 || lookupNew.headers.location !== accountUrl) {
    throw new Failure(`newAccount onlyReturnExisting with the new key: ${lookupNew.status} Location ${lookupNew.headers.location}, expected 200 ${accountUrl}`);
  }
  log(`KEY-CHANGE old key refused (${problem(byKid)}); old key lookup ${lookupOld.data.type.replace(ERR, '')}; new key finds the same account`);
  return newKey;
}

/** RFC 8555 7.3.2: contact update, read back with POST-as-GET. */
async function updateContact(client) {
  const contact = a.email.map((m) => `mailto:${m}`);
  const updated = await client.updateAccount({ contact });
  const readBack = await client.updateAccount({});
  for (const [what, acct] of [['update answer', updated], ['POST-as-GET', readBack]]) {
    if (JSON.stringify(acct.contact) !== JSON.stringify(contact)) {
      throw new Failure(`account contact after update (${what}) is ${JSON.stringify(acct.contact)}, expected ${JSON.stringify(contact)}`);
    }
  }
  log(`CONTACT-UPDATED ${contact.join(' ')}`);
}

/** RFC 8555 7.3.6: deactivate; afterwards every request of the account gets 401 unauthorized. */
async function deactivate(client, accountUrl, identifiers) {
  const d = await client.updateAccount({ status: 'deactivated' });
  if (d.status !== 'deactivated') throw new Failure(`account status after deactivation is ${d.status}`);
  log(`account ${accountUrl} deactivated`);
  const tries = [['newOrder', () => client.api.apiResourceRequest('newOrder', { identifiers }, [])],
    ['account POST-as-GET', () => client.api.apiRequest(accountUrl, null, [])]];
  for (const [what, fn] of tries) {
    const resp = await fn();
    if (resp.status !== 401 || resp.data.type !== `${ERR}unauthorized`) {
      throw new Failure(`${what} by a deactivated account answered ${problem(resp)}; RFC 8555 7.3.6 expects 401 unauthorized`);
    }
    log(`EXPECTED-REFUSED ${what} ${resp.data.type} ${resp.data.detail}`);
  }
}

async function answerEmailChallenge(client, accountKey, authz) {
  const mailbox = authz.identifier.value;
  const ch = (authz.challenges || []).find((c) => c.type === 'email-reply-00');
  if (!ch) throw new Failure(`authorization ${authz.url} has no email-reply-00 challenge: ${JSON.stringify(authz.challenges)}`);
  if (!ch.from) throw new Failure(`challenge ${ch.url} has no 'from' (RFC 8823 section 3)`);
  log(`challenge for ${mailbox}: ${ch.url} from ${ch.from}`);
  const password = readFileSync(path.join(a.secrets, `${mailbox}.pass`), 'utf8').trim();
  const raw = await waitForChallengeMail({ host: HOST, port: Number(a['imap-port']), mailbox, password, fromAddr: ch.from, timeoutS: Number(a['mail-timeout']) });
  const mail = checkChallengeMail(raw, mailbox, ch.from);
  const tp = thumbprint(accountKey);
  const digest = a['wrong-digest'] ? digestOf(`${mail.token1}x`, ch.token, tp) : digestOf(mail.token1, ch.token, tp);
  const to = await sendReply({
    smtp: { host: HOST, port: Number(a['smtp-port']) }, lmtp: { host: HOST, port: Number(a['lmtp-port']) },
    unsigned: a.unsigned, mailbox, challenge: mail, digest,
  });
  log(`reply sent ${mailbox} -> ${to.join(', ')} via ${a.unsigned ? 'LMTP (unsigned)' : 'SMTP'}`);
  await client.completeChallenge(ch); // POST {}
  return { authz, mailbox };
}

function writeChain(pem, certKey, mailboxes) {
  const certs = acme.crypto.splitPemChain(pem).map((c) => `${c.trim()}\n`);
  if (certs.length < 2) throw new Failure(`chain has ${certs.length} certificate(s), expected leaf + issuing CA (+ root)`);
  const leaf = new X509Certificate(certs[0]);
  const sans = (leaf.subjectAltName || '').split(', ').filter((s) => s.startsWith('email:')).map((s) => s.slice(6));
  if (JSON.stringify([...sans].sort()) !== JSON.stringify([...mailboxes].sort())) {
    throw new Failure(`leaf SAN ${JSON.stringify(sans)} differs from the order ${JSON.stringify(mailboxes)}`);
  }
  mkdirSync(a.out, { recursive: true });
  const files = {
    'leaf.pem': certs[0], 'issuing.pem': certs[1], 'root.pem': certs[certs.length - 1], 'chain.pem': certs.slice(1).join(''),
    'fullchain.pem': certs.join(''), 'key.pem': certKey.privateKey.export({ type: 'pkcs8', format: 'pem' }),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(a.out, name), text);
  log(`certificate: serial ${leaf.serialNumber}, SAN ${sans.join(' ')}, ${certs.length} certificates in the chain, written to ${a.out}`);
  return certs[0];
}

async function run() {
  if (!a.email.length) throw new Failure('at least one --email is needed');
  let accountKey = await newAccountKey();
  const client = newClient(accountKey);
  await client.createAccount({ termsOfServiceAgreed: true });
  const accountUrl = client.getAccountUrl();
  log(`account: ${accountUrl} (${keyType === 'rsa' ? 'RS256' : 'ES256'})`);
  const identifiers = a.email.map((value) => ({ type: 'email', value }));

  if (a['key-change']) accountKey = await keyChange(client, accountKey, accountUrl);
  if (a['update-contact']) await updateContact(client);
  if (a.deactivate) return deactivate(client, accountUrl, identifiers);

  const order = await client.createOrder({ identifiers });
  log(`order: ${order.url} ${a.email.join(' ')}`);
  const pending = [];
  for (const authz of await client.getAuthorizations(order)) {
    if (authz.status === 'valid') log(`authorization for ${authz.identifier.value} already valid`);
    else pending.push(await answerEmailChallenge(client, accountKey, authz));
  }

  const failures = [];
  for (const { authz, mailbox } of pending) {
    const waited = await client.waitForValidStatus(authz).then(() => null, (e) => e.message);
    const final = (await client.api.getAuthorization(authz.url)).data;
    const ch = (final.challenges || []).find((c) => c.type === 'email-reply-00') || {};
    if (final.status === 'valid') { log(`authorization for ${mailbox}: valid`); continue; }
    const detail = ch.error ? `${ch.error.type}: ${ch.error.detail}` : `no error object (${waited})`;
    log(`authorization for ${mailbox}: ${final.status}, challenge ${ch.status} (${detail})`);
    failures.push({ mailbox, ch });
  }
  if (a['expect-invalid']) {
    if (!pending.length || failures.length !== pending.length) {
      throw new Failure(`expected every challenge to end invalid, but ${failures.length} of ${pending.length} did`);
    }
    for (const { mailbox, ch } of failures) {
      if (ch.status !== 'invalid') throw new Failure(`challenge for ${mailbox} is ${ch.status}, not invalid`);
      if (!ch.error) throw new Failure(`invalid challenge for ${mailbox} carries no error`);
      if (a['expect-error'] && ch.error.type !== ERR + a['expect-error']) {
        throw new Failure(`challenge for ${mailbox}: error ${ch.error.type}, expected ${a['expect-error']}`);
      }
      log(`EXPECTED-INVALID ${mailbox} ${ch.error.type} ${ch.error.detail}`);
    }
    return null;
  }
  if (failures.length) {
    const { mailbox, ch } = failures[0];
    throw new Failure(`authorization for ${mailbox} not valid: ${ch.error ? `${ch.error.type}: ${ch.error.detail}` : ch.status}`);
  }

  const ready = await client.getOrder(order);
  if (ready.status !== 'ready') throw new Failure(`order is ${ready.status}, not ready, after all authorizations`);
  const certKey = newKeyPair(keyType);
  const csr = a['library-csr']
    ? (await acme.crypto.createCsr({ commonName: a.email[0], altNames: [...a.email] }, certKey.privateKey.export({ type: 'pkcs8', format: 'pem' })))[1]
    : smimeCsr(certKey, a.email, a.usage, keyType);
  if (a['expect-finalize-error']) {
    const resp = await client.api.apiRequest(ready.finalize, { csr: acme.crypto.getPemBodyAsB64u(csr) }, []);
    if (resp.status !== 400 || resp.data.type !== ERR + a['expect-finalize-error']) {
      throw new Failure(`finalize answered ${problem(resp)}, expected 400 ${a['expect-finalize-error']}`);
    }
    log(`EXPECTED-REFUSED finalize ${resp.data.type} ${resp.data.detail}`);
    return null;
  }
  const finalized = await client.finalizeOrder(ready, csr);
  const leaf = writeChain(await client.getCertificate(finalized), certKey, a.email);
  if (a.revoke) {
    await client.revokeCertificate(leaf, { reason: Number(a['revoke-reason']) });
    log(`revoked by account (reason ${a['revoke-reason']})`);
  }
  return null;
}

let failure = null;
try {
  await run();
} catch (e) {
  failure = e instanceof Failure ? e.message : `${e.name}: ${e.message}`;
}
if (a['count-nonce-retries']) log(`NONCE-RETRIES ${counts.badNonce} badNonce answers retried over ${counts.signed} signed requests (retries included)`);
log(failure ? `FAILED: ${failure}` : 'OK');
process.exit(failure ? 1 : 0);
