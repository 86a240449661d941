-- Research runtime: alert delivery confirmation.
-- A delivery row is inserted (claimed) before the digest is sent and confirmed after the platform
-- accepted it. A claim left unconfirmed past a lease (the process died mid-send) is taken over by a
-- later run, so a crash costs at worst one repeated digest, never a lost one (src/research/alerts.ts).
ALTER TABLE alert_deliveries ADD COLUMN confirmed_at TIMESTAMPTZ;
UPDATE alert_deliveries SET confirmed_at = sent_at;
CREATE INDEX alert_deliveries_unconfirmed_idx ON alert_deliveries (sent_at) WHERE confirmed_at IS NULL;
