-- Issue 9: no single item, reply or crash may stop the server's work.

-- The outbox claims a mail before sending it ('sending' with a lease), so a second sender or a
-- failed write after the send cannot deliver it twice; a lease that runs out (the holder died) makes
-- the mail claimable again.
ALTER TABLE challenge_mails ADD COLUMN lease_until INTEGER NULL;

-- Each reply has its own schedule: a temporary failure (DKIM key lookup) puts it back with
-- exponential backoff instead of first in line, so it cannot hold up newer replies.
ALTER TABLE inbound_replies ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inbound_replies ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inbound_replies ADD COLUMN last_error TEXT NULL;
DROP INDEX ix_inbound_replies_unprocessed;
CREATE INDEX ix_inbound_replies_due ON inbound_replies (processed_at, next_attempt_at);

-- Finalize keeps the CSR and the time it started, so an order left in 'processing' by a crash is
-- completed from the stored CSR (or made invalid) by the recovery at start-up and on a timer.
ALTER TABLE orders ADD COLUMN csr BLOB NULL;
ALTER TABLE orders ADD COLUMN processing_since INTEGER NULL;
CREATE INDEX ix_orders_processing ON orders (status, processing_since);

-- Mail-bombing limits count the inbox, not the spelling: local part case-folded, plus tag removed
-- (NormalizedMailbox.RecipientKey), and the recipient domain per hour. Rows from before this
-- migration get the ASCII approximation SQLite can compute.
ALTER TABLE authorizations ADD COLUMN recipient_key TEXT NULL;
ALTER TABLE authorizations ADD COLUMN recipient_domain TEXT NULL;
UPDATE authorizations SET
    recipient_domain = substr(identifier, instr(identifier, '@') + 1),
    recipient_key = lower(CASE WHEN instr(substr(identifier, 1, instr(identifier, '@') - 1), '+') > 1
                               THEN substr(identifier, 1, instr(identifier, '+') - 1)
                               ELSE substr(identifier, 1, instr(identifier, '@') - 1) END)
                    || '@' || substr(identifier, instr(identifier, '@') + 1);
CREATE INDEX ix_authorizations_recipient_created ON authorizations (recipient_key, created_at);
CREATE INDEX ix_authorizations_domain_created ON authorizations (recipient_domain, created_at);
CREATE INDEX ix_challenge_mails_lease ON challenge_mails (status, lease_until);
