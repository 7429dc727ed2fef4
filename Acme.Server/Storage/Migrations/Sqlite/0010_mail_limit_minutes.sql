-- Issue 13: the mail-bombing windows (MailLimits) counted per minute, so a check far below its limit reads at
-- most one row per minute of its window instead of every authorization in it. scope is 'inbox' (the recipient
-- key), 'domain' (the recipient domain) or 'account'; minute is created_at / 60000. A sum from the minute of
-- the window's start is an upper bound of the exact count; at the limit MailLimits counts exactly.
CREATE TABLE mail_limit_minutes (
    scope   TEXT NOT NULL,
    subject TEXT NOT NULL,
    minute  INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (scope, subject, minute)
) WITHOUT ROWID;
CREATE INDEX ix_mail_limit_minutes_minute ON mail_limit_minutes (minute);

-- The last day's authorizations (the longest window), so an upgrade keeps every window's count.
INSERT INTO mail_limit_minutes (scope, subject, minute, n)
    SELECT 'inbox', recipient_key, created_at / 60000, COUNT(*) FROM authorizations
    WHERE created_at > (CAST(strftime('%s', 'now') AS INTEGER) - 86400) * 1000 AND recipient_key IS NOT NULL GROUP BY recipient_key, created_at / 60000;
INSERT INTO mail_limit_minutes (scope, subject, minute, n)
    SELECT 'domain', recipient_domain, created_at / 60000, COUNT(*) FROM authorizations
    WHERE created_at > (CAST(strftime('%s', 'now') AS INTEGER) - 86400) * 1000 AND recipient_domain IS NOT NULL GROUP BY recipient_domain, created_at / 60000;
INSERT INTO mail_limit_minutes (scope, subject, minute, n)
    SELECT 'account', account_id, created_at / 60000, COUNT(*) FROM authorizations
    WHERE created_at > (CAST(strftime('%s', 'now') AS INTEGER) - 86400) * 1000 GROUP BY account_id, created_at / 60000;
