-- Several instances: nonces any instance can redeem once (Nonces/SharedNonceStore), leases, stored CRLs.
-- The nonce MAC secret is created by the first instance and shared; redeemed ids are kept until their nonce expires.
CREATE TABLE server_secrets (
    name        TEXT PRIMARY KEY,
    value       BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE redeemed_nonces (
    id       TEXT PRIMARY KEY,
    expires  INTEGER NOT NULL
);
CREATE INDEX ix_redeemed_nonces_expires ON redeemed_nonces (expires);

-- Work that one instance at a time does (reading the reply mailbox or folder): a named lease with its
-- holder and expiry, renewed by the holder on every pass and taken over by another once it runs out.
CREATE TABLE leases (
    name    TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    until   INTEGER NOT NULL
);

-- RFC 5280 §5.2.3, SBR 4.9.7: every CRL as served, by number; generated once by whichever instance needs
-- it first (the primary key decides a race), so every instance serves the same bytes.
CREATE TABLE crls (
    number         INTEGER PRIMARY KEY,
    der            BLOB NOT NULL,
    this_update    INTEGER NOT NULL,
    revoked_count  INTEGER NOT NULL
);
