-- Operator commands (issue 12 §4). An account the operator suspended: its requests are refused until it is
-- resumed. A flag beside the RFC 8555 status, not a status: suspension is reversible and not an ACME state.
ALTER TABLE accounts ADD COLUMN suspended_at INTEGER NULL;
ALTER TABLE accounts ADD COLUMN suspended_reason TEXT NULL;

-- certificates list / revoke --account, and the issuance date range.
CREATE INDEX ix_certificates_account ON certificates (account_id, issued_at);
CREATE INDEX ix_certificates_issued ON certificates (issued_at);
