"""A certbot authenticator that behaves like acme_email 0.17.2's `castle-imap` plug-in (interop harness copy of
its behaviour, written here; the real plug-in needs PyPI, which these machines cannot reach).

Registered under the same name, `castle-imap`, with the same options, so certbot runs with the command line
acme_email's cli.py builds. What it does, as the real one:
* registers the `email-reply-00` challenge (a key-authorization challenge with `from`) with python3-acme, and
  NOT the `email` identifier type: an `email` identifier in any answer fails to parse, as in the real client;
* prepare(): IMAP login (IDLE required) and SMTP login; perform(): both connections opened again, IDLE
  started, so only mail announced after the authorizations were fetched is seen;
* per challenge, up to 60 rounds of idle_check(1 s): on an EXISTS it leaves IDLE, fetches ONLY the message
  that EXISTS names, checks it (mailcheck.py), replies with four headers over authenticated SMTP, flags the
  mail Seen and Deleted; a mail for another address is skipped; any other check failure ends the run with
  the real plug-in's AttributeError (it reads a .message attribute its exceptions do not have);
* returns the response; certbot POSTs `{}` to every challenge only after perform() returned.
"""
import email
import imaplib
import logging
import ssl
from email import policy
from email.message import EmailMessage
from smtplib import SMTP, SMTP_SSL, SMTPServerDisconnected

import josepy as jose
from acme.challenges import (Challenge, ChallengeResponse, KeyAuthorizationChallenge,
                             KeyAuthorizationChallengeResponse)
from certbot import errors, interfaces
from certbot.display import util as display_util
from certbot.plugins import common

import mailcheck
from idle_imap import IdleImap

logger = logging.getLogger(__name__)


@ChallengeResponse.register
class EmailReply00Response(KeyAuthorizationChallengeResponse):
    typ = 'email-reply-00'


@Challenge.register
class EmailReply00(KeyAuthorizationChallenge):
    response_cls = EmailReply00Response
    typ = response_cls.typ
    from_addr = jose.Field('from')  # the Field class, as acme_email declares it (josepy 1.13 accepts it unannotated)

    def validation(self, account_key, **unused_kwargs):
        return self.key_authorization(account_key)


def _note(text):
    logger.info(text)
    print('acme-email: ' + text, flush=True)


