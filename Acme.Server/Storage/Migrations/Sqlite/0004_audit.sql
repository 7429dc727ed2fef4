-- SBR 5.4.1: every account, order, validation step, issuance and revocation, with time and actor.
-- Append-only: updates are refused by a trigger; deletes only through the retention purge, which
-- removes events past the configured retention and leaves a record of having done so.
CREATE TABLE audit_events (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at         INTEGER NOT NULL,
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

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
