import { type DestinationStream, type Logger, pino } from "pino";

/** Secrets never reach a log line, wherever they sit in the logged object. */
export const REDACT_PATHS = [
  "*.token",
  "*.apiKey",
  "*.api_key",
  "*.authorization",
  "*.Authorization",
  "*.password",
  "*.secret",
  "*.signingSecret",
  "headers.authorization",
  "headers.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
  "config.OPENAI_API_KEY",
  "config.SLACK_BOT_TOKEN",
  "config.SLACK_SIGNING_SECRET",
  "config.SLACK_APP_TOKEN",
  "config.DISCORD_TOKEN",
  "config.GITHUB_TOKEN",
  "config.REPLICATE_API_TOKEN",
  "config.FAL_KEY",
  "config.RUNWAYML_API_SECRET",
  "config.LUMA_API_KEY",
  "config.API_KEY",
  "config.DATABASE_URL",
  "OPENAI_API_KEY",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "DISCORD_TOKEN",
  "GITHUB_TOKEN",
  "REPLICATE_API_TOKEN",
  "FAL_KEY",
  "RUNWAYML_API_SECRET",
  "LUMA_API_KEY",
  "API_KEY",
  "DATABASE_URL",
];

export function createLogger(level = "info", destination?: DestinationStream): Logger {
  return pino(
    { level, base: { app: "greenlight" }, redact: { paths: REDACT_PATHS, censor: "[redacted]" } },
    destination,
  );
}

export type { Logger };