class Authenticator(common.Plugin, interfaces.Authenticator):
    description = 'email-reply-00 through IMAP IDLE and SMTP (acme_email castle-imap, reproduced)'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._in_idle = False

    @classmethod
    def add_parser_arguments(cls, add):
        add('login', help='IMAP login')
        add('password', help='IMAP password')
        add('host', help='IMAP server host')
        add('port', help='IMAP server port')
        add('ssl', help='IMAP SSL', action='store_true')
        add('no-verify-ssl', help='skip the SSL/TLS certificate verification', action='store_true')
        add('smtp-method', help='SMTP method {STARTTLS,SSL,plain}', choices=['STARTTLS', 'SSL', 'plain'])
        add('smtp-login', help='SMTP login')
        add('smtp-password', help='SMTP password')
        add('smtp-host', help='SMTP server host')
        add('smtp-port', help='SMTP server port')

    def more_info(self):
        return 'Answers email-reply-00 challenges over IMAP IDLE and SMTP, as acme_email does.'

    def _idle(self, on):
        if on and not self._in_idle:
            self.imap.idle()
        elif not on and self._in_idle:
            self.imap.idle_done()
        self._in_idle = on

    def _connect_imap(self, context):
        self.imap = IdleImap(self.conf('host'), int(self.conf('port')) if self.conf('port') else (993 if self.conf('ssl') else 143),
                             use_ssl=bool(self.conf('ssl')), ssl_context=context)
        self.imap.login(self.conf('login'), self.conf('password'))
        self.imap.select_folder('INBOX')
        if b'IDLE' not in self.imap.capabilities():
            raise errors.AuthorizationError('IMAP server does not support IDLE. Cannot continue.')
        self._idle(True)

    def _connect_smtp(self, context):
        method = self.conf('smtp-method')
        host = self.conf('smtp-host') or self.conf('host')
        port = self.conf('smtp-port') or self.conf('port')
        login = self.conf('smtp-login') or self.conf('login')
        password = self.conf('smtp-password') or self.conf('password')
        if method == 'STARTTLS':
            self.smtp = SMTP(host, port=int(port or 587))
            self.smtp.ehlo()
            self.smtp.starttls(context=context)
            self.smtp.ehlo()
        elif method == 'SSL':
            self.smtp = SMTP_SSL(host, port=int(port or 465), context=context)
        else:
            self.smtp = SMTP(host, port=int(port or 25))
        self.smtp.login(login, password)  # always: a server without SMTP AUTH ends the run here

    def prepare(self):
        context = ssl.create_default_context()
        if self.conf('no-verify-ssl'):
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self._context = context
        self._connect_imap(context)
        self._connect_smtp(context)

    def get_chall_pref(self, domain):
        return [EmailReply00]

    def perform(self, achalls):
        for close in (lambda: self._idle(False), self.imap.logout, self.smtp.quit):
            try:
                close()
            except Exception:
                pass
        self._in_idle = False
        self._connect_imap(self._context)
        self._connect_smtp(self._context)
        _note('IMAP IDLE started after the authorizations were fetched')
        return [self._perform_one(achall) for achall in achalls]

    def _perform_one(self, achall):
        response, _ = achall.challb.response_and_validation(achall.account_key)
        display_util.notification('Waiting for the challenge mail to %s' % achall.domain, pause=False)
        sent = False
        for _round in range(60):
            try:
                idle_responses = self.imap.idle_check(timeout=1)
            except (imaplib.IMAP4.abort, OSError):
                self._in_idle = False
                self._connect_imap(self._context)
                continue
            for item in idle_responses:
                seq, state = item  # as the real plug-in: any other shape (e.g. a FETCH) raises ValueError
                if state != b'EXISTS':
                    continue
                self._idle(False)
                _note('EXISTS %s: fetching message %s only' % (seq, seq))
                for number, data in self.imap.fetch(seq, ['RFC822']).items():
                    if b'RFC822' not in data:
                        continue
                    msg = email.message_from_bytes(data[b'RFC822'], _class=EmailMessage, policy=policy.default)
                    try:
                        response, body = mailcheck.process_challenge_mail(msg, achall, _note)
                    except (mailcheck.FromAddressMismatch, mailcheck.ReceiptAddressMismatch) as e:
                        _note('message %s skipped: %s (From %s, To %s)' % (number, e, msg['From'], msg['To']))
                        continue
                    except mailcheck.CastleError as e:
                        _note('challenge mail refused: %s' % e)
                        raise errors.AuthorizationError(e.message)  # AttributeError, exactly as the real plug-in
                    self._send_reply(msg, body)
                    self.imap.add_flags(number, '\\Seen')
                    self.imap.add_flags(number, '\\Deleted')
                    _note('reply sent for %s' % achall.domain)
                    sent = True
            if sent:
                break
            self._idle(True)
        if not sent:
            _note('no challenge mail for %s within 60 rounds; answering the challenge anyway' % achall.domain)
        return response

    def _send_reply(self, msg, body):
        to = msg['Reply-To'] if 'Reply-To' in msg else msg['From']
        me = msg['To']
        message = 'From: {}\n'.format(me)
        message += 'To: {}\n'.format(to)
        message += 'In-Reply-To: {}\n'.format(msg['Message-ID'])
        message += 'Subject: Re: {}\n\n'.format(msg['Subject'])
        message += body
        try:
            self.smtp.sendmail(me, to, message)
        except (SMTPServerDisconnected, OSError):
            self._connect_smtp(self._context)
            self.smtp.sendmail(me, to, message)

    def cleanup(self, achalls):
        try:
            self._idle(False)
            self.imap.logout()
            self.smtp.quit()
        except (imaplib.IMAP4.abort, OSError):
            pass
