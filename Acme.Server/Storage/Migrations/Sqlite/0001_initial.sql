-- Times are Unix milliseconds (INTEGER), identifiers random base64url text. Plain SQL that
-- PostgreSQL accepts too (BLOB -> BYTEA is the only type to map).

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    key_thumbprint  TEXT NOT NULL UNIQUE,
    jwk             TEXT NOT NULL,
    key_spki        BLOB NOT NULL,
    contacts        TEXT NOT NULL,
    status          TEXT NOT NULL,
    tos_agreed      INTEGER NOT NULL,
    eab_key_id      TEXT NULL,
    eab_jws         TEXT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE eab_keys (
    key_id      TEXT PRIMARY KEY,
    hmac_key    BLOB NOT NULL,
    algorithm   TEXT NOT NULL,
    account_id  TEXT NULL REFERENCES accounts(id),
    created_at  INTEGER NOT NULL
);

CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    status          TEXT NOT NULL,
    expires         INTEGER NOT NULL,
    not_before      INTEGER NULL,
    not_after       INTEGER NULL,
    profile         TEXT NOT NULL,
    identifiers     TEXT NOT NULL,
    error           TEXT NULL,
    certificate_id  TEXT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX ix_orders_account ON orders (account_id, created_at);

CREATE TABLE authorizations (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    identifier    TEXT NOT NULL,
    status        TEXT NOT NULL,
    expires       INTEGER NOT NULL,
    validated_at  INTEGER NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX ix_authorizations_reuse ON authorizations (account_id, identifier, status, expires);

CREATE TABLE order_authorizations (
    order_id          TEXT NOT NULL REFERENCES orders(id),
    authorization_id  TEXT NOT NULL REFERENCES authorizations(id),
    position          INTEGER NOT NULL,
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
    token_part1_created_at  INTEGER NULL,
    client_responded_at     INTEGER NULL,
    reply_verified_at       INTEGER NULL,
    validated_at            INTEGER NULL,
    error                   TEXT NULL,
    created_at              INTEGER NOT NULL
);
CREATE INDEX ix_challenges_authorization ON challenges (authorization_id);
-- Unique per challenge when plus-tagged; shared (the bare mailbox) when challenges are S/MIME-signed.
CREATE INDEX ix_challenges_from ON challenges (from_address);

CREATE TABLE certificates (
    id                 TEXT PRIMARY KEY,
    serial             TEXT NOT NULL UNIQUE,
    order_id           TEXT NOT NULL UNIQUE REFERENCES orders(id),
    account_id         TEXT NOT NULL REFERENCES accounts(id),
    status             TEXT NOT NULL,
    der                BLOB NOT NULL,
    chain_pem          TEXT NOT NULL,
    key_spki           BLOB NOT NULL,
    identifiers        TEXT NOT NULL,
    not_before         INTEGER NOT NULL,
    not_after          INTEGER NOT NULL,
    issued_at          INTEGER NOT NULL,
    revoked_at         INTEGER NULL,
    revocation_reason  INTEGER NULL
);
CREATE INDEX ix_certificates_status ON certificates (status, revoked_at);
