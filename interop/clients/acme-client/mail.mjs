// The email step of RFC 8823 (section 3.1) for the acme-client interop client: find the challenge
// mail in the user's IMAP INBOX by its From (imapflow), check it the way acme4j's EmailProcessor does,
// and send the reply through the MTA (nodemailer; postfix's opendkim signs it) or, for the unsigned
// case, straight into dovecot's LMTP (no DKIM signature).
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';

export class Failure extends Error {}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Header fields of a raw RFC 5322 message as [lower-case name, unfolded value] pairs. */
export function parseHeaders(raw) {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return head.split(/\r?\n/).filter((l) => l.includes(':')).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
  });
}
const all = (headers, name) => headers.filter(([n]) => n === name).map(([, v]) => v);
const addresses = (values) => values.flatMap((v) => addressparser(v, { flatten: true })).map((a) => a.address);

/** Polls mailbox's INBOX until a mail From fromAddr arrives (at most timeoutS seconds); returns its source. */
export async function waitForChallengeMail({ host, port, mailbox, password, fromAddr, timeoutS }) {
  const imap = new ImapFlow({
    host, port, secure: false, auth: { user: mailbox, pass: password }, logger: false,
    connectionTimeout: 10000, greetingTimeout: 10000, socketTimeout: 30000, disableAutoIdle: true,
  });
  imap.on('error', () => {}); // socket errors surface as rejected commands below
  await imap.connect();
  try {
    await imap.mailboxOpen('INBOX', { readOnly: true });
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const uids = (await imap.search({ from: fromAddr }, { uid: true })) || [];
      for (const uid of uids.sort((a, b) => b - a)) {
        const msg = await imap.fetchOne(String(uid), { source: true }, { uid: true });
        // SEARCH FROM is a substring match: keep only a mail whose From is exactly the challenge from
        if (msg && addresses(all(parseHeaders(msg.source), 'from')).includes(fromAddr)) return msg.source;
      }
      if (Date.now() > deadline) throw new Failure(`no challenge mail from ${fromAddr} in ${mailbox} within ${timeoutS} s`);
      await sleep(500);
      await imap.noop();
    }
  } finally {
    await imap.logout().catch(() => imap.close());
  }
}

const ACME4J_SUBJECT = /^ACME:\s+([0-9A-Za-z_\s-]+=?)\s*$/;

/** acme4j-smime EmailProcessor's checks; returns { token1, messageId, replyTo }. */
export function checkChallengeMail(raw, mailbox, fromAddr) {
  const h = parseHeaders(raw);
  const auto = (all(h, 'auto-submitted')[0] || '').trim();
  if (!(auto === 'auto-generated' || auto.startsWith('auto-generated;'))) {
    throw new Failure(`challenge mail: Message is not auto-generated (Auto-Submitted: '${auto}')`);
  }
  const froms = addresses(all(h, 'from'));
  if (froms.length !== 1 || froms[0] !== fromAddr) {
    throw new Failure(`challenge mail: From ${JSON.stringify(froms)} is not exactly the challenge from ${fromAddr}`);
  }
  const tos = addresses(all(h, 'to'));
  if (tos.length !== 1 || tos[0] !== mailbox) {
    throw new Failure(`challenge mail: To ${JSON.stringify(tos)} is not exactly the identifier ${mailbox}`);
  }
  const ids = all(h, 'message-id');
  if (ids.length > 1) throw new Failure('challenge mail: more than one Message-ID');
  const subjects = all(h, 'subject');
  const m = subjects.length === 1 ? ACME4J_SUBJECT.exec(subjects[0]) : null;
  if (!m) throw new Failure(`challenge mail: Subject ${JSON.stringify(subjects)} does not match "ACME: <token>"`);
  return { token1: m[1].replace(/\s/g, ''), messageId: ids[0] || null, replyTo: addresses(all(h, 'reply-to')), from: froms[0] };
}

function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Sends the acme4j-style reply: From = the mailbox, To = Reply-To (all) or the challenge From,
 * Subject "Re: ACME: <token1>", In-Reply-To, text/plain wrapped at 72 columns with the response block.
 * unsigned: deliver through LMTP (no opendkim). Returns the recipients.
 */
export async function sendReply({ smtp, lmtp, unsigned, mailbox, challenge, digest }) {
  const to = challenge.replyTo.length ? challenge.replyTo : [challenge.from];
  const intro = 'This is the automatic answer of an RFC 8823 interop client (npm acme-client) to the ACME '
    + `challenge for ${mailbox}; it proves control of the mailbox and may be ignored by humans.`;
  const body = [...wrap(intro, 72), '', '-----BEGIN ACME RESPONSE-----', digest, '-----END ACME RESPONSE-----', ''].join('\r\n');
  const transport = nodemailer.createTransport({
    ...(unsigned ? lmtp : smtp), secure: false, ignoreTLS: true, lmtp: !!unsigned,
    name: 'rfc8823-acme-client.localhost', connectionTimeout: 10000, greetingTimeout: 10000, socketTimeout: 15000,
  });
  try {
    const info = await transport.sendMail({
      from: mailbox, to, subject: `Re: ACME: ${challenge.token1}`, text: body,
      ...(challenge.messageId ? { inReplyTo: challenge.messageId, references: challenge.messageId } : {}),
      envelope: { from: mailbox, to },
    });
    if (info.rejected && info.rejected.length) throw new Failure(`reply refused by the MTA for ${info.rejected.join(', ')}`);
  } finally {
    transport.close();
  }
  return to;
}
