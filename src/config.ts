import cron from "node-cron";
import { z } from "zod";
import { isTimeZone } from "./domain/time-zone.js";

const url = z.url({ protocol: /^https?$/ });
const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();
const optionalUrl = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .pipe(url.optional())
  .optional();
const withDefaultUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .transform((s) => (s === "" ? fallback : s))
    .pipe(url)
    .default(fallback);

/** `PORT=` in an .env file means "not set": the default applies, not 0 or an empty name. */
const unsetWhenEmpty = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const withDefault = <T extends z.ZodType>(schema: T) => z.preprocess(unsetWhenEmpty, schema);

const ConfigSchema = z.object({
  PORT: withDefault(z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: withDefault(z.string().trim().min(1).default("127.0.0.1")),
  DATABASE_URL: z
    .string()
    .trim()
    .transform((s) => (s === "" ? undefined : s))
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "a postgres:// or postgresql:// URL")
        .optional(),
    )
    .optional(),
  PGLITE_DIR: withDefault(z.string().trim().min(1).default("./.data/pglite")),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalUrl,
  LLM_MODEL: withDefault(z.string().trim().min(1).default("gpt-4o-mini")),
  LLM_STRUCTURED_METHOD: withDefault(
    z.enum(["jsonSchema", "functionCalling", "jsonMode"]).default("jsonSchema"),
  ),
  LLM_TIMEOUT_MS: withDefault(z.coerce.number().int().min(100).max(600_000).default(60_000)),
  SPEAKING_RATE_WPS: withDefault(z.coerce.number().min(1).max(5).default(2.5)),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalUrl,
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_API_URL: optionalUrl,
  RESEARCH_CRON: withDefault(
    z
      .string()
      .trim()
      .refine((s) => cron.validate(s), 'a cron expression such as "0 6 * * *"')
      .default("0 6 * * *"),
  ),
  RESEARCH_TZ: withDefault(
    z.string().trim().refine(isTimeZone, 'an IANA time zone such as "UTC" or "Europe/Berlin"').default("UTC"),
  ),
  ARXIV_API_URL: withDefaultUrl("http://export.arxiv.org/api/query"),
  GITHUB_API_URL: withDefaultUrl("https://api.github.com"),
  GITHUB_TOKEN: optionalText,
  HF_API_URL: withDefaultUrl("https://huggingface.co"),
  REPLICATE_API_URL: withDefaultUrl("https://api.replicate.com"),
  REPLICATE_API_TOKEN: optionalText,
  FAL_API_URL: withDefaultUrl("https://api.fal.ai"),
  FAL_KEY: optionalText,
  RUNWAY_API_URL: withDefaultUrl("https://api.dev.runwayml.com"),
  RUNWAYML_API_SECRET: optionalText,
  LUMA_API_URL: withDefaultUrl("https://api.lumalabs.ai"),
  LUMA_API_KEY: optionalText,
  API_KEY: optionalText,
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === "string" ? unsetWhenEmpty(v.trim().toLowerCase()) : v),
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parse the environment once, at the composition root. A bad value stops start-up with one line
 * per variable naming it and what is expected; the value itself is not echoed (it may be a secret).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    return `${name}: ${expectation(issue)}`;
  });
  // One line per bad variable, nothing else: that line is what an operator sees when start-up stops.
  throw new ConfigError(lines.join("\n"));
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `expected one of ${issue.values.join(", ")}`;
    case "invalid_type":
      return `expected a ${issue.expected}`;
    case "too_small":
      return `expected at least ${issue.minimum}`;
    case "too_big":
      return `expected at most ${issue.maximum}`;
    case "custom":
      return `expected ${issue.message}`;
    case "invalid_format":
      return issue.format === "url" ? "expected an http(s) URL" : `expected ${issue.message}`;
    default:
      return `expected ${issue.message}`;
  }
}

/** True when an LLM is configured; otherwise the agents run in template mode. */
export const llmConfigured = (config: Pick<Config, "OPENAI_API_KEY">): boolean =>
  Boolean(config.OPENAI_API_KEY);
