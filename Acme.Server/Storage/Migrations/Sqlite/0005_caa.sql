-- SBR 4.2.2.1: issue within max(CAA TTL, 8 hours) of the check; finalize re-checks after that.
ALTER TABLE orders ADD COLUMN caa_checked_at INTEGER NULL;
ALTER TABLE orders ADD COLUMN caa_valid_until INTEGER NULL;
