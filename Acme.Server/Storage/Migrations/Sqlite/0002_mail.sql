-- RFC 8823 mail flow: the challenge-mail outbox (written in the transaction that creates
-- token-part1) and the inbound replies (recorded before the mailbox is touched, so a crash between
-- fetching and flagging never processes a message twice).

CREATE TABLE challenge_mails (
    id               TEXT PRIMARY KEY,
    challenge_id     TEXT NOT NULL UNIQUE REFERENCES challenges(id),
    account_id       TEXT NOT NULL REFERENCES accounts(id),
    recipient        TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    last_error       TEXT NULL,
    message_id       TEXT NULL,
    raw_message      BLOB NULL,
    sent_at          INTEGER NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX ix_challenge_mails_due ON challenge_mails (status, next_attempt_at);
CREATE INDEX ix_challenge_mails_message_id ON challenge_mails (message_id);

CREATE TABLE inbound_replies (
    id            TEXT PRIMARY KEY,
    source_id     TEXT NOT NULL UNIQUE,
    raw_message   BLOB NOT NULL,
    received_at   INTEGER NOT NULL,
    challenge_id  TEXT NULL,
    outcome       TEXT NULL,
    detail        TEXT NULL,
    processed_at  INTEGER NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX ix_inbound_replies_unprocessed ON inbound_replies (processed_at, created_at);

CREATE TABLE mailbox_cursors (
    name          TEXT PRIMARY KEY,
    uid_validity  INTEGER NOT NULL,
    last_uid      INTEGER NOT NULL
);

-- Mail-bombing guard: new authorizations (each sends at most one mail) per mailbox and per account.
CREATE INDEX ix_authorizations_identifier_created ON authorizations (identifier, created_at);
CREATE INDEX ix_authorizations_account_created ON authorizations (account_id, created_at);

-- SBR 3.2.2 ¶4: the method, with the SBR version, that validated each mailbox, and the reply relied on.
ALTER TABLE challenges ADD COLUMN validation_method TEXT NULL;
ALTER TABLE challenges ADD COLUMN validation_reply_id TEXT NULL;
