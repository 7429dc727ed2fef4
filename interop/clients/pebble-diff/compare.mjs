// Compares two probe.mjs observation files (Pebble = reference, ours = under test) step by step.
// usage: node compare.mjs PEBBLE.json OURS.json ALLOWLIST [REPORT.txt]
// Prints one line per step: "step<TAB>PASS|FAIL<TAB>reason" (the matrix rows) and writes every
// difference, allowed or not, to REPORT.txt. A step FAILs when
//   * it was not reached on one side (the probe aborted) or was skipped there,
//   * our answer breaks the step's RFC 8555 expectation (status, required headers, status/type values)
//     or a probe note (e.g. contact not updated) - the allowlist cannot excuse these,
//   * a difference in status, header, JSON shape or compared value is not matched by the allowlist.
// Allowlist lines: STEP-GLOB FIELD-GLOB reason...  ('*' matches anything; fields are status,
// header:<name>, shape:<json path>, value:<key>); '#' starts a comment. Exit status 0 when every step passed.
import { readFileSync, writeFileSync } from 'node:fs';

const [pebbleFile, oursFile, allowFile, reportFile] = process.argv.slice(2);
if (!allowFile) { console.error('usage: compare.mjs PEBBLE.json OURS.json ALLOWLIST [REPORT]'); process.exit(2); }
const pebble = JSON.parse(readFileSync(pebbleFile, 'utf8'));
const ours = JSON.parse(readFileSync(oursFile, 'utf8'));

const glob = (g) => new RegExp(`^${g.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
const allow = readFileSync(allowFile, 'utf8').split('\n').map((l, i) => [l.replace(/#.*$/, '').trim(), i + 1])
  .filter(([l]) => l).map(([l, line]) => {
    const [step, field, ...why] = l.split(/\s+/);
    if (!field || !why.length) throw new Error(`${allowFile}:${line}: want STEP-GLOB FIELD-GLOB reason`);
    return { step: glob(step), field: glob(field), text: `${step} ${field}`, reason: why.join(' '), line, used: 0 };
  });
const allowedBy = (step, field) => allow.find((a) => a.step.test(step) && a.field.test(field));

const show = (v) => (v === undefined ? '(absent)' : JSON.stringify(v));

// every difference between the two observations of one step: [{ field, pebble, ours }]
function differences(p, o) {
  const d = [];
  if (p.status !== o.status) d.push({ field: 'status', pebble: p.status, ours: o.status });
  for (const [kind, pm, om] of [['header', p.headers, o.headers], ['shape', p.shape, o.shape], ['value', p.values, o.values]]) {
    for (const k of [...new Set([...Object.keys(pm || {}), ...Object.keys(om || {})])].sort()) {
      if ((pm || {})[k] !== (om || {})[k]) d.push({ field: `${kind}:${k}`, pebble: (pm || {})[k], ours: (om || {})[k] });
    }
  }
  return d;
}

// RFC 8555 expectation of the step, checked on one side's observation
function expectationFailures(o) {
  const e = o.expect || {}, f = [];
  const statuses = [].concat(e.status ?? []);
  if (statuses.length && !statuses.includes(o.status)) f.push(`status ${o.status}, want ${statuses.join(' or ')}`);
  for (const h of e.headers || []) {
    const [, name, op, want] = h.match(/^([a-z-]+)(?:([=~])(.*))?$/);
    const got = (o.headers || {})[name];
    if (got === undefined) f.push(`header ${name} missing`);
    else if (op === '=' && got !== want) f.push(`header ${name} is "${got}", want "${want}"`);
    else if (op === '~' && !got.split(', ').includes(want)) f.push(`header ${name} is "${got}", want it to hold "${want}"`);
  }
  for (const [k, want] of Object.entries(e.values || {})) {
    if ((o.values || {})[k] !== want) f.push(`${k} is ${show((o.values || {})[k])}, want ${show(want)}`);
  }
  return f;
}

const order = [...new Set([...Object.keys(ours.steps), ...Object.keys(pebble.steps)])];
const report = [`pebble: ${pebble.directory} (${pebble.failed ? `aborted: ${pebble.failed}` : 'completed'})`,
  `ours:   ${ours.directory} (${ours.failed ? `aborted: ${ours.failed}` : 'completed'})`, ''];
let failedSteps = 0;
for (const step of order) {
  const p = pebble.steps[step], o = ours.steps[step];
  let result = 'PASS', reason;
  report.push(`== ${step}`);
  if (!p || !o) {
    result = 'FAIL';
    reason = `not reached on ${!o ? `our server (${ours.failed || 'no observation'})` : `pebble (${pebble.failed || 'no observation'})`}`;
  } else if (p.skipped || o.skipped) {
    result = 'FAIL';
    reason = `skipped on ${o.skipped ? `our server: ${o.skipped}` : `pebble: ${p.skipped}`}`;
  } else {
    const broken = expectationFailures(o);
    if (o.note) broken.push(o.note);
    const diffs = differences(p, o);
    const open = [], allowed = new Set();
    for (const d of diffs) {
      const a = allowedBy(step, d.field);
      const line = `${d.field}: pebble ${show(d.pebble)}, ours ${show(d.ours)}`;
      if (a) { a.used += 1; allowed.add(a.line); report.push(`  allowed  ${line}  [allowlist line ${a.line}: ${a.reason}]`); }
      else { open.push(line); report.push(`  DIFF     ${line}`); }
    }
    for (const b of broken) report.push(`  RFC      ours: ${b}`);
    const pebbleOff = expectationFailures(p).concat(p.note ? [p.note] : []);
    for (const b of pebbleOff) report.push(`  info     pebble: ${b}`);
    if (broken.length || open.length) {
      result = 'FAIL';
      reason = [...broken.map((b) => `RFC 8555: ${b}`), ...open].join('; ');
    } else {
      const n = diffs.length;
      reason = `HTTP ${o.status}, headers and JSON shape match${n ? ` except ${n} allowed difference(s) (allowlist line ${[...allowed].sort((a, b) => a - b).join(', ')})` : ''}`;
      if (pebbleOff.length) reason += ` (pebble itself: ${pebbleOff.join('; ')})`;
    }
  }
  if (result === 'FAIL') failedSteps += 1;
  report.push(`  => ${result}: ${reason}`, '');
  console.log(`${step}\t${result}\t${reason.length > 400 ? `${reason.slice(0, 397)}...` : reason}`);
}
for (const a of allow.filter((x) => !x.used)) report.push(`unused allowlist line ${a.line}: ${a.text} (${a.reason})`);
if (reportFile) writeFileSync(reportFile, `${report.join('\n')}\n`);
process.exit(failedSteps ? 1 : 0);
