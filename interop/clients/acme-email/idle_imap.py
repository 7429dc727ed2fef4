"""IMAP with the IDLE behaviour of imapclient, the library acme_email's IMAP plug-in uses (not packaged by Debian).

Written for the interop harness on Python's imaplib; the calls and the shapes they return follow imapclient:
idle() starts IDLE, idle_check(timeout) returns the untagged responses that arrived within the timeout, each
parsed into a tuple (`(3, b'EXISTS')`, `(b'OK', b'Still here')`, `(3, b'FETCH', b'(FLAGS ...)')`), idle_done()
ends IDLE and drops whatever the server said meanwhile, fetch() and add_flags() work on sequence numbers
(acme_email sets use_uid=False).
"""
import imaplib
import select
import socket

# imaplib knows no IDLE command; imapclient registers it the same way
imaplib.Commands.setdefault('IDLE', ('NONAUTH', 'AUTH', 'SELECTED'))


def _parse_untagged(line):
    text = line.rstrip(b'\r\n')
    if not text.startswith(b'* '):
        raise imaplib.IMAP4.error('unexpected IMAP line %r' % text)
    text = text[2:]
    if text.startswith((b'OK ', b'NO ')):
        return tuple(text.split(b' ', 1))
    parts = text.split(b' ', 2)
    if parts[0].isdigit():
        parts[0] = int(parts[0])
    return tuple(parts)


class IdleImap:
    def __init__(self, host, port, use_ssl=False, ssl_context=None, timeout=30):
        if use_ssl:
            self._imap = imaplib.IMAP4_SSL(host, port, ssl_context=ssl_context, timeout=timeout)
        else:
            self._imap = imaplib.IMAP4(host, port, timeout=timeout)
        self._timeout = timeout
        self._idle_tag = None

    def login(self, user, password):
        return self._imap.login(user, password)

    def select_folder(self, folder):
        return self._imap.select(folder)

    def capabilities(self):
        return tuple(c.encode() if isinstance(c, str) else c for c in self._imap.capabilities)

    def idle(self):
        self._idle_tag = self._imap._command('IDLE')
        response = self._imap._get_response()  # the "+ idling" continuation sets no response
        if response is not None:
            raise imaplib.IMAP4.error('unexpected IDLE response: %r' % response)

    def idle_check(self, timeout=None):
        """Waits up to `timeout` seconds for the socket, then reads every line already there."""
        sock = self._imap.sock
        sock.settimeout(None)
        sock.setblocking(False)
        try:
            responses = []
            readable, _, _ = select.select([sock], [], [], timeout)
            if readable:
                while True:
                    try:
                        line = self._imap._get_line()
                    except (socket.timeout, OSError):
                        break
                    except imaplib.IMAP4.abort as e:
                        if 'EOF' in str(e.args[0]):  # nothing more buffered on the non-blocking socket
                            break
                        raise
                    responses.append(_parse_untagged(line + b'\r\n'))
            return responses
        finally:
            sock.setblocking(True)
            sock.settimeout(self._timeout)

    def idle_done(self):
        """Sends DONE and reads up to IDLE's tagged answer; untagged responses on the way are returned, not kept."""
        self._imap.send(b'DONE\r\n')
        tag, self._idle_tag = self._idle_tag, None
        dropped = []
        while True:
            line = self._imap._get_response()
            if self._imap.tagged_commands.get(tag):
                break
            dropped.append(line)
        typ, data = self._imap.tagged_commands.pop(tag)
        if typ != 'OK':
            raise imaplib.IMAP4.error('IDLE ended with %s %r' % (typ, data))
        return data, dropped

    def fetch(self, seq, items):
        """FETCH seq (items) -> {seq: {b'RFC822': raw, b'SEQ': seq}} for the message parts returned."""
        typ, data = self._imap.fetch(str(seq), '(%s)' % ' '.join(items))
        if typ != 'OK':
            raise imaplib.IMAP4.error('FETCH %s failed: %r' % (seq, data))
        result = {}
        for part in data:
            if isinstance(part, tuple):
                result[int(part[0].split(b' ', 1)[0])] = {b'RFC822': part[1], b'SEQ': seq}
        return result

    def add_flags(self, seq, flag):
        return self._imap.store(str(seq), '+FLAGS', '(%s)' % flag)

    def logout(self):
        return self._imap.logout()
