-- Research discovery and SOTA tracking (src/research/discovery.ts, src/research/sota.ts).

-- The last price each catalog listing (fal, Replicate) stated for a tool, keyed by source:
-- {"fal": {"usd": 0.08, "unit": "per_second", "url": "…", "seen_at": "…"}}. A listed price never
-- overwrites a seed row's pricing; remembering it here is what makes a differing price alert once
-- (a price_change) instead of on every run.
ALTER TABLE tools ADD COLUMN listed_prices JSONB NOT NULL DEFAULT '{}';

-- 0..1: how relevant a paper is to video production (keyword score, src/research/sota.ts).
ALTER TABLE sota_techniques ADD COLUMN relevance DOUBLE PRECISION;
