-- ToolStackDB: the original plan's four tables (ORIGINAL_PLAN.md), column for column, with
-- timestamps as TIMESTAMPTZ NOT NULL DEFAULT now(). FLOAT is double precision.

-- Video-generation tools. The last five columns are Greenlight's additions: who makes the tool,
-- whether it can be used (available | candidate | self_hosted | retired, as src/domain/tool.ts) and why, the URLs its facts come
-- from, and whether the row came from the seed file or from research ('seed' | 'research').
CREATE TABLE tools (
  tool_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  capabilities JSONB,
  quality_metrics JSONB,
  pricing JSONB,
  performance JSONB,
  api_integration JSONB,
  best_for TEXT[],
  limitations TEXT[],
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  vendor VARCHAR,
  status VARCHAR NOT NULL DEFAULT 'available',
  status_note TEXT NOT NULL DEFAULT '',
  sources TEXT[] NOT NULL DEFAULT '{}',
  origin VARCHAR NOT NULL DEFAULT 'seed'
);
CREATE INDEX tools_category_idx ON tools (category);

-- One measured run of a tool on a test prompt (Deep Research Agent benchmarks).
CREATE TABLE benchmarks (
  benchmark_id VARCHAR PRIMARY KEY,
  tool_id VARCHAR REFERENCES tools(tool_id),
  test_prompt TEXT,
  latency_seconds FLOAT,
  quality_score FLOAT,
  cost_per_second FLOAT,
  success_rate FLOAT,
  tested_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX benchmarks_tool_idx ON benchmarks (tool_id, tested_at);

-- State-of-the-art techniques tracked from papers and repositories.
-- papers: JSON array of {title, url, published_at …}; related_tools: tool_ids.
CREATE TABLE sota_techniques (
  technique_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  description TEXT,
  source_url TEXT,
  papers JSONB,
  related_tools TEXT[],
  status VARCHAR,
  discovered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Reusable multi-step production workflows (e.g. keyframe image → image-to-video → upscale).
-- steps: JSON array of steps; use_cases: free-text tags.
CREATE TABLE workflows (
  workflow_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  description TEXT,
  steps JSONB,
  use_cases TEXT[],
  avg_quality_score FLOAT,
  avg_cost_usd FLOAT,
  avg_time_seconds FLOAT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
