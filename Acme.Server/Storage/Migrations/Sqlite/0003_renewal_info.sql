-- RFC 9773: an order may name the certificate it replaces; one live replacement per certificate.
ALTER TABLE orders ADD COLUMN replaces TEXT NULL;
CREATE INDEX ix_orders_replaces ON orders (replaces);
