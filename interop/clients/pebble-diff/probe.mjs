// RFC 8555 probe: runs one fixed request sequence against one ACME server through npm acme-client's
// low-level HTTP client (signed requests built by hand) and writes what each step observed:
// HTTP status, the headers that matter (normalised), the JSON shape (key paths and value types) and
// the few values that must match (status fields, problem types). compare.mjs diffs two such files.
// usage: NODE_EXTRA_CA_CERTS=<tls ca> node probe.mjs --directory URL --identifier TYPE:VALUE \
//          --contact ADDRESS --out FILE.json
// Exit status 0 when the sequence ran to its end (steps may still have unexpected results), 1 otherwise.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const acme = require(process.env.ACME_CLIENT_PATH || '../acme-client/node_modules/acme-client');

const { values: args } = parseArgs({ options: {
  directory: { type: 'string' }, identifier: { type: 'string' }, contact: { type: 'string' }, out: { type: 'string' },
} });
for (const k of ['directory', 'identifier', 'contact', 'out']) if (!args[k]) { console.error(`FAILED: --${k} missing`); process.exit(2); }
const [idType, ...idRest] = args.identifier.split(':');
const identifier = { type: idType, value: idRest.join(':') };
const [contactUser, contactDomain] = args.contact.split('@');

// headers whose presence (or normalised value) the diff compares
function headerView(h) {
  const v = {};
  const get = (n) => (h[n] === undefined ? undefined : String(h[n]));
  for (const n of ['replay-nonce', 'location', 'retry-after']) if (get(n) !== undefined) v[n] = 'present';
  if (get('content-type') !== undefined) v['content-type'] = get('content-type').split(';')[0].trim().toLowerCase();
  if (get('cache-control') !== undefined) {
    v['cache-control'] = get('cache-control').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean).sort().join(', ');
  }
  const links = [].concat(h.link || []).join(',');
  const rels = [...links.matchAll(/rel="?([^";,]+)"?/g)].map((m) => m[1]);
  if (rels.length) v.link = [...new Set(rels)].sort().join(', ');
  return v;
}

function typeOf(x) { return x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x; }

// shape: { "path": "type" } for every key, recursively; array elements merged under "path[]"
function shape(x, path = '', out = {}) {
  const add = (p, t) => { out[p] = out[p] && !out[p].split('|').includes(t) ? [...out[p].split('|'), t].sort().join('|') : (out[p] || t); };
  add(path || '$', typeOf(x));
  if (Array.isArray(x)) for (const e of x) shape(e, `${path}[]`, out);
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) shape(v, path ? `${path}.${k}` : k, out);
  return out;
}

// values compared as such: the object/problem status and problem type (top level and subproblems)
function valueView(body) {
  const v = {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) return v;
  if (typeof body.status === 'string' || typeof body.status === 'number') v.status = body.status;
  if (typeof body.type === 'string' && body.type.startsWith('urn:ietf:params:acme:error:')) v.type = body.type;
  if (Array.isArray(body.subproblems)) v['subproblems[].type'] = body.subproblems.map((s) => s && s.type).sort().join(', ');
  return v;
}

const steps = {};
function observe(step, resp, expect, note) {
  let body = resp.data;
  if (typeof body === 'string' && body.length) { try { body = JSON.parse(body); } catch { body = { '(not JSON)': body.slice(0, 80) }; } }
  if (body === '' || body === undefined) body = null;
  const o = { status: resp.status, headers: headerView(resp.headers), shape: body === null ? {} : shape(body), values: valueView(body), expect };
  if (note) o.note = note;
  steps[step] = o;
  console.log(`${step}: ${resp.status} ${JSON.stringify(o.headers)} ${JSON.stringify(o.values)}`);
  return body;
}

// expectations (RFC 8555) that compare.mjs checks on our server's answers on top of the diff
const E = {
  ok: (status, headers = [], values = {}) => ({ status, headers, values }),
  problem: (status, type) => ({ status, headers: ['replay-nonce', 'content-type=application/problem+json'], values: { status, type: `urn:ietf:params:acme:error:${type}` } }),
  // RFC 8555 names no error type for a signature that does not verify: any 4xx problem document
  refused: () => ({ status: [400, 401, 403], headers: ['replay-nonce', 'content-type=application/problem+json'], values: {} }),
};

const dirUrl = args.directory;
const key1 = await acme.crypto.createPrivateEcdsaKey('P-256');
const c1 = new acme.Client({ directoryUrl: dirUrl, accountKey: key1 });
const http = c1.http;
http.maxBadNonceRetries = 0; // a badNonce answer is what some steps are about; never retry it
const post = (url, payload, opts = {}) => http.signedRequest(url, payload, opts);
let failed = null;

