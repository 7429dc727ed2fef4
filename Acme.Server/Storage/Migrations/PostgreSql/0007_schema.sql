-- PostgreSQL support began at schema version 7: this file creates, in one step, the schema that the
-- SQLite migrations 0001-0007 build (see Migrations/Sqlite for the history and the reasons of each
-- column). Later versions get one file per engine with the same number.
-- Times are Unix milliseconds (BIGINT), identifiers random base64url text, raw bytes BYTEA.

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    key_thumbprint  TEXT NOT NULL UNIQUE,
    jwk             TEXT NOT NULL,
    key_spki        BYTEA NOT NULL,
    contacts        TEXT NOT NULL,
    status          TEXT NOT NULL,
    tos_agreed      BIGINT NOT NULL,
    eab_key_id      TEXT NULL,
    eab_jws         TEXT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE eab_keys (
    key_id      TEXT PRIMARY KEY,
    hmac_key    BYTEA NOT NULL,
    algorithm   TEXT NOT NULL,
    account_id  TEXT NULL REFERENCES accounts(id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE orders (
    id                TEXT PRIMARY KEY,
    account_id        TEXT NOT NULL REFERENCES accounts(id),
    status            TEXT NOT NULL,
    expires           BIGINT NOT NULL,
    not_before        BIGINT NULL,
    not_after         BIGINT NULL,
    profile           TEXT NOT NULL,
    identifiers       TEXT NOT NULL,
    identifier_types  TEXT NOT NULL DEFAULT '[]',
    error             TEXT NULL,
    certificate_id    TEXT NULL,
    created_at        BIGINT NOT NULL,
    replaces          TEXT NULL,
    caa_checked_at    BIGINT NULL,
    caa_valid_until   BIGINT NULL,
    csr               BYTEA NULL,
    processing_since  BIGINT NULL
);
CREATE INDEX ix_orders_account ON orders (account_id, created_at);
CREATE INDEX ix_orders_replaces ON orders (replaces);
CREATE INDEX ix_orders_processing ON orders (status, processing_since);

CREATE TABLE authorizations (
    id                TEXT PRIMARY KEY,
    account_id        TEXT NOT NULL REFERENCES accounts(id),
    identifier        TEXT NOT NULL,
    identifier_type   TEXT NOT NULL DEFAULT 'email',
    status            TEXT NOT NULL,
    expires           BIGINT NOT NULL,
    validated_at      BIGINT NULL,
    created_at        BIGINT NOT NULL,
    recipient_key     TEXT NULL,
    recipient_domain  TEXT NULL
);
CREATE INDEX ix_authorizations_reuse ON authorizations (account_id, identifier, status, expires);
CREATE INDEX ix_authorizations_identifier_created ON authorizations (identifier, created_at);
CREATE INDEX ix_authorizations_account_created ON authorizations (account_id, created_at);
CREATE INDEX ix_authorizations_recipient_created ON authorizations (recipient_key, created_at);
CREATE INDEX ix_authorizations_domain_created ON authorizations (recipient_domain, created_at);

CREATE TABLE order_authorizations (
    order_id          TEXT NOT NULL REFERENCES orders(id),
    authorization_id  TEXT NOT NULL REFERENCES authorizations(id),
    position          BIGINT NOT NULL,
    PRIMARY KEY (order_id, authorization_id)
);
CREATE INDEX ix_order_authorizations_authz ON order_authorizations (authorization_id);

CREATE TABLE challenges (
    id                      TEXT PRIMARY KEY,
    authorization_id        TEXT NOT NULL REFERENCES authorizations(id),
    type                    TEXT NOT NULL,
    status                  TEXT NOT NULL,
    token_part2             TEXT NOT NULL,
    from_address            TEXT NOT NULL,
    token_part1             TEXT NULL,
    token_part1_created_at  BIGINT NULL,
    client_responded_at     BIGINT NULL,
    reply_verified_at       BIGINT NULL,
    validated_at            BIGINT NULL,
    error                   TEXT NULL,
    created_at              BIGINT NOT NULL,
    validation_method       TEXT NULL,
    validation_reply_id     TEXT NULL
);
CREATE INDEX ix_challenges_authorization ON challenges (authorization_id);
CREATE INDEX ix_challenges_from ON challenges (from_address);

CREATE TABLE certificates (
    id                 TEXT PRIMARY KEY,
    serial             TEXT NOT NULL UNIQUE,
    order_id           TEXT NOT NULL UNIQUE REFERENCES orders(id),
    account_id         TEXT NOT NULL REFERENCES accounts(id),
    status             TEXT NOT NULL,
    der                BYTEA NOT NULL,
    chain_pem          TEXT NOT NULL,
    key_spki           BYTEA NOT NULL,
    identifiers        TEXT NOT NULL,
    not_before         BIGINT NOT NULL,
    not_after          BIGINT NOT NULL,
    issued_at          BIGINT NOT NULL,
    revoked_at         BIGINT NULL,
    revocation_reason  BIGINT NULL
);
CREATE INDEX ix_certificates_status ON certificates (status, revoked_at);

CREATE TABLE challenge_mails (
    id               TEXT PRIMARY KEY,
    challenge_id     TEXT NOT NULL UNIQUE REFERENCES challenges(id),
    account_id       TEXT NOT NULL REFERENCES accounts(id),
    recipient        TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL,
    next_attempt_at  BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    last_error       TEXT NULL,
    message_id       TEXT NULL,
    raw_message      BYTEA NULL,
    sent_at          BIGINT NULL,
    created_at       BIGINT NOT NULL,
    lease_until      BIGINT NULL
);
CREATE INDEX ix_challenge_mails_due ON challenge_mails (status, next_attempt_at);
CREATE INDEX ix_challenge_mails_message_id ON challenge_mails (message_id);
CREATE INDEX ix_challenge_mails_lease ON challenge_mails (status, lease_until);

CREATE TABLE inbound_replies (
    id               TEXT PRIMARY KEY,
    source_id        TEXT NOT NULL UNIQUE,
    raw_message      BYTEA NOT NULL,
    received_at      BIGINT NOT NULL,
    challenge_id     TEXT NULL,
    outcome          TEXT NULL,
    detail           TEXT NULL,
    processed_at     BIGINT NULL,
    created_at       BIGINT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT NULL
);
CREATE INDEX ix_inbound_replies_due ON inbound_replies (processed_at, next_attempt_at);

CREATE TABLE mailbox_cursors (
    name          TEXT PRIMARY KEY,
    uid_validity  BIGINT NOT NULL,
    last_uid      BIGINT NOT NULL
);

-- SBR 5.4.1: append-only; updates are refused by a trigger, deletes only through the retention purge.
CREATE TABLE audit_events (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at         BIGINT NOT NULL,
    actor               TEXT NOT NULL,
    event               TEXT NOT NULL,
    account_id          TEXT NULL,
    order_id            TEXT NULL,
    authorization_id    TEXT NULL,
    challenge_id        TEXT NULL,
    certificate_serial  TEXT NULL,
    detail              TEXT NOT NULL
);
CREATE INDEX ix_audit_account ON audit_events (account_id, occurred_at);
CREATE INDEX ix_audit_order ON audit_events (order_id, occurred_at);
CREATE INDEX ix_audit_authorization ON audit_events (authorization_id, occurred_at);
CREATE INDEX ix_audit_challenge ON audit_events (challenge_id, occurred_at);
CREATE INDEX ix_audit_serial ON audit_events (certificate_serial, occurred_at);
CREATE INDEX ix_audit_time ON audit_events (occurred_at);

CREATE FUNCTION audit_events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_update();
