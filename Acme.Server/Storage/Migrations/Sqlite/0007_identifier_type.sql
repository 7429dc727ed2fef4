-- The identifier type each client sent, so every resource echoes it (Acme:RewriteDnsIdentifiersWithAt:
-- acme_email sends "dns" identifiers holding an address, and its ACME library cannot read any other type).
-- Inside, every identifier stays a mailbox. orders.identifier_types is a JSON array parallel to
-- orders.identifiers; a missing entry (older rows: '[]') means "email".
ALTER TABLE orders ADD COLUMN identifier_types TEXT NOT NULL DEFAULT '[]';
ALTER TABLE authorizations ADD COLUMN identifier_type TEXT NOT NULL DEFAULT 'email';