try {
  let r = await http.request(dirUrl, 'get');
  const dir = observe('diff-directory', r, E.ok(200, ['content-type=application/json']));
  if (r.status !== 200 || !dir.newNonce) throw new Error(`directory: HTTP ${r.status}`);
  http.directoryCache = dir; http.directoryTimestamp = Math.floor(Date.now() / 1000);

  r = await http.request(dir.newNonce, 'head');
  observe('diff-nonce-head', r, E.ok(200, ['replay-nonce', 'cache-control~no-store']));
  r = await http.request(dir.newNonce, 'get');
  observe('diff-nonce-get', r, E.ok(204, ['replay-nonce', 'cache-control~no-store']));

  const contact1 = `mailto:${contactUser}@${contactDomain}`;
  const newAcct = { termsOfServiceAgreed: true, contact: [contact1] };
  r = await post(dir.newAccount, newAcct);
  observe('diff-new-account', r, E.ok(201, ['location', 'replay-nonce', 'link~index', 'content-type=application/json'], { status: 'valid' }));
  if (r.status !== 201 || !r.headers.location) throw new Error(`newAccount: HTTP ${r.status} ${JSON.stringify(r.data)}`);
  const kid = r.headers.location;
  const account = r.data;

  r = await post(dir.newAccount, newAcct);
  observe('diff-existing-account', r, E.ok(200, ['location', 'replay-nonce'], { status: 'valid' }),
    r.headers.location === kid ? undefined : `Location ${r.headers.location} differs from ${kid}`);

  const stranger = new acme.Client({ directoryUrl: dirUrl, accountKey: await acme.crypto.createPrivateEcdsaKey('P-256') }).http;
  stranger.directoryCache = dir; stranger.directoryTimestamp = http.directoryTimestamp;
  r = await stranger.signedRequest(dir.newAccount, { onlyReturnExisting: true });
  observe('diff-only-return-existing', r, E.problem(400, 'accountDoesNotExist'));

  r = await post(kid, null, { kid });
  observe('diff-account-get', r, E.ok(200, ['replay-nonce', 'content-type=application/json'], { status: 'valid' }));

  const contact2 = `mailto:${contactUser}+updated@${contactDomain}`;
  r = await post(kid, { contact: [contact2] }, { kid });
  const updated = observe('diff-account-update', r, E.ok(200, ['replay-nonce'], { status: 'valid' }));
  if (!updated || !Array.isArray(updated.contact) || updated.contact[0] !== contact2) {
    steps['diff-account-update'].note = `contact after update is ${JSON.stringify(updated && updated.contact)}, not ["${contact2}"]`;
  }

  // keyChange (RFC 8555 7.3.5): inner JWS by the new key (jwk, no nonce), outer by the old key (kid)
  const key2 = await acme.crypto.createPrivateEcdsaKey('P-256');
  const c2 = new acme.Client({ directoryUrl: dirUrl, accountKey: key2 });
  const inner = c2.http.createSignedBody(dir.keyChange, { account: kid, oldKey: http.getJwk() });
  r = await post(dir.keyChange, inner, { kid });
  observe('diff-key-change', r, E.ok(200, ['replay-nonce']));
  if (r.status !== 200) throw new Error(`keyChange: HTTP ${r.status} ${JSON.stringify(r.data)}`);
  r = await post(kid, null, { kid });
  observe('diff-old-key-refused', r, E.refused());
  http.accountKey = key2; http.jwk = null;
  r = await post(kid, null, { kid });
  observe('diff-new-key-account-get', r, E.ok(200, [], { status: 'valid' }));

  r = await post(dir.newOrder, { identifiers: [identifier] }, { kid });
  const order = observe('diff-new-order', r, E.ok(201, ['location', 'replay-nonce', 'link~index'], { status: 'pending' }));
  if (r.status !== 201) throw new Error(`newOrder: HTTP ${r.status} ${JSON.stringify(r.data)}`);
  const orderUrl = r.headers.location;

  r = await post(orderUrl, null, { kid });
  observe('diff-order-get', r, E.ok(200, [], { status: 'pending' }));

  if (account.orders) {
    r = await post(account.orders, null, { kid });
    const list = observe('diff-orders-list', r, E.ok(200, []));
    if (!list || !Array.isArray(list.orders) || !list.orders.includes(orderUrl)) {
      steps['diff-orders-list'].note = `orders list ${JSON.stringify(list && list.orders)} lacks the new order ${orderUrl}`;
    }
  } else steps['diff-orders-list'] = { skipped: 'the account object has no "orders" URL' };

  r = await post(order.authorizations[0], null, { kid });
  const authz = observe('diff-authorization', r, E.ok(200, ['replay-nonce'], { status: 'pending' }));
  if (r.status !== 200 || !authz.challenges || !authz.challenges.length) throw new Error(`authorization: HTTP ${r.status}`);
  r = await post(authz.challenges[0].url, null, { kid });
  observe('diff-challenge', r, E.ok(200, ['link~up'], { status: 'pending' }));

  // problem documents (RFC 8555 6.7): malformed JWS, bad signature, bad nonce, unsupported identifier
  r = await http.request(dir.newOrder, 'post', { data: '{"protected": "not base64url!", "payload": ', transformRequest: [(d) => d] });
  observe('diff-malformed-jws', r, E.problem(400, 'malformed'));

  const forged = http.createSignedBody(dir.newOrder, { identifiers: [identifier] }, { nonce: await http.getNonce(), kid });
  const sig = Buffer.from(forged.signature, 'base64url'); sig[5] ^= 0x40; forged.signature = sig.toString('base64url');
  r = await http.request(dir.newOrder, 'post', { data: forged });
  observe('diff-bad-signature', r, E.refused());

  r = await post(dir.newOrder, { identifiers: [identifier] }, { kid, nonce: 'bm90LWlzc3VlZC1ieS10aGlzLXNlcnZlcg' });
  observe('diff-bad-nonce', r, E.problem(400, 'badNonce'));

  r = await post(dir.newOrder, { identifiers: [{ type: 'rfc8555-diff-unknown', value: 'x' }] }, { kid });
  observe('diff-unsupported-identifier', r, E.problem(400, 'unsupportedIdentifier'));

  r = await post(kid, { status: 'deactivated' }, { kid });
  observe('diff-deactivate', r, E.ok(200, ['replay-nonce'], { status: 'deactivated' }));
  r = await post(kid, null, { kid });
  observe('diff-deactivated-refused', r, E.problem(401, 'unauthorized'));
} catch (e) {
  failed = e.message || String(e);
}
writeFileSync(args.out, JSON.stringify({ directory: dirUrl, identifier, failed, steps }, null, 1));
console.log(failed ? `FAILED: ${failed}` : 'OK');
process.exit(failed ? 1 : 0);
