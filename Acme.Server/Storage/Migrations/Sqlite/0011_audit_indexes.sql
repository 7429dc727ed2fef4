-- Issue 13: an audit event names one to four of order, authorization, challenge and certificate; the others
-- are NULL, and every NULL was an index entry that no query can ask for (the audit report looks events up
-- by the resources they name). Each index now holds only the events that name its resource, so a write
-- transaction touches fewer index pages. The account index had no reader at all (the audit report goes by
-- order, authorization, challenge and serial; the retention purge by time) and is dropped: every event
-- but the reply ones carries an account, so it cost an index page in nearly every write transaction.
DROP INDEX ix_audit_account;
DROP INDEX ix_audit_order;
DROP INDEX ix_audit_authorization;
DROP INDEX ix_audit_challenge;
DROP INDEX ix_audit_serial;
CREATE INDEX ix_audit_order ON audit_events (order_id, occurred_at) WHERE order_id IS NOT NULL;
CREATE INDEX ix_audit_authorization ON audit_events (authorization_id, occurred_at) WHERE authorization_id IS NOT NULL;
CREATE INDEX ix_audit_challenge ON audit_events (challenge_id, occurred_at) WHERE challenge_id IS NOT NULL;
CREATE INDEX ix_audit_serial ON audit_events (certificate_serial, occurred_at) WHERE certificate_serial IS NOT NULL;
